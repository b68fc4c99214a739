// Latency figures from raw samples (ms), and the median used for cold starts and repeats.
export type Load = { requests: number; seconds: number; rps: number; p50: number; p99: number; non2xx: number; errors: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function summarize(latencies: number[], seconds: number, non2xx: number, errors = 0): Load {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { requests: sorted.length, seconds, rps: sorted.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), non2xx, errors };
}
