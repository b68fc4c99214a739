// Sends generated requests to a seeded emulator and checks the three properties every answer
// must have: no 5xx (but the 500 real Strapi gives too, marked X-Strapi-Emulator-Crash), conformance to the spec (status documented, content type, body schema —
// the validator the tests use), and no state change from a write that failed.
import { crashHeader } from '../../emulator/http/errors.js';
import fc from 'fast-check';
import type { StoreSnapshot } from '../../emulator/index.js';
import { type FuzzOperation, type FuzzRequest, anyRequest, fuzzOperations } from './requests.js';
import { SchemaValues } from './schema-values.js';
import { type Seeded, seedWorld } from './world.js';

export type FindingKind = '5xx' | 'spec' | 'state';
export type Finding = { kind: FindingKind; request: FuzzRequest; status: number; detail: string };
export type Outcome = { status: number; findings: Finding[] };

const writes = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/**
 * What may change on a failed request, because real Strapi changes it too:
 * - the rate limiter's hits: koa2-ratelimit counts a request before the handler runs, so a
 *   refused login (400) or a 429 still uses up the window (the limiter is the point);
 * - an API token's `lastUsedAt`: admin's api-token strategy writes it while authenticating,
 *   before the route's handler or validation can fail.
 * Everything else (tables, documents, files, outbox, settings, webhooks) must be as before.
 */
export function comparable(snapshot: StoreSnapshot): string {
  const { rateLimit: _ignored, ...rest } = snapshot;
  return JSON.stringify({ ...rest, apiTokens: { ...rest.apiTokens, rows: rest.apiTokens.rows.map(({ lastUsedAt: _used, ...token }) => token) } });
}

/** The parts of two snapshots that differ (top level, and the extension or table name). */
function differences(before: string, after: string): string {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
    if (key === 'extensions') {
      const ea = a[key] as Record<string, unknown>;
      const eb = b[key] as Record<string, unknown>;
      for (const name of Object.keys({ ...ea, ...eb })) if (JSON.stringify(ea[name]) !== JSON.stringify(eb[name])) out.push(`extensions.${name}: ${JSON.stringify(eb[name]).slice(0, 300)}`);
    } else out.push(`${key}: ${JSON.stringify(b[key]).slice(0, 300)}`);
  }
  return out.join('; ');
}

export function toInit(request: FuzzRequest): RequestInit {
  const headers = new Headers();
  for (const [k, v] of Object.entries(request.headers)) headers.set(k, v);
  let body: BodyInit | undefined;
  if (request.body?.kind === 'text') body = request.body.text;
  else if (request.body?.kind === 'multipart') {
    const form = new FormData();
    for (const part of request.body.parts) {
      if ('filename' in part) form.append(part.name, new File([new Uint8Array(Buffer.from(part.bytes, 'latin1'))], part.filename, { type: part.type }));
      else form.append(part.name, part.value);
    }
    body = form;
  }
  return { method: request.method, headers, body };
}

/** A request as something to paste: method, path, headers and body. */
export function reproducer(request: FuzzRequest): string {
  const body = request.body?.kind === 'text' ? request.body.text : request.body?.kind === 'multipart' ? JSON.stringify(request.body.parts) : undefined;
  const short = (s: string) => (s.length > 600 ? `${s.slice(0, 600)}… (${s.length} chars)` : s);
  return [`${request.method} ${short(request.path)}  (client ${request.ip})`, ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`), ...(body !== undefined ? ['', short(body)] : [])].join('\n');
}

export class Fuzzer {
  readonly ops: FuzzOperation[];
  readonly arbitrary: fc.Arbitrary<FuzzRequest>;
  private baseline: StoreSnapshot;

  private constructor(readonly world: Seeded) {
    const values = new SchemaValues(world.emulator.spec as never);
    this.ops = fuzzOperations(world.emulator.spec, values);
    this.arbitrary = anyRequest(this.ops, values, world);
    this.baseline = world.emulator.store.snapshot();
  }

  static async create(major: 4 | 5): Promise<Fuzzer> {
    // Quiet: a 500 is reported as a finding with its request; the stack goes to stderr only when asked.
    const world = await seedWorld({ strapi: major });
    return new Fuzzer(world);
  }

  /** Back to the seeded world (and the real clock): keeps the store small and the JWTs valid. */
  async rewind(to: StoreSnapshot = this.baseline): Promise<void> {
    await this.world.emulator.store.restore(to);
    this.world.emulator.store.clock.resetOffset();
  }

  snapshot(): StoreSnapshot {
    return this.world.emulator.store.snapshot();
  }

  async send(request: FuzzRequest): Promise<Outcome> {
    const { emulator, validator } = this.world;
    const write = writes.has(request.method);
    const before = write ? comparable(emulator.store.snapshot()) : '';
    const url = `http://127.0.0.1:1337${request.path}`;
    const res = await this.world.send(request.path, toInit(request), request.ip);
    const text = await res.text();
    const findings: Finding[] = [];
    // The only 5xx allowed: the 500 real Strapi gives too, marked by the emulator with why.
    if (res.status >= 500 && !(res.status === 500 && res.headers.get(crashHeader))) findings.push({ kind: '5xx', request, status: res.status, detail: text.slice(0, 500) });
    const verdict = validator.check({ method: request.method, url, status: res.status, headers: res.headers, body: text });
    if (verdict.violations.length) findings.push({ kind: 'spec', request, status: res.status, detail: verdict.violations.join('\n').slice(0, 1500) });
    if (write && res.status >= 400) {
      const after = comparable(emulator.store.snapshot());
      if (after !== before) findings.push({ kind: 'state', request, status: res.status, detail: differences(before, after) });
    }
    return { status: res.status, findings };
  }
}
