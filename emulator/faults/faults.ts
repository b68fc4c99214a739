// Fault injection: make chosen routes slow, fail with a given status, or drop the connection
// — for the next N requests or a share of them (a seeded PRNG, so a run is repeatable) — to
// test a client's timeouts, retries and error handling against a Strapi that misbehaves.
// Faults run as a request hook (http/app.ts RequestHook) installed while any exists; the
// control API (/_emulator/*) is never faulted. reset() clears them (they are not part of the
// emulated Strapi, so snapshot/restore leave them alone).
import { toResponse, errorReply, strapiHeaders, type RequestHook } from '../http/app.js';
import { isObject } from '../http/context.js';
import { errorForStatus } from '../http/errors.js';

export type FaultSpec = {
  /** `[METHOD ]pattern`: `POST /api/auth/local`, `/api/articles*` (`*` matches anything, `/` included; no method: any). */
  route: string;
  /** Milliseconds to wait before answering (or failing). */
  latency?: number;
  /** Answer with this 4xx/5xx status and Strapi's error envelope for it instead of serving the request. */
  status?: number;
  /** Drop the connection: the node server destroys the socket; in-process (app.fetch, MSW) the answer is a network error. */
  drop?: boolean;
  /** Apply to the next N matching requests only (default: every one). */
  times?: number;
  /** Apply to this share of matching requests, 0..1 (default 1), drawn from a PRNG seeded with `seed`. */
  ratio?: number;
  /** The PRNG seed for `ratio` (default 1). */
  seed?: number;
};

export type Fault = Required<Pick<FaultSpec, 'route'>> &
  Omit<FaultSpec, 'route' | 'seed' | 'times'> & {
    id: number;
    /** Requests that matched the route (whether or not the fault applied). */
    matched: number;
    /** Requests the fault was applied to. */
    applied: number;
    /** Applications left (null: no limit). */
    remaining: number | null;
    seed: number;
  };

export class FaultError extends Error {}

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** mulberry32: small, fast and good enough to pick which requests fail. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Matcher = { method: string | undefined; pattern: RegExp };

function parseRoute(route: unknown): Matcher {
  if (typeof route !== 'string' || !route.trim()) throw new FaultError('route must be a string like "POST /api/auth/local" or "/api/articles*"');
  const parts = route.trim().split(/\s+/);
  if (parts.length > 2) throw new FaultError(`route "${route}": expected "[METHOD ]/path"`);
  const [method, path] = parts.length === 2 ? [parts[0].toUpperCase(), parts[1]] : [undefined, parts[0]];
  if (method !== undefined && method !== '*' && !methods.includes(method)) throw new FaultError(`route "${route}": unknown method ${method}`);
  if (!path.startsWith('/') && path !== '*') throw new FaultError(`route "${route}": the path must start with /`);
  const source = path
    .replace(/\/+$/, '')
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  // As Strapi's router: case-insensitive, an optional trailing slash.
  return { method: method === '*' ? undefined : method, pattern: new RegExp(`^${source}/?$`, 'i') };
}


type Active = { fault: Fault; matcher: Matcher; random: () => number };

