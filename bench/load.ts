// autocannon on loopback: `connections` keep-alive connections for `seconds`, one fixed request,
// after a 1 s warm-up run that is not recorded (both the emulator and Strapi JIT-compile their
// hot paths during the first requests). autocannon reports latencies in whole milliseconds.
import autocannon from 'autocannon';
import type { Load } from './stats.js';

export async function cannon(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, seconds: number, connections: number): Promise<Load> {
  await autocannon({ url, ...init, connections, duration: 1 });
  const r = await autocannon({ url, ...init, connections, duration: seconds });
  return { requests: r.requests.total, seconds: r.duration, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}
