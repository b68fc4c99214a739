// `record`: a recording reverse proxy. Every request is streamed to the target as it comes and
// its answer streamed back (nothing waits for a whole body), while the first `bodyLimit` bytes of
// each side are kept; the exchange is appended to the recording once the answer has ended
// (exchange.ts: one line, one write). API tokens are kept as aliases, never in clear.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { DEFAULT_BODY_LIMIT, REQUEST_HEADERS, RESPONSE_HEADERS, RecordingWriter, encodeBody, pickHeaders } from './exchange.js';
import type { RecordingHeader } from './exchange.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/;

/** `Bearer <API token>` as recorded: an alias made from its hash (JWTs stay: verify maps them to the ones it is issued). */
export function tokenAlias(authorization: string): string {
  const m = /^Bearer\s+(.+)$/i.exec(authorization);
  if (!m || JWT.test(m[1])) return authorization;
  return `Bearer api-token-${createHash('sha256').update(m[1]).digest('hex').slice(0, 24)}`;
}

export const isTokenAlias = (v: string) => /^api-token-[0-9a-f]{24}$/.test(v);

/** Collects a stream's first `limit` bytes, its size and hash while it flows. */
class Tap {
  private chunks: Buffer[] = [];
  private kept = 0;
  size = 0;
  private hash = createHash('sha256');
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.kept <= this.limit) {
      this.chunks.push(chunk);
      this.kept += chunk.length;
    }
  }
  body(contentType: string | undefined) {
    if (this.size === 0) return undefined;
    if (this.size > this.limit) return { omitted: true as const, size: this.size, sha256: this.hash.digest('hex') };
    return encodeBody(Buffer.concat(this.chunks), contentType, this.limit);
  }
}

export type Recorder = { url: string; file: string; readonly count: number; close(): Promise<void> };

export async function startRecorder(opts: { target: string; out: string; port?: number; host?: string; bodyLimit?: number; instance?: RecordingHeader['instance']; onExchange?: (line: string) => void }): Promise<Recorder> {
  const target = new URL(opts.target);
  if (!['http:', 'https:'].includes(target.protocol)) throw new TypeError(`not an http(s) URL: ${opts.target}`);
  const limit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const base = target.pathname.replace(/\/+$/, '');
  const writer = new RecordingWriter(opts.out, {
    target: target.origin + base,
    startedAt: new Date().toISOString(),
    bodyLimit: limit,
    ...(opts.instance ? { major: opts.instance.major, instance: { major: opts.instance.major, locales: opts.instance.locales, permissions: opts.instance.permissions } } : {}),
  });
  const client = target.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true });

  const server = http.createServer((req, res) => {
    const t0 = Date.now();
    const at = new Date(t0).toISOString();
    const reqTap = new Tap(limit);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    headers.host = target.host;
    const path = req.url ?? '/';
    const recordedHeaders = pickHeaders(req.headers as Record<string, string>, REQUEST_HEADERS);
    if (recordedHeaders.authorization) recordedHeaders.authorization = tokenAlias(recordedHeaders.authorization);
    const finish = (status: number, resHeaders: Record<string, string>, resBody: ReturnType<Tap['body']>, error?: string) => {
      const request = { method: req.method ?? 'GET', path, headers: recordedHeaders, ...(reqTap.size ? { body: reqTap.body(recordedHeaders['content-type']) } : {}) };
      writer.write({ at, durationMs: Date.now() - t0, request, response: { status, headers: resHeaders, ...(resBody ? { body: resBody } : {}) }, ...(error ? { error } : {}) });
      opts.onExchange?.(`${req.method} ${path} → ${status}${error ? ` (${error})` : ''}`);
    };
    const upstream = client.request({ protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: `${base}${path}`, headers, agent }, (up) => {
      const resTap = new Tap(limit);
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.on('data', (c: Buffer) => resTap.push(c));
      up.pipe(res);
      up.on('end', () => {
        const h = pickHeaders(up.headers as Record<string, string>, RESPONSE_HEADERS);
        finish(up.statusCode ?? 502, h, resTap.body(h['content-type']));
      });
      up.on('error', (e) => res.destroy(e));
    });
    upstream.on('error', (e) => {
      const why = (e as NodeJS.ErrnoException).code ?? e.message;
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: null, error: { status: 502, name: 'BadGateway', message: `strapi-emulator record: ${target.origin} did not answer (${why})`, details: {} } }));
      } else res.destroy();
      finish(502, {}, undefined, `the target did not answer: ${why}`);
    });
    req.on('data', (c: Buffer) => reqTap.push(c));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    file: opts.out,
    get count() {
      return writer.count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          agent.destroy();
          writer.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
