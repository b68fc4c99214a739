// The part of autocannon 9's programmatic API the bench uses (the package ships no types).
declare module 'autocannon' {
  type Histogram = { average: number; p50: number; p99: number; total: number; min: number; max: number };
  export type Result = { requests: Histogram; latency: Histogram; duration: number; errors: number; timeouts: number; non2xx: number; statusCodeStats: Record<string, { count: number }> };
  export type Options = { url: string; method?: string; headers?: Record<string, string>; body?: string; connections?: number; duration?: number };
  export default function autocannon(opts: Options): Promise<Result>;
}
