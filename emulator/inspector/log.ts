// The inspector's "recent requests": a ring buffer of the last answered requests, filled by a
// RequestHook that createEmulator installs (so `npm start`, MSW and library use all have it).
// It is an observation of traffic, not emulated state: it is not in snapshots, and reset()
// keeps it (the requests before a reset did happen). Memory stays bounded: a fixed number
// of entries, each with its path cut to a fixed length.
import { type Exchange, type RequestHook, clientIp } from '../http/app.js';
import type { Store } from '../store/store.js';

export type LoggedRequest = {
  /** 1, 2, … in arrival order (tells how many fell off the ring). */
  seq: number;
  /** Wall-clock time the request arrived (epoch ms; the emulated clock may be moved). */
  at: number;
  method: string;
  /** Path and query string, cut at maxPathLength. */
  path: string;
  status: number;
  operationId: string | undefined;
  durationMs: number;
  ip: string;
};

export const defaultCapacity = 200;
const maxPathLength = 1000;

/** The inspector's own pages would push out the traffic one opens them to look at. */
const isInspectorPage = (pathname: string) => /^\/_emulator\/ui(\/|$)/i.test(pathname);

export class RequestLog {
  private readonly ring: LoggedRequest[] = [];
  private next = 0;
  private seen = 0;

  constructor(readonly capacity = defaultCapacity) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`request log capacity must be a positive integer, got ${capacity}`);
  }

  readonly hook: RequestHook = {
    name: 'inspector',
    after: (exchange) => this.record(exchange),
  };

  record(exchange: Exchange): void {
    if (isInspectorPage(exchange.url.pathname)) return;
    const full = exchange.url.pathname + exchange.url.search;
    const entry: LoggedRequest = {
      seq: ++this.seen,
      at: exchange.startedAt,
      method: exchange.method,
      path: full.length > maxPathLength ? `${full.slice(0, maxPathLength)}…` : full,
      status: exchange.response.status,
      operationId: exchange.operationId,
      durationMs: exchange.durationMs,
      ip: clientIp(exchange.request, exchange.env),
    };
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The entries kept, newest first. */
  recent(): LoggedRequest[] {
    const oldestFirst = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return [...oldestFirst].reverse();
  }

  /** Requests recorded since start-up (including those no longer kept). */
  get total(): number {
    return this.seen;
  }
}

const logs = new WeakMap<Store, RequestLog>();

/** Creates the request log of the emulator that owns `store`; install its hook with emulator.use(). */
export function installRequestLog(store: Store, capacity?: number): RequestLog {
  if (logs.has(store)) throw new Error('this emulator already has a request log');
  const log = new RequestLog(capacity);
  logs.set(store, log);
  return log;
}

/** The request log of the emulator a request runs in (undefined when none was installed). */
export function requestLogOf(store: Store): RequestLog | undefined {
  return logs.get(store);
}
