// Durable writes (issue 15): the p50 of a create (POST /api/articles, one at a time, one
// keep-alive connection) in a world of N documents, on the emulator without `--data` and with
// it (a state file in a fresh temp folder), measured in one run; the ratio is the target
// (≤ 2 at 100k documents: a write costs the change, not the world). Each server is loaded with
// the N documents in one PUT /_emulator/snapshot first (with `--data` that is one big journal
// record, compacted in the background by a later create: part of what is measured).
//
// `durableWritesRun(N)` is for the growth section of bench/run.ts; run alone:
// `npx tsx bench/durable-writes.ts [N …]` (builds dist/ first).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { articleData, bearer, bulkSnapshot } from './fixture.js';
import { TOKEN } from './options.js';
import { percentile } from './stats.js';
import { type Starter, buildTargets, emulatorViaNode } from './targets.js';

export type DurableWritesRow = { documents: number; creates: number; memoryP50Ms: number; dataP50Ms: number; dataP99Ms: number; ratio: number };

/** A started server loaded with `body`, and one create on it (its latency in ms). */
async function loaded(starter: Starter, body: string) {
  const target = await starter.start();
  const agent = new Agent({ connections: 1 });
  const put = await fetch(`${target.url}/_emulator/snapshot`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
  if (!put.ok) {
    await target.stop();
    throw new Error(`${starter.name}: PUT /_emulator/snapshot: ${put.status} ${(await put.text()).slice(0, 300)}`);
  }
  await put.arrayBuffer();
  let n = 0;
  return {
    async create(): Promise<number> {
      const t = performance.now();
      const res = await request(`${target.url}/api/articles`, { method: 'POST', dispatcher: agent, headers: { ...bearer(TOKEN), 'content-type': 'application/json' }, body: JSON.stringify(articleData(1_000_000 + n++)) });
      await res.body.dump();
      if (res.statusCode !== 201) throw new Error(`${starter.name}: create answered ${res.statusCode}`);
      return performance.now() - t;
    },
    async stop() {
      await agent.close();
      await target.stop();
    },
  };
}

/**
 * One row: the same creates in a world of `documents`, without and with `--data`, the two
 * servers running side by side and taking turns (so a busy moment of a shared machine falls
 * on both alike). dist/ must be built (buildTargets()).
 */
export async function durableWritesRun(documents: number, creates = 300): Promise<DurableWritesRow> {
  const body = JSON.stringify(await bulkSnapshot(5, documents));
  const dir = mkdtempSync(join(tmpdir(), 'bench-durable-'));
  const memory = await loaded(emulatorViaNode(5), body);
  try {
    const data = await loaded(emulatorViaNode(5, ['--data', join(dir, 'state.json')]), body);
    try {
      const samples = { memory: [] as number[], data: [] as number[] };
      // The first ones are not counted (JIT warm-up; with --data, the compaction the big PUT calls for starts).
      for (let i = -30; i < creates; i++) {
        const m = await memory.create();
        const d = await data.create();
        if (i < 0) continue;
        samples.memory.push(m);
        samples.data.push(d);
      }
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      const [m, d] = [sorted(samples.memory), sorted(samples.data)];
      return { documents, creates, memoryP50Ms: percentile(m, 50), dataP50Ms: percentile(d, 50), dataP99Ms: percentile(d, 99), ratio: percentile(d, 50) / percentile(m, 50) };
    } finally {
      await data.stop();
    }
  } finally {
    await memory.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number);
  await buildTargets();
  for (const n of sizes.length ? sizes : [1000, 10_000, 100_000]) {
    const r = await durableWritesRun(n);
    console.log(`${n} documents: create p50 ${r.memoryP50Ms.toFixed(2)} ms without --data, ${r.dataP50Ms.toFixed(2)} ms with (p99 ${r.dataP99Ms.toFixed(2)} ms): ×${r.ratio.toFixed(2)}`);
  }
}
