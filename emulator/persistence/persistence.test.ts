import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type EmulatorOptions, createEmulator } from '../index.js';
import { fullAccessToken, password, setup } from '../testing.js';
import { StateFileError, attachPersistence, persistedJwtSecret } from './index.js';
import { UsageError, parseServerArgs } from '../server.js';
import { startServer } from './crash.js';
import { parseStateFile } from './state-file.js';
import { readDurableState } from './durable.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-persistence-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const admin = { token: fullAccessToken };
/** Every byte value, so an encoding that is not binary-safe shows. */
const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));

/** An emulator (setup()'s test helper) persisted to `file`. */
async function persisted(file: string, options: EmulatorOptions = {}) {
  const t = await setup(options);
  const persistence = await attachPersistence(t.emulator, { file });
  return { ...t, persistence };
}

/** The world the disk holds (the snapshot with its journal), as a restart would load it. */
const onDisk = async (file: string) => (await readDurableState(file))!;
/** Every byte of the state file and its journals. */
const bytesOnDisk = (file: string) => readdirSync(dir).filter((n) => n.startsWith('state.json')).sort().map((n) => readFileSync(join(dir, n), 'utf8')).join('\n--\n');

describe.each([4, 5] as const)('v%i', (major) => {
  test('a new emulator on the same file holds users, documents, uploaded bytes, settings, webhooks and the clock', async () => {
    const file = join(dir, 'state.json');
    const a = await persisted(file, { strapi: major });
    const ann = await a.register({ username: 'ann' });
    const article = await a.call('POST', '/api/articles', { ...admin, json: { data: { title: 'Kept' } } });
    expect(article.status, article.text).toBe(major === 5 ? 201 : 200);
    const form = new FormData();
    form.append('files', new File([new Uint8Array(bytes)], 'bytes.bin', { type: 'application/octet-stream' }));
    const upload = await a.call('POST', '/api/upload', { ...admin, raw: form });
    expect(upload.status, upload.text).toBe(major === 5 ? 201 : 200);
    expect((await a.call('PUT', '/_emulator/settings', { json: { allow_register: false } })).status).toBe(200);
    expect((await a.call('POST', '/_emulator/webhooks', { json: { url: 'http://127.0.0.1:9/hook' } })).status).toBe(201);
    expect((await a.call('POST', '/_emulator/clock', { json: { advance: 86_400_000 } })).status).toBe(200);
    const offset = a.store.clock.offset;
    await a.persistence.close();

    const b = await persisted(file, { strapi: major });
    const login = await b.call('POST', '/api/auth/local', { json: { identifier: 'ann', password }, ip: b.ip() });
    expect(login.status, login.text).toBe(200);
    expect(login.body.user.id).toBe(ann.id);
    expect((await b.call('GET', '/api/users/me', { token: ann.jwt })).body.username).toBe('ann');
    const titles = (await b.call('GET', '/api/articles', admin)).body.data.map((d: Record<string, any>) => (major === 5 ? d.title : d.attributes.title));
    expect(titles).toEqual(['Kept']);
    const served = await b.emulator.app.request(`http://127.0.0.1:1337${upload.body[0].url}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await b.call('GET', '/_emulator/settings')).body.allow_register).toBe(false);
    expect(b.control.webhooks.list().map((w) => w.url)).toEqual(['http://127.0.0.1:9/hook']);
    expect(b.store.clock.offset).toBe(offset);
    // Ids go on from where they were (the tables' counters are in the file).
    await b.call('PUT', '/_emulator/settings', { json: { allow_register: true } });
    expect((await b.register({ username: 'bob' })).id).toBe(ann.id + 1);
    await b.persistence.close();
  });
});

test('an answer is sent only once a file holding its change is on disk, with concurrent writes coalesced', async () => {
  const file = join(dir, 'state.json');
  const t = await persisted(file);
  const seenOnArrival = await Promise.all(
    Array.from({ length: 12 }, async (_, i) => {
      const r = await t.call('POST', '/api/auth/local/register', { json: { username: `user${i}`, email: `user${i}@example.com`, password }, ip: t.ip() });
      expect(r.status).toBe(200);
      // Read as the answer arrives, before anything else can run a write.
      return (await onDisk(file)).snapshot.users.rows.some((u: { username: string }) => u.username === `user${i}`);
    }),
  );
  expect(seenOnArrival).toEqual(Array(12).fill(true));
  await t.persistence.close();
});

test('GET /api/auth/email-confirmation writes (it confirms the user); other GETs do not', async () => {
  const file = join(dir, 'state.json');
  const t = await persisted(file, { emailConfirmation: true });
  const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'cyd', email: 'cyd@example.com', password }, ip: t.ip() });
  expect(r.status).toBe(200);
  const confirmed = async () => (await onDisk(file)).snapshot.users.rows.find((u: { username: string }) => u.username === 'cyd')!.confirmed;
  expect(await confirmed()).toBe(false);
  const code = /confirmation=([^"&\s<]+)/.exec(t.control.outbox('cyd@example.com')[0].text)![1];
  const before = bytesOnDisk(file);
  await t.call('GET', '/api/users', admin);
  expect(bytesOnDisk(file)).toBe(before);
  const confirm = await t.call('GET', `/api/auth/email-confirmation?confirmation=${code}`, { validate: false });
  expect(confirm.status).toBe(302);
  expect(await confirmed()).toBe(true);
  await t.persistence.close();
});

test('in-process control.reset() and control.restore() are written too; flush() covers other in-process changes', async () => {
  const file = join(dir, 'state.json');
  const t = await persisted(file);
  const empty = t.control.snapshot();
  await t.register({ username: 'ann' });
  const withAnn = t.control.snapshot();
  await t.control.reset();
  expect((await onDisk(file)).snapshot.users.rows).toEqual([]);
  await t.control.restore(withAnn);
  expect((await onDisk(file)).snapshot.users.rows.map((u: { username: string }) => u.username)).toEqual(['ann']);
  t.control.advanceClock(5000);
  await t.persistence.flush();
  expect((await onDisk(file)).clockOffset).toBe(5000);
  await t.persistence.close();
  // After close nothing is written any more.
  await t.control.restore(empty);
  expect((await onDisk(file)).snapshot.users.rows).toHaveLength(1);
});

test('a write that cannot be made durable is not acknowledged nor kept; the next one retries', async () => {
  const folder = join(dir, 'sub');
  mkdirSync(folder);
  const file = join(folder, 'state.json');
  const t = await persisted(file);
  rmSync(folder, { recursive: true });
  const logged = console.error;
  console.error = () => undefined;
  try {
    const failed = await t.call('POST', '/api/auth/local/register', { json: { username: 'lost', email: 'lost@example.com', password }, ip: t.ip(), validate: false });
    expect(failed.status).toBe(500);
    // Strapi's answer when its database write fails: the envelope, without details.
    expect(failed.body).toEqual({ data: null, error: { status: 500, name: 'InternalServerError', message: 'Internal Server Error' } });
    expect(failed.headers.get('x-strapi-emulator-persistence')).toMatch(/^ENOENT: the state file cannot be written; the change was rolled back/);
    expect(t.store.users.all().map((u) => u.username)).not.toContain('lost');
  } finally {
    console.error = logged;
  }
  mkdirSync(folder);
  await t.register({ username: 'kept' });
  expect((await onDisk(file)).snapshot.users.rows.map((u: { username: string }) => u.username)).toEqual(['kept']);
  await t.persistence.close();
});

describe('a state file that cannot be used is an error naming the file and the reason, never an empty start', () => {
  async function good(): Promise<string> {
    const file = join(dir, 'good.json');
    const t = await persisted(file);
    await t.register({ username: 'ann' });
    await t.persistence.close();
    // The world in the snapshot alone (ann is in the journal so far), as a compaction leaves it.
    const { journals, ...world } = (await readDurableState(file))!;
    expect(journals.map((j) => j.records)).toEqual([1]);
    const header = JSON.parse(readFileSync(file, 'utf8'));
    return JSON.stringify({ ...header, ...world, generation: 0 });
  }

  const cases: Array<[string, (text: string) => string, RegExp]> = [
    ['empty', () => '', /the file is empty/],
    ['truncated', (text) => text.slice(0, Math.floor(text.length / 2)), /not valid JSON \(.+\): the file is truncated or damaged/],
    ['garbage', () => '\u0000\u0001binary', /not valid JSON/],
    ['another JSON document', () => '{"hello": "world"}', /not an emulator state file/],
    ['a newer version', (text) => text.replace('"version":2', '"version":99'), /state file version 99 is not supported/],
    ['another major', (text) => text.replace('"strapi":5', '"strapi":4'), /holds a Strapi 4 world and this emulator is Strapi 5 \(start it with --strapi 4/],
    ['a snapshot missing a table', (text) => text.replace('"permissions":{', '"permissionz":{'), /cannot be restored: snapshot\.permissions: Invalid input: expected object, received undefined; snapshot: Unrecognized key: "permissionz"/],
    ['a password login would trip on', (text) => text.replace(/"password":"\$2[ab]\$[^"]+"/, '"password":"plain"'), /cannot be restored: snapshot\.users\.rows\[0\]\.password: must be a bcrypt hash/],
    ['a user of a role that is not there', (text) => text.replace(/("username":"ann"[^}]*"role":)\d+/, '$1999'), /cannot be restored: snapshot\.users\.rows\[0\]\.role: no role with id 999$/],
  ];
  test.each(cases)('%s', async (_, damage, reason) => {
    const file = join(dir, 'state.json');
    const damaged = damage(await good())!;
    writeFileSync(file, damaged);
    const t = await setup();
    const before = t.control.snapshot();
    const error = await attachPersistence(t.emulator, { file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message.startsWith(`${file}: `)).toBe(true);
    expect((error as Error).message).toMatch(reason);
    // Untouched: neither the emulator (no half-restore) nor the file (no overwrite with the empty world).
    expect(t.control.snapshot()).toEqual(before);
    expect((await t.call('POST', '/api/auth/local/register', { json: { username: 'xavier', email: 'x@example.com', password }, ip: t.ip() })).status).toBe(200);
    expect(readFileSync(file, 'utf8')).toBe(damaged);
  });

  test('a path that is a folder', async () => {
    const t = await setup();
    await expect(attachPersistence(t.emulator, { file: dir })).rejects.toThrow(new StateFileError(dir, 'cannot be read (EISDIR: illegal operation on a directory, read)'));
  });
});

test('a missing file is created with the current world; a bare snapshot (GET /_emulator/snapshot) is accepted as a start', async () => {
  const file = join(dir, 'state.json');
  const a = await setup();
  await a.register({ username: 'ann' });
  writeFileSync(file, JSON.stringify((await a.call('GET', '/_emulator/snapshot')).body));
  const b = await persisted(file);
  expect(b.store.users.all().map((u) => u.username)).toEqual(['ann']);
  // It is rewritten in the state-file format at once.
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'strapi-emulator-state', version: 2, generation: 1, strapi: 5, clockOffset: 0 });
  await b.persistence.close();
  const fresh = join(dir, 'fresh.json');
  const c = await persisted(fresh);
  expect(parseStateFile(fresh, readFileSync(fresh, 'utf8'))).toMatchObject({ snapshot: { users: { rows: [] } } });
  await c.persistence.close();
});

test('the jwtSecret is kept, so a server started without --jwt-secret accepts the tokens it issued before a restart', async () => {
  const file = join(dir, 'state.json');
  const emulator = createEmulator({ bcryptCost: 4 });
  const p = await attachPersistence(emulator, { file });
  await p.close();
  expect(await persistedJwtSecret(file)).toBe(emulator.config.jwtSecret);
  expect(await persistedJwtSecret(join(dir, 'none.json'))).toBeUndefined();
});

describe('one emulator per file (FILE.lock)', () => {
  const lockOf = (file: string) => JSON.parse(readFileSync(`${file}.lock`, 'utf8'));

  test('a second emulator on a file in use is refused, naming the holder; the file and the holder are untouched', async () => {
    const file = join(dir, 'state.json');
    const a = await persisted(file);
    await a.register({ username: 'ann' });
    await a.persistence.flush();
    expect(lockOf(file)).toMatchObject({ pid: process.pid, host: hostname() });
    const onDiskBefore = readFileSync(file, 'utf8');
    const b = await setup();
    await expect(attachPersistence(b.emulator, { file })).rejects.toThrow(new StateFileError(file, `is in use by another emulator in this process. Stop it or use another file; if no emulator uses it, delete ${file}.lock`));
    expect(readFileSync(file, 'utf8')).toBe(onDiskBefore);
    // Another live process holds it: refused with its pid.
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await a.persistence.close();
      expect(existsSync(`${file}.lock`)).toBe(false);
      writeFileSync(`${file}.lock`, JSON.stringify({ pid: sleeper.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
      await expect(attachPersistence(b.emulator, { file })).rejects.toThrow(`is in use by another emulator (pid ${sleeper.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z)`);
      // On another host it cannot be checked, so it counts as held.
      writeFileSync(`${file}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere', since: '2026-01-01T00:00:00.000Z' }));
      await expect(attachPersistence(b.emulator, { file })).rejects.toThrow('pid 1 on elsewhere');
    } finally {
      sleeper.kill('SIGKILL');
    }
    expect(readFileSync(file, 'utf8')).toBe(onDiskBefore);
    expect(b.store.users.all()).toEqual([]);
  });

  test('a lock left by a dead process (crash, SIGKILL) or half-written is taken over; close() removes it', async () => {
    const file = join(dir, 'state.json');
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => dead.once('exit', r));
    for (const stale of [JSON.stringify({ pid: dead.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }), '{"pid":']) {
      writeFileSync(`${file}.lock`, stale);
      const t = await persisted(file);
      expect(lockOf(file)).toMatchObject({ pid: process.pid, host: hostname() });
      await t.persistence.close();
      expect(existsSync(`${file}.lock`)).toBe(false);
    }
  });
});

