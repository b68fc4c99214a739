// Scale: a fresh emulator (node dist/server.js, v5) per size, loaded with N documents in one
// PUT /_emulator/snapshot, then the filter + sort + pagination list, one request at a time
// (undici, one keep-alive connection) for the case duration: p50/p99 and the server's RSS.
import { Agent, request } from 'undici';
import { bulkSnapshot } from './fixture.js';
import { closedLoop } from './loop.js';
import { SCALE_PATH, settings } from './options.js';
import { rssMb } from './proc.js';
import type { Load } from './stats.js';
import { emulatorViaNode } from './targets.js';

export type ScaleRow = { documents: number; httpRestoreMs: number; matched: number; load: Load; rssMb: number };

export async function scaleRun(documents: number): Promise<ScaleRow> {
  const body = JSON.stringify(await bulkSnapshot(5, documents));
  const target = await emulatorViaNode(5).start();
  const agent = new Agent({ connections: 1 });
  try {
    const t = performance.now();
    const put = await fetch(`${target.url}/_emulator/snapshot`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
    if (!put.ok) throw new Error(`PUT /_emulator/snapshot (${documents} documents): ${put.status} ${(await put.text()).slice(0, 300)}`);
    await put.arrayBuffer();
    const httpRestoreMs = performance.now() - t;
    const first = await (await fetch(target.url + SCALE_PATH)).json();
    const load = await closedLoop(
      async () => {
        const res = await request(target.url + SCALE_PATH, { dispatcher: agent });
        await res.body.dump();
        return res.statusCode;
      },
      { seconds: settings.duration, connections: 1, warmup: 3 },
    );
    return { documents, httpRestoreMs, matched: first.meta?.pagination?.total ?? Number.NaN, load, rssMb: rssMb(target.pid) };
  } finally {
    await agent.close();
    await target.stop();
  }
}
