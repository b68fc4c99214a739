// The crash test of `--data`: a real server process (`node --import tsx emulator/server.ts
// --data FILE --port 0`) takes concurrent writes — registrations, article creates and
// deletes, from several clients at once, so they share group commits — and is SIGKILLed at a
// random moment. Its journal is compacted every few KB (EMULATOR_DATA_COMPACT_BYTES), so the
// kill lands during an append, a group commit, or a compaction's snapshot write. Then the
// state file with its journals must load (as a restart does: readDurableState + restore into
// a fresh in-process emulator) and hold every write whose 2xx answer reached a client. The
// same files go on to the next iteration, so each start also loads (and cuts the torn tail
// of) what the last crash left, and every check covers the writes of all iterations so far.
// SIGKILL tests a process crash (the page cache survives it); power loss is covered by the
// fsyncs in journal.ts and state-file.ts by construction, not by this test.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { createEmulator } from '../index.js';
import { readDurableState } from './durable.js';
import { frame } from './journal.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const token = 'crash-test-full-access';
const password = 'Passw0rd!';

export type CrashOptions = {
  iterations: number;
  /** Concurrent writers (default 8). */
  clients?: number;
  /** The longest a server lives once the writes start, in ms (default 1500; the kill comes at a uniform random moment before). */
  maxLifeMs?: number;
  strapi?: 4 | 5;
  /** The journal size at which it is compacted (default 16 KiB: every few dozen writes). */
  compactBytes?: number;
  log?: (line: string) => void;
};

export type CrashReport = {
  iterations: number;
  /** Writes whose 2xx answer arrived (registrations + creates + deletes), over all iterations. */
  acknowledged: number;
  /** Acknowledged writes missing from the file after a crash (creates absent, deletes undone). */
  losses: number;
  /** Crashes after which the file did not load (or the next server did not start on it). */
  unloadable: number;
  /** Requests sent but cut off by the kill: their writes may or may not be in the file. */
  cutOff: number;
  /** Kills that landed during a compaction (a temp snapshot left, or two journals). */
  midWrite: number;
  /** Kills that left a torn last record (dropped at load): landed during an append, or every third one made to look so. */
  tornTails: number;
  problems: string[];
};

type World = {
  users: Set<string>;
  /** Article titles whose create was acknowledged → its documentId (v5) or id (v4). */
  articles: Map<string, string>;
  /** Titles a delete was sent for (acknowledged or not: either outcome is then correct). */
  deleteSent: Set<string>;
  /** Titles whose delete was acknowledged. */
  deleted: Set<string>;
};

