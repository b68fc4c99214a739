// How `check` talks to an instance: every request with a timeout; `--read-only` enforced here,
// below every scenario (a write is refused before it leaves the machine); the auth rate limit
// respected from the answers' X-RateLimit-* headers; and an instance that stops answering noticed
// once, after which every request fails with InstanceDown instead of `fetch failed`.
import { Agent, fetch as undiciFetch } from 'undici';

export type Answer = { status: number; headers: Headers; text: string; json: unknown; method: string; path: string };
export type RequestInit = { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string>; timeoutMs?: number; agent?: Agent; ignoreWindow?: boolean; retried?: boolean };

export class InstanceDown extends Error {}
export class WriteRefused extends Error {}

export type Sources = 'per-scenario' | 'one';
export type HttpOptions = {
  url: string;
  readOnly?: boolean;
  /**
   * 'per-scenario': each scenario from its own 127.0.x.y address (only for a loopback URL; Strapi
   * rate-limits auth per client address). 'one': every request from this machine's one address,
   * as from any other machine.
   */
  sources: Sources;
  timeoutMs?: number;
  /** Told when the client waits out an auth rate-limit window. */
  onWait?: (seconds: number, why: string) => void;
};

const isAuthPath = (path: string) => /^\/api\/(auth|connect)\//.test(path);
const cause = (error: unknown) => {
  const c = (error as { cause?: { code?: string; message?: string } }).cause;
  return c?.code ?? c?.message ?? (error as Error).message;
};

/** Whether the URL's host is this machine (so 127.0.x.y source addresses reach it). */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export class Http {
  readonly log: Array<{ method: string; path: string; status: number }> = [];
  down: string | undefined;
  private agents: Agent[] = [];
  private next = 0;
  private shared = new Agent();
  /**
   * Per agent and window key: when the window resets (ms) once it has no request left.
   * users-permissions counts per `email in the body : path : client address` (its rateLimit
   * middleware's prefixKey, 4.26.2 and 5.54.0), so a window is keyed by path and email.
   */
  private exhausted = new WeakMap<Agent, Map<string, number>>();

  constructor(readonly opts: HttpOptions) {}

  /** A source for one scenario: its own loopback address, or the one shared agent. */
  source(): Agent {
    if (this.opts.sources === 'one') return this.shared;
    const n = this.next++;
    const agent = new Agent({ localAddress: `127.0.${2 + Math.floor(n / 250) % 250}.${1 + (n % 250)}` });
    this.agents.push(agent);
    return agent;
  }

  async send(method: string, path: string, init: RequestInit = {}): Promise<Answer> {
    if (this.down) throw new InstanceDown(this.down);
    if (this.opts.readOnly && method !== 'GET' && method !== 'HEAD') throw new WriteRefused(`--read-only: ${method} ${path} not sent`);
    const agent = init.agent ?? this.shared;
    const windowKey = `${new URL(path, 'http://x').pathname.toLowerCase()}|${String((init.json as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`;
    if (isAuthPath(path) && !init.ignoreWindow) await this.waitForWindow(agent, windowKey);
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(init.json);
    }
    // Joined, not resolved: a Strapi behind a reverse proxy under a path (https://x/cms) keeps it.
    const url = this.opts.url.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
    let res: Awaited<ReturnType<typeof undiciFetch>>;
    let text: string;
    try {
      res = await undiciFetch(url, { method, headers, body: body as never, redirect: 'manual', dispatcher: agent, ...(body ? { duplex: 'half' as const } : {}), signal: AbortSignal.timeout(init.timeoutMs ?? this.opts.timeoutMs ?? 30_000) });
      text = await res.text();
    } catch (error) {
      if (error instanceof InstanceDown) throw error;
      // One failed request may be this request's fault (a reset upload); a failed health probe is not.
      if (!(await this.alive())) {
        this.down = `${this.opts.url} stopped answering (${method} ${path}: ${cause(error)}; GET / then got no answer within 10 s)`;
        throw new InstanceDown(this.down);
      }
      throw new Error(`${method} ${path}: no answer (${cause(error)}), though the instance still answers other requests`);
    }
    const answerHeaders = new Headers(res.headers as never);
    if (isAuthPath(path)) this.track(agent, windowKey, answerHeaders);
    // A window used up before this run (or by another client from the same address): wait it out once.
    if (res.status === 429 && isAuthPath(path) && !init.ignoreWindow && !init.retried && this.windowOf(agent, windowKey)) return this.send(method, path, { ...init, retried: true });
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    this.log.push({ method, path, status: res.status });
    return { status: res.status, headers: answerHeaders, text, json, method, path };
  }

  /** Answers anything at all (any status) within 10 s. */
  async alive(): Promise<boolean> {
    try {
      const res = await undiciFetch(this.opts.url.replace(/\/+$/, '') + '/', { dispatcher: this.shared, signal: AbortSignal.timeout(10_000), redirect: 'manual' });
      await res.arrayBuffer();
      return true;
    } catch {
      return false;
    }
  }

  private windowOf(agent: Agent, key: string): number | undefined {
    return this.exhausted.get(agent)?.get(key);
  }

  private track(agent: Agent, key: string, headers: Headers): void {
    if (!headers.has('x-ratelimit-remaining')) return;
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const reset = Number(headers.get('x-ratelimit-reset'));
    // X-RateLimit-Reset is in epoch seconds (koa2-ratelimit, 4.26.2 and 5.54.0).
    if (remaining <= 0 && reset > 0) this.exhaust(agent, reset, key);
    else this.exhausted.get(agent)?.delete(key);
  }

  private async waitForWindow(agent: Agent, key: string): Promise<void> {
    const until = this.windowOf(agent, key);
    if (!until) return;
    this.exhausted.get(agent)!.delete(key);
    const ms = until - Date.now() + 1000;
    if (ms <= 0) return;
    this.opts.onWait?.(Math.ceil(ms / 1000), `the auth rate limit of this address for ${key.split('|')[0]} is used up (X-RateLimit-Reset)`);
    await new Promise((r) => setTimeout(r, ms));
  }

  /** Marks this source's window `key` (`<path>|<email>`) as used up until `resetEpochSeconds`. */
  exhaust(agent: Agent, resetEpochSeconds: number, key: string): void {
    const windows = this.exhausted.get(agent) ?? new Map<string, number>();
    windows.set(key, resetEpochSeconds * 1000);
    this.exhausted.set(agent, windows);
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents, this.shared].map((a) => a.close().catch(() => {})));
  }
}
