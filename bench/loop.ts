// A closed-loop load generator for what autocannon cannot do: logins from many source addresses
// (undici Agent per address), single-connection latency series with sub-millisecond resolution,
// and in-process MSW calls. `connections` workers each send, wait, and send again until the
// time is up; every latency is kept.
import { type Load, summarize } from './stats.js';

/** One request: resolves to its HTTP status. `worker` is the worker's index. */
export type Send = (worker: number) => Promise<number>;

export async function closedLoop(send: Send, opts: { seconds: number; connections: number; warmup?: number }): Promise<Load> {
  for (let i = 0; i < (opts.warmup ?? 0); i++) await send(0);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  const worker = async (w: number) => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        const status = await send(w);
        latencies.push(performance.now() - t);
        if (status < 200 || status > 299) non2xx++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, (_, w) => worker(w)));
  return summarize(latencies, (performance.now() - start) / 1000, non2xx, errors);
}