/** Starts `emulator/server.ts` with `args` (and `--port 0`); resolves with its URL, or rejects with what it printed. */
export function startServer(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'emulator', 'server.ts'), '--port', '0', '--quiet', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !['PORT', 'HOST', 'JWT_SECRET', 'EMULATOR_DATA', 'EMULATOR_DATA_COMPACT_BYTES', 'STRAPI_VERSION'].includes(k))), ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL printed within 60 s: ${out}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${signal ?? code}) before listening: ${out.trim()}`));
    });
  });
}

/** Sends one JSON request; `undefined` when the connection died (the kill). */
async function send(dispatcher: Agent, cutOffAllowed: () => boolean, method: 'POST' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; json: any } | undefined> {
  try {
    const res = await request(url, {
      method,
      dispatcher,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
  } catch (error) {
    if (!cutOffAllowed()) throw new Error(`${method} ${url} failed before the kill: ${(error as Error).message}`);
    return undefined;
  }
}

/** Loads the file as a fresh emulator would and checks every acknowledged write is in it. */
async function verify(file: string, major: 4 | 5, world: World): Promise<{ loadError?: string; lost: string[]; torn: boolean }> {
  const emulator = createEmulator({ strapi: major });
  await emulator.ready;
  let torn = false;
  try {
    const state = await readDurableState(file);
    if (!state) throw new Error('no state file');
    torn = state.journals.some((j) => j.torn > 0);
    await emulator.store.restore(state.snapshot);
  } catch (error) {
    return { loadError: (error as Error).message, lost: [], torn };
  }
  const usernames = new Set(emulator.store.users.all().map((u) => u.username));
  const content = emulator.store.snapshot().extensions?.content as { documents: { tables: Record<string, { rows: Array<{ title: string }> }> } };
  const titles = new Set(content.documents.tables['api::article.article'].rows.map((r) => r.title));
  const lost: string[] = [];
  for (const u of world.users) if (!usernames.has(u)) lost.push(`user ${u}`);
  if (usernames.has('never-acknowledged')) lost.push('a torn record was applied');
  for (const t of world.articles.keys()) if (!world.deleteSent.has(t) && !titles.has(t)) lost.push(`article ${t}`);
  for (const t of world.deleted) if (titles.has(t)) lost.push(`delete of article ${t}`);
  return { lost, torn };
}

export async function runCrashTest(opts: CrashOptions): Promise<CrashReport> {
  const major = opts.strapi ?? 5;
  const clients = opts.clients ?? 8;
  const maxLifeMs = opts.maxLifeMs ?? 1500;
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'emulator-crash-'));
  const file = join(dir, 'state.json');
  const world: World = { users: new Set(), articles: new Map(), deleteSent: new Set(), deleted: new Set() };
  const report: CrashReport = { iterations: 0, acknowledged: 0, losses: 0, unloadable: 0, cutOff: 0, midWrite: 0, tornTails: 0, problems: [] };
  const env = { EMULATOR_DATA_COMPACT_BYTES: String(opts.compactBytes ?? 16 * 1024) };
  const collection = '/api/articles';
  try {
    for (let iteration = 1; iteration <= opts.iterations; iteration++) {
      let server;
      try {
        server = await startServer(['--data', file, '--strapi', String(major), '--api-token', token], env);
      } catch (error) {
        // Only a state file the server refuses counts as unloadable; anything else is the harness's failure.
        if (!/data file/.test((error as Error).message)) throw error;
        report.unloadable += 1;
        report.problems.push(`iteration ${iteration}: ${(error as Error).message}`);
        break;
      }
      const { child, url } = server;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const dispatcher = new Agent({ connections: clients });
      let stopped = false;
      let acked = 0;
      let cut = 0;
      const writer = async (client: number) => {
        const mine: string[] = [];
        for (let n = 0; !stopped; n++) {
          const name = `i${iteration}c${client}n${n}`;
          const pick = Math.random();
          if (pick < 0.3) {
            const res = await send(dispatcher, () => stopped, 'POST', `${url}/api/auth/local/register`, { username: name, email: `${name}@example.com`, password });
            if (!res) cut += 1;
            else if (res.status === 200) {
              world.users.add(name);
              acked += 1;
            } else throw new Error(`register ${name}: ${res.status} ${JSON.stringify(res.json)}`);
          } else if (pick < 0.8 || mine.length === 0) {
            const res = await send(dispatcher, () => stopped, 'POST', `${url}${collection}`, { data: { title: name } });
            if (!res) cut += 1;
            else if (res.status === 200 || res.status === 201) {
              world.articles.set(name, String(major === 5 ? res.json.data.documentId : res.json.data.id));
              mine.push(name);
              acked += 1;
            } else throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.json)}`);
          } else {
            const title = mine.splice(Math.floor(Math.random() * mine.length), 1)[0];
            world.deleteSent.add(title);
            const res = await send(dispatcher, () => stopped, 'DELETE', `${url}${collection}/${world.articles.get(title)}`);
            if (!res) cut += 1;
            else if (res.status === 200 || res.status === 204) {
              world.deleted.add(title);
              acked += 1;
            } else throw new Error(`delete ${title}: ${res.status} ${JSON.stringify(res.json)}`);
          }
        }
      };
      const writers = Array.from({ length: clients }, (_, c) => writer(c));
      const lifeMs = Math.floor(Math.random() * maxLifeMs);
      await new Promise((r) => setTimeout(r, lifeMs));
      stopped = true; // no new requests; those in flight finish or are cut off
      child.kill('SIGKILL');
      await exited;
      // A SIGKILL rarely lands inside the one write() of an append: every third kill, what one that did would leave
      // (the start of a record that was never acknowledged) is added to the last journal. The next start must drop it.
      if (iteration % 3 === 0) {
        const last = readdirSync(dir).filter((name) => name.includes('.journal.')).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop())).at(-1);
        const record = frame({ tables: { users: { nextId: 1e6, put: [{ id: 999_999, username: 'never-acknowledged' }], del: [] } } });
        if (last) appendFileSync(join(dir, last), record.subarray(0, 1 + Math.floor(Math.random() * (record.length - 2))));
      }
      const names = readdirSync(dir);
      const killedMidWrite = names.some((name) => name.endsWith('.tmp')) || names.filter((name) => name.includes('.journal.')).length > 1;
      if (killedMidWrite) report.midWrite += 1;
      const failures = (await Promise.allSettled(writers)).filter((r) => r.status === 'rejected');
      await dispatcher.close().catch(() => undefined);
      if (failures.length) throw (failures[0] as PromiseRejectedResult).reason;
      const { loadError, lost, torn } = await verify(file, major, world);
      if (torn) report.tornTails += 1;
      report.iterations = iteration;
      report.acknowledged += acked;
      report.cutOff += cut;
      report.losses += lost.length;
      if (loadError) {
        report.unloadable += 1;
        report.problems.push(`iteration ${iteration}: ${loadError}`);
      }
      if (lost.length) report.problems.push(`iteration ${iteration}: lost ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ` and ${lost.length - 5} more` : ''}`);
      log(`iteration ${iteration}: killed after ${lifeMs} ms${killedMidWrite ? ' (mid-compaction)' : ''}${torn ? ' (mid-append: torn record dropped)' : ''}, ${acked} acknowledged, ${cut} cut off, ${lost.length} lost${loadError ? `, UNLOADABLE: ${loadError}` : ''}`);
      if (loadError) break;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
