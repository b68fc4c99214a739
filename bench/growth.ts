// Growth: how each cost of a world grows with its size (issue 15). Per size N (1k / 10k / 100k
// articles, v5: a draft and a published row each), on `node dist/server.js`, one server at a time:
//   memory server  — empty start, then `PUT /_emulator/snapshot` of N documents (seeding), the
//                    scale list one at a time and under autocannon (list throughput), RSS, then
//                    creates one at a time (create p50 without --data);
//   --data server  — started on a data file holding the N documents (start-up with --data),
//                    then creates one at a time (create p50 with --data: each one durable);
//   --seed server  — started with a seed file of N documents (start-up with --seed: each one
//                    written through the content API's create, as the seed file promises), then
//                    a create + `POST /_emulator/reset` loop (reset to a seeded world: each reset
//                    has a change to undo).
// The empty server's RSS is the floor that MB per 1k documents is counted above.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { articleData, bearer, bulkSnapshot } from './fixture.js';
import { cannon } from './load.js';
import { closedLoop } from './loop.js';
import { SCALE_PATH, settings, TOKEN } from './options.js';
import { rssMb } from './proc.js';
import { type Load, median } from './stats.js';
import { emulatorViaNode, emulatorWith, type Target } from './targets.js';

export type GrowthRow = {
  documents: number;
  /** Spawn → first 200, with `--seed file` of N documents (undefined: did not finish within the cap). */
  seedStartMs?: number;
  /** Spawn → first 200, with `--data file` holding N documents. */
  dataStartMs: number;
  /** `PUT /_emulator/snapshot` of N documents into an empty server (request to answer). */
  seedingMs: number;
  resetMs: number[];
  createMemory: Load;
  createData: Load;
  list: Load;
  listCannon: Load;
  matched: number;
  /** After PUT /_emulator/snapshot and the list: holds what V8 kept of parsing the 50 MB body too. */
  rssMb: number;
  rssEmptyMb: number;
  rssDataMb: number;
  /** The --seed server, right after its start-up: the world of N documents without a large request behind it. */
  rssSeedMb?: number;
};

const log = (msg: string) => process.stderr.write(`[bench]   ${msg}\n`);
const post = (path: string, body: unknown, headers: Record<string, string> = {}) => ({ path, init: { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) } });

async function send(target: Target, agent: Agent, call: { path: string; init: { method: string; headers: Record<string, string>; body: string } }): Promise<number> {
  const res = await request(target.url + call.path, { dispatcher: agent, method: call.init.method as 'POST', headers: call.init.headers, body: call.init.body });
  await res.body.dump();
  return res.statusCode;
}

/** Creates one at a time for the case duration (article titles unique per run). */
async function createLoad(target: Target, agent: Agent, tag: string): Promise<Load> {
  let i = 0;
  return closedLoop(() => send(target, agent, post('/api/articles', articleData(`${tag}-${i++}`), bearer(TOKEN))), { seconds: settings.duration, connections: 1, warmup: 5 });
}

/** `reset` after one create each time (so there is a change to undo), `times` times. */
async function resets(target: Target, agent: Agent, times: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    if ((await send(target, agent, post('/api/articles', articleData(i), bearer(TOKEN)))) !== 201 && i === 0) throw new Error('growth: create before reset failed');
    const t = performance.now();
    const status = await send(target, agent, post('/_emulator/reset', {}));
    out.push(performance.now() - t);
    if (status !== 200) throw new Error(`growth: POST /_emulator/reset answered ${status}`);
  }
  return out;
}

/** The seed file of N documents (the seed file format: emulator/seed-file.ts). */
function seedFile(dir: string, documents: number): string {
  const file = path.join(dir, `seed-${documents}.json`);
  writeFileSync(file, JSON.stringify({ documents: { 'api::article.article': Array.from({ length: documents }, (_, i) => articleData(i).data) } }));
  return file;
}

