// In-process measurements, each in its own child process (own heap, and a wall-clock cap since a
// synchronous store operation cannot be interrupted): the emulator and the caller share a process.
//   msw      — the list call through MSW (setupServer + strapiHandlers + global fetch), one at a
//              time; and the same call through app.request() without MSW, for reference.
//   control  — control.restore(snapshot of N documents) into a seeded store, then control.reset()
//              back to the seed, for each N given.
// The child prints one JSON line per figure as soon as it has it, so a run stopped at the cap
// still reports what finished.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedLoop } from './loop.js';
import { LIST_PATH, settings, TOKEN } from './options.js';
import { spawnGroup } from './proc.js';
import type { Load } from './stats.js';

export type Line = { kind: 'msw' | 'direct' | 'mswFloor'; load: Load } | { kind: 'restore' | 'reset'; documents: number; ms: number };

const self = fileURLToPath(import.meta.url);
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url).href;

/** Runs the child; resolves to its lines and whether it hit the cap. */
export async function inProcess(mode: 'msw' | 'control', args: string[] = []): Promise<{ lines: Line[]; cappedAtMs?: number }> {
  const proc = spawnGroup(process.execPath, ['--import', 'tsx', self, mode, ...args, ...(settings.quick ? ['--quick'] : [])], {}, path.dirname(path.dirname(self)));
  let capped = false;
  const timer = setTimeout(() => {
    capped = true;
    void proc.stop();
  }, settings.inProcessCapMs);
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const lines = proc.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
  if (!capped && code !== 0) throw new Error(`in-process ${mode} failed (exit ${code}):\n${proc.output()}`);
  return capped ? { lines, cappedAtMs: settings.inProcessCapMs } : { lines };
}

const emit = (line: Line) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function newEmulator() {
  // The bundle (dist/index.js), not the TS sources under tsx: what a test runner would load.
  const { createEmulator } = (await import(dist('index.js'))) as typeof import('../emulator/index.js');
  const emulator = createEmulator({ strapi: 5, apiTokens: [{ accessKey: TOKEN, type: 'full-access', name: 'bench' }] });
  await emulator.ready;
  return emulator;
}

async function msw(): Promise<void> {
  const { setupServer } = await import('msw/node');
  const { strapiHandlers } = (await import(dist('msw.js'))) as typeof import('../emulator/msw.js');
  const { seedArticles } = await import('./fixture.js');
  const emulator = await newEmulator();
  await seedArticles((p, init) => emulator.app.request(p, init), 5, TOKEN, settings.fixtureDocs);
  const once = async (res: Response | Promise<Response>) => {
    const r = await res;
    await r.arrayBuffer();
    return r.status;
  };
  const opts = { seconds: settings.duration, connections: 1, warmup: 300 };
  const server = setupServer(...strapiHandlers('http://strapi.test', emulator));
  server.listen({ onUnhandledRequest: 'error' });
  emit({ kind: 'msw', load: await closedLoop(() => once(fetch(`http://strapi.test${LIST_PATH}`)), opts) });
  server.close();
  // What MSW costs on its own: the same request answered by a handler that does nothing.
  const { http } = await import('msw');
  const floor = setupServer(http.all('http://strapi.test/*', () => new Response('[]', { headers: { 'content-type': 'application/json' } })));
  floor.listen({ onUnhandledRequest: 'error' });
  emit({ kind: 'mswFloor', load: await closedLoop(() => once(fetch(`http://strapi.test${LIST_PATH}`)), opts) });
  floor.close();
  emit({ kind: 'direct', load: await closedLoop(() => once(emulator.app.request(LIST_PATH)), opts) });
}

async function control(sizes: number[]): Promise<void> {
  const { bulkSnapshot } = await import('./fixture.js');
  for (const documents of sizes) {
    const snapshot = await bulkSnapshot(5, documents);
    const emulator = await newEmulator();
    const repeats = documents <= 10_000 ? (settings.quick ? 3 : 10) : 1;
    for (let i = 0; i < repeats; i++) {
      let t = performance.now();
      await emulator.control.restore(snapshot);
      emit({ kind: 'restore', documents, ms: performance.now() - t });
      t = performance.now();
      await emulator.control.reset();
      emit({ kind: 'reset', documents, ms: performance.now() - t });
    }
  }
}

if (process.argv[1] === self) {
  const [mode, ...rest] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (mode === 'msw') await msw();
  else if (mode === 'control') await control(rest.map(Number));
  else throw new Error(`inprocess: unknown mode ${mode}`);
}
