// Test helper: an emulator plus a `call()` that sends a request through app.request() (from
// a chosen client address) and checks the answer against the spec with contracts/validate.ts
// — every answer a test sees must be one the spec documents, unless the test says
// `validate: false` (paths the spec does not have, like unknown routes).
import { expect } from 'vitest';
import { SpecValidator } from '../contracts/validate.js';
import type { SpecDocument } from './config.js';
import { type Emulator, type EmulatorOptions, createEmulator } from './index.js';

export type CallOptions = {
  /** `Authorization: Bearer <token>`. */
  token?: string;
  /** A JSON body (sets content-type). */
  json?: unknown;
  /** A raw body, sent as is. */
  raw?: BodyInit;
  headers?: Record<string, string>;
  /** The client address (rate-limit buckets are per address). */
  ip?: string;
  /** Check the answer against the spec (default true). */
  validate?: boolean;
};

export type Answer = { status: number; headers: Headers; text: string; body: any };

export const fullAccessToken = 'test-full-access-token';
export const readOnlyToken = 'test-read-only-token';
export const password = 'Passw0rd!';

const validators = new WeakMap<SpecDocument, SpecValidator>();

export async function setup(options: EmulatorOptions = {}) {
  const emulator: Emulator = createEmulator({
    bcryptCost: 4,
    jwtSecret: 'test-jwt-secret',
    apiTokens: [
      { accessKey: fullAccessToken, type: 'full-access' },
      { accessKey: readOnlyToken, type: 'read-only' },
    ],
    // The tests assert the crash header; the log line would only be noise here.
    onStrapiCrash: () => undefined,
    ...options,
  });
  let validator = validators.get(emulator.spec);
  if (!validator) {
    validator = new SpecValidator(emulator.spec);
    validators.set(emulator.spec, validator);
  }
  await emulator.ready;
  let nextIp = 1;

  async function call(method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
    const headers = new Headers(opts.headers);
    if (opts.token !== undefined) headers.set('authorization', `Bearer ${opts.token}`);
    let body: BodyInit | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const url = `http://127.0.0.1:1337${path}`;
    const env = { incoming: { socket: { remoteAddress: opts.ip ?? '127.0.0.1' } } };
    const res = await emulator.app.request(url, { method, headers, body }, env);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      /* a text answer */
    }
    if (opts.validate !== false) {
      const verdict = validator!.check({ method, url, status: res.status, headers: res.headers, body: text });
      expect(verdict.violations, `${method} ${path} → ${res.status} must conform to the spec`).toEqual([]);
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  /** A fresh loopback address, so a scenario has its own rate-limit buckets. */
  const ip = () => `127.0.${1 + Math.floor(nextIp / 250)}.${1 + (nextIp++ % 250)}`;

  let seq = 0;
  /** Registers a new user; returns its JWT, id and credentials. */
  async function register(overrides: { username?: string; email?: string } = {}) {
    seq += 1;
    const username = overrides.username ?? `user${seq}`;
    const email = overrides.email ?? `${username}@example.com`;
    const r = await call('POST', '/api/auth/local/register', { json: { username, email, password }, ip: ip() });
    expect(r.status, r.text).toBe(200);
    return { jwt: r.body.jwt as string, id: r.body.user.id as number, username, email: email.toLowerCase(), user: r.body.user };
  }

  /** Role id by type (`authenticated`, `public`). */
  function roleId(type: string): number {
    const role = emulator.store.roles.first((r) => r.type === type);
    if (!role) throw new Error(`no ${type} role`);
    return role.id;
  }

  return { emulator, call, register, ip, roleId, validator, store: emulator.store, control: emulator.control, services: emulator.services };
}

/** The JSON payload of a JWT. */
export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}