export async function growthRun(documents: number, rssEmptyMb: number): Promise<GrowthRow> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'emulator-growth-'));
  const agent = new Agent({ connections: 1 });
  try {
    const snapshot = JSON.stringify(await bulkSnapshot(5, documents));
    // The memory server.
    const memory = await emulatorViaNode(5).start();
    let row: Omit<GrowthRow, 'seedStartMs' | 'dataStartMs' | 'createData' | 'rssDataMb'>;
    try {
      const t = performance.now();
      const put = await fetch(`${memory.url}/_emulator/snapshot`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: snapshot });
      if (!put.ok) throw new Error(`PUT /_emulator/snapshot (${documents} documents): ${put.status} ${(await put.text()).slice(0, 300)}`);
      await put.arrayBuffer();
      const seedingMs = performance.now() - t;
      log(`seeding (PUT snapshot) ${seedingMs.toFixed(0)} ms`);
      const first = await (await fetch(memory.url + SCALE_PATH)).json();
      const list = await closedLoop(
        async () => {
          const res = await request(memory.url + SCALE_PATH, { dispatcher: agent });
          await res.body.dump();
          return res.statusCode;
        },
        { seconds: settings.duration, connections: 1, warmup: 3 },
      );
      const listCannon = await cannon(memory.url + SCALE_PATH, {}, settings.duration, settings.connections);
      log(`list p50 ${list.p50.toFixed(2)} ms, ${listCannon.rps.toFixed(0)} req/s under ${settings.connections} connections`);
      // RSS with the N documents, after reads; before the creates add their own.
      const rss = rssMb(memory.pid);
      const createMemory = await createLoad(memory, agent, 'mem');
      log(`create p50 without --data ${createMemory.p50.toFixed(2)} ms`);
      row = { documents, seedingMs, list, listCannon, matched: first.meta?.pagination?.total ?? Number.NaN, rssMb: rss, rssEmptyMb, createMemory, resetMs: [] };
    } finally {
      await memory.stop();
    }
    // The --data server: its file holds the N documents; reset goes back to them (the seed of a started server is what it loaded).
    const dataFile = path.join(dir, `data-${documents}.json`);
    writeFileSync(dataFile, snapshot);
    const data = await emulatorWith(5, 'emulator v5 --data', ['--data', dataFile], 120_000).start();
    let dataStartMs: number;
    let createData: Load;
    let rssDataMb: number;
    try {
      dataStartMs = data.coldMs;
      log(`start-up with --data ${dataStartMs.toFixed(0)} ms`);
      rssDataMb = rssMb(data.pid);
      createData = await createLoad(data, agent, 'data');
      log(`create p50 with --data ${createData.p50.toFixed(2)} ms`);
    } finally {
      await data.stop();
    }
    // The --seed server (capped: the seed file writes every document through the content API);
    // reset goes back to its seed, the N documents: a create, then the reset that undoes it.
    let seedStartMs: number | undefined;
    let rssSeedMb: number | undefined;
    let resetMs: number[] = [];
    try {
      const seeded = await emulatorWith(5, 'emulator v5 --seed', ['--seed', seedFile(dir, documents)], settings.inProcessCapMs).start();
      try {
        seedStartMs = seeded.coldMs;
        rssSeedMb = rssMb(seeded.pid);
        log(`start-up with --seed ${seedStartMs.toFixed(0)} ms, RSS ${rssSeedMb.toFixed(0)} MB`);
        resetMs = await resets(seeded, agent, settings.quick ? 5 : 20);
        log(`reset to the seed: median ${median(resetMs).toFixed(2)} ms`);
      } finally {
        await seeded.stop();
      }
    } catch (error) {
      log(`start-up with --seed: ${(error as Error).message.split('\n')[0]}`);
    }
    return { ...row, resetMs, seedStartMs, dataStartMs, createData, rssDataMb, ...(rssSeedMb !== undefined ? { rssSeedMb } : {}) };
  } finally {
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The RSS of a fresh emulator v5 holding only its default world: the floor. */
export async function emptyRss(): Promise<number> {
  const t = await emulatorViaNode(5).start();
  try {
    await (await fetch(t.url + SCALE_PATH)).arrayBuffer();
    return rssMb(t.pid);
  } finally {
    await t.stop();
  }
}