export function checkFault(spec: unknown): FaultSpec {
  if (!isObject(spec)) throw new FaultError('a fault must be an object like {route, latency?, status?, drop?, times?, ratio?, seed?}');
  const extra = Object.keys(spec).filter((k) => !['route', 'latency', 'status', 'drop', 'times', 'ratio', 'seed'].includes(k));
  if (extra.length) throw new FaultError(`unknown fault keys: ${extra.join(', ')}`);
  parseRoute(spec.route);
  const { latency, status, drop, times, ratio, seed } = spec;
  if (latency !== undefined && !(typeof latency === 'number' && Number.isFinite(latency) && latency >= 0 && latency <= 600_000)) throw new FaultError('latency must be a number of milliseconds, 0..600000');
  if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599)) throw new FaultError('status must be an integer 400..599');
  if (drop !== undefined && typeof drop !== 'boolean') throw new FaultError('drop must be a boolean');
  if (drop && status !== undefined) throw new FaultError('give status or drop, not both');
  if (latency === undefined && status === undefined && !drop) throw new FaultError('a fault needs latency, status or drop');
  if (times !== undefined && !(Number.isInteger(times) && (times as number) >= 1)) throw new FaultError('times must be a positive integer');
  if (ratio !== undefined && !(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) throw new FaultError('ratio must be a number 0..1');
  if (seed !== undefined && !Number.isInteger(seed)) throw new FaultError('seed must be an integer');
  return spec as FaultSpec;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An emulator's faults. `use` installs its request hook (emulator.use). */
export class Faults {
  private active: Active[] = [];
  private nextId = 1;
  private unhook: (() => void) | undefined;

  constructor(private readonly use: (hook: RequestHook) => () => void) {}

  list(): Fault[] {
    return this.active.map((a) => ({ ...a.fault }));
  }

  add(spec: FaultSpec): Fault {
    const s = checkFault(spec);
    const seed = s.seed ?? 1;
    const fault: Fault = {
      id: this.nextId++,
      route: s.route.trim(),
      ...(s.latency !== undefined ? { latency: s.latency } : {}),
      ...(s.status !== undefined ? { status: s.status } : {}),
      ...(s.drop ? { drop: true } : {}),
      ...(s.ratio !== undefined ? { ratio: s.ratio } : {}),
      seed,
      matched: 0,
      applied: 0,
      remaining: s.times ?? null,
    };
    this.active.push({ fault, matcher: parseRoute(s.route), random: prng(seed) });
    this.unhook ??= this.use({
      name: 'faults',
      before: (request, url, env) => this.before(request, url, env),
      // POST /_emulator/reset clears the faults too (in-process reset() calls clear()).
      after: (exchange) => {
        if (exchange.operationId === 'emulatorReset' && exchange.response.status === 200) this.clear();
      },
    });
    return { ...fault };
  }

  remove(id: number): boolean {
    const before = this.active.length;
    this.active = this.active.filter((a) => a.fault.id !== id);
    if (!this.active.length) this.uninstall();
    return this.active.length !== before;
  }

  clear(): void {
    this.active = [];
    this.uninstall();
  }

  /**
   * Takes the hook out once no fault is left — later, not while the pipeline may be walking
   * its hook list — so requests without faults take the pipeline's hook-free path again.
   */
  private uninstall(): void {
    if (!this.unhook) return;
    setImmediate(() => {
      if (this.active.length || !this.unhook) return;
      this.unhook();
      this.unhook = undefined;
    });
  }

  /** The fault that applies to this request, if any (counters move). */
  private pick(method: string, pathname: string): Fault | undefined {
    for (const a of this.active) {
      const { fault, matcher } = a;
      if (fault.remaining === 0) continue;
      if (matcher.method !== undefined && matcher.method !== method) continue;
      if (!matcher.pattern.test(pathname)) continue;
      fault.matched++;
      if (fault.ratio !== undefined && !(a.random() < fault.ratio)) continue;
      fault.applied++;
      if (fault.remaining !== null) fault.remaining--;
      return fault;
    }
    return undefined;
  }

  private async before(request: Request, url: URL, env: unknown): Promise<Response | undefined> {
    if (/^\/_emulator(\/|$)/i.test(url.pathname)) return undefined;
    const fault = this.pick(request.method.toUpperCase(), url.pathname);
    if (!fault) return undefined;
    if (fault.latency) await sleep(fault.latency);
    if (fault.drop) {
      const socket = (env as { incoming?: { socket?: { destroy?: () => void } } } | undefined)?.incoming?.socket;
      if (typeof socket?.destroy === 'function') {
        socket.destroy();
        // Nobody reads it (the socket is gone); @hono/node-server wants a status it can write.
        return new Response(null, { status: 500 });
      }
      // In-process (app.fetch, MSW): fetch rejects with a network error.
      return Response.error();
    }
    if (fault.status !== undefined) return toResponse(request, errorReply(errorForStatus(fault.status)), strapiHeaders(request));
    return undefined;
  }
}

const registry = new WeakMap<object, Faults>();

/** Ties an emulator's faults to its store, where the control handlers find them. */
export function attachFaults(store: object, faults: Faults): Faults {
  registry.set(store, faults);
  return faults;
}

export function faultsOf(store: object): Faults | undefined {
  return registry.get(store);
}
