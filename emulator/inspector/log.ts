// The inspector's "recent requests": a ring buffer of the last answered requests, filled by a
// RequestHook that createEmulator installs (so `npm start`, MSW and library use all have it).
// It is an observation of traffic, not emulated state: it is not in snapshots, and reset()
// keeps it (the requests before a reset did happen). Memory stays bounded: a fixed number of
// entries, each with its path, a few headers and the first characters of each body (the texts
// the HTTP core read and answered, no stream copied) cut to fixed lengths. Secrets are masked
// before anything is kept (mask.ts).
import { type Exchange, type RequestHook, clientIp, responseTextOf } from '../http/app.js';
import { bodyTextOf } from '../http/body.js';
import type { Store } from '../store/store.js';
import { maskHeader, maskSecrets } from './mask.js';

export type LoggedBody = {
  /** The media type (no parameters). */
  type: string;
  /** The first maxBodyLength characters, secrets masked; absent when the body is not text (a file, multipart) or was not read. */
  text?: string;
  /** The whole body's size in bytes when known (Content-Length or read to the end). */
  bytes?: number;
  /** The text stops before the end of the body. */
  truncated?: true;
};

export type LoggedRequest = {
  /** 1, 2, … in arrival order (tells how many fell off the ring). */
  seq: number;
  /** Wall-clock time the request arrived (epoch ms; the emulated clock may be moved). */
  at: number;
  method: string;
  /** Path and query string, cut at maxPathLength, secrets in the query masked. */
  path: string;
  status: number;
  operationId: string | undefined;
  durationMs: number;
  ip: string;
  /** A few request headers (authorization masked, cookies left out). */
  headers: Array<[string, string]>;
  request?: LoggedBody;
  response?: LoggedBody;
};

export const defaultCapacity = 200;
const maxPathLength = 1000;
export const maxBodyLength = 8 * 1024;
const keptHeaders = ['content-type', 'content-length', 'authorization', 'accept', 'origin', 'user-agent', 'x-emulator-client-ip'];

/** The inspector's own pages would push out the traffic one opens them to look at. */
const isInspectorPage = (pathname: string) => /^\/_emulator\/ui(\/|$)/i.test(pathname);

const mediaOf = (headers: Headers) => (headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
const isText = (type: string) => type === '' || type.startsWith('text/') || /[/+]json$/.test(type) || type === 'application/x-www-form-urlencoded' || type === 'application/javascript' || type === 'application/xml';
const declaredBytes = (headers: Headers) => {
  const n = Number(headers.get('content-length'));
  return headers.get('content-length') !== null && Number.isFinite(n) ? n : undefined;
};

/** What is kept of a body: its type and size always, its first characters (masked) when it was read as text. */
function bodyOf(headers: Headers, text: string | undefined): LoggedBody | undefined {
  const type = mediaOf(headers);
  const declared = declaredBytes(headers);
  if (text === undefined || !isText(type)) return type || declared ? { type, ...(declared !== undefined ? { bytes: declared } : {}) } : undefined;
  if (text === '') return undefined;
  const bytes = declared ?? Buffer.byteLength(text);
  // Cut now (a bounded copy, the request's own text is let go); masked when first looked at, not
  // on every request: the log costs a slice per request, the mask only what someone reads.
  const cut = text.length > maxBodyLength;
  const head = cut ? text.slice(0, maxBodyLength) : text;
  let masked: string | undefined;
  const body = { type, bytes, ...(cut ? { truncated: true as const } : {}) } as LoggedBody;
  Object.defineProperty(body, 'text', { enumerable: true, get: () => (masked ??= maskSecrets(head)) });
  return body;
}

export class RequestLog {
  private ring: LoggedRequest[] = [];
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
    const full = maskSecrets(exchange.url.pathname + exchange.url.search, 'query');
    const headers: Array<[string, string]> = [];
    for (const name of keptHeaders) {
      const value = exchange.request.headers.get(name);
      if (value !== null) headers.push([name, maskHeader(name, value).slice(0, 200)]);
    }
    const entry: LoggedRequest = {
      seq: ++this.seen,
      at: exchange.startedAt,
      method: exchange.method,
      path: full.length > maxPathLength ? `${full.slice(0, maxPathLength)}…` : full,
      status: exchange.response.status,
      operationId: exchange.operationId,
      durationMs: exchange.durationMs,
      ip: clientIp(exchange.request, exchange.env),
      headers,
    };
    // The texts the HTTP core read and wrote (no stream copied): the log costs a slice and a mask.
    const request = bodyOf(exchange.request.headers, bodyTextOf(exchange.request));
    if (request) entry.request = request;
    const response = bodyOf(exchange.response.headers, responseTextOf(exchange.response));
    if (response) entry.response = response;
    this.push(entry);
  }

  private push(entry: LoggedRequest): void {
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The entries kept, newest first. */
  recent(): LoggedRequest[] {
    const oldestFirst = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return [...oldestFirst].reverse();
  }

  /** One kept entry by its number. */
  get(seq: number): LoggedRequest | undefined {
    return this.ring.find((e) => e.seq === seq);
  }

  /** Requests recorded since start-up (including those no longer kept). */
  get total(): number {
    return this.seen;
  }

  /** Takes over another log's entries and count (`--watch` replaces the emulator, not the history). */
  adopt(other: RequestLog): void {
    const entries = [...other.recent()].reverse().slice(-this.capacity);
    this.ring = [];
    this.next = 0;
    for (const e of entries) this.push(e);
    this.seen = other.seen + this.seen;
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