test('temp files of dead writers are removed at attach', async () => {
  const file = join(dir, 'state.json');
  const stale = join(dir, '.state.json.999999999.tmp');
  writeFileSync(stale, '{"half');
  const t = await persisted(file);
  expect(() => readFileSync(stale)).toThrow(/ENOENT/);
  await t.persistence.close();
});

describe('npm start -- --data', () => {
  const servers: ChildProcess[] = [];
  const start = async (args: string[]) => {
    const server = await startServer(args);
    servers.push(server.child);
    return server;
  };
  afterEach(() => {
    for (const child of servers.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  test('parseServerArgs: --data FILE, EMULATOR_DATA, and an empty value refused', () => {
    expect(parseServerArgs(['--data', 'a.json'], { EMULATOR_DATA: 'b.json' }).data).toBe('a.json');
    expect(parseServerArgs([], { EMULATOR_DATA: 'b.json' }).data).toBe('b.json');
    expect(parseServerArgs([], {})).not.toHaveProperty('data');
    expect(() => parseServerArgs(['--data='], {})).toThrow(new UsageError('--data needs a file path'));
  });

  test('a restarted server holds the world and accepts the JWTs it issued (random jwtSecret kept); a damaged file stops it with one line', async () => {
    const file = join(dir, 'state.json');
    const first = await start(['--data', file]);
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    const reg = await fetch(`${first.url}/api/auth/local/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ann', email: 'ann@example.com', password }) });
    expect(reg.status).toBe(200);
    const { jwt } = (await reg.json()) as { jwt: string };
    const clash = await start(['--data', file]).then(
      () => 'started',
      (e: Error) => e.message,
    );
    expect(clash).toMatch(new RegExp(`exited \\(1\\) before listening: strapi-emulator: data file ${file}: is in use by another emulator \\(pid ${first.child.pid} on `));
    first.child.kill('SIGTERM');
    await exited;
    const second = await start(['--data', file]);
    const me = await fetch(`${second.url}/api/users/me`, { headers: { authorization: `Bearer ${jwt}` } });
    expect([me.status, ((await me.json()) as { username: string }).username]).toEqual([200, 'ann']);
    const gone = new Promise((resolve) => second.child.once('exit', resolve));
    second.child.kill('SIGKILL');
    await gone;
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    const refused = await start(['--data', file]).then(
      () => 'started',
      (e: Error) => e.message,
    );
    expect(refused).toMatch(new RegExp(`exited \\(1\\) before listening: strapi-emulator: data file ${file}: not valid JSON`));
  }, 120_000);
});
