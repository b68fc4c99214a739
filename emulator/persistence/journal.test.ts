// The journal of `--data`: records framed and read back, a torn tail dropped, damage refused;
// what it records is the whole world (replayed = in memory), group commit, compaction,
// uploaded bytes written once, and the version 1 state file loaded and migrated.
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fullAccessToken, password, setup } from '../testing.js';
import { type Persistence, StateFileError, attachPersistence } from './index.js';
import { readDurableState } from './durable.js';
import { frame, journalPath, parseJournal } from './journal.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const admin = { token: fullAccessToken };
const header = (generation: number) => frame({ format: 'strapi-emulator-journal', version: 1, generation });
const journals = () => readdirSync(dir).filter((n) => n.includes('.journal.')).sort();
/** The world in memory, as JSON would carry it (frozen rows and Buffers as the snapshot writes them). */
const inMemory = (t: Awaited<ReturnType<typeof setup>>) => JSON.parse(JSON.stringify({ clockOffset: t.store.clock.offset, snapshot: t.store.snapshot() }));
const onDisk = async (file: string) => {
  const { clockOffset, snapshot } = (await readDurableState(file))!;
  return JSON.parse(JSON.stringify({ clockOffset, snapshot }));
};
const upload = (t: Awaited<ReturnType<typeof setup>>, name: string, size: number) => {
  const form = new FormData();
  form.append('files', new File([new Uint8Array(size).map((_, i) => i % 251)], name, { type: 'application/octet-stream' }));
  return t.call('POST', '/api/upload', { ...admin, raw: form, validate: false });
};

describe('records on disk', () => {
  const path = '/x/state.json.journal.3';
  const records = [{ a: 1 }, { b: 'two\nlines' }, { c: [3] }];
  const whole = Buffer.concat([header(3), ...records.map(frame)]);

  test('are read back in order, one line each', () => {
    expect(parseJournal(path, whole, 3)).toEqual({ generation: 3, records, length: whole.length, torn: 0 });
    expect(whole.toString().split('\n')).toHaveLength(5);
  });

  test('a last record cut anywhere (a crash during the append) is dropped, what came before is kept', () => {
    const last = frame(records[2]);
    for (let cut = 1; cut < last.length; cut++) {
      const read = parseJournal(path, whole.subarray(0, whole.length - cut), 3);
      expect(read.records).toEqual(records.slice(0, 2));
      expect(read.length).toBe(whole.length - last.length);
      expect(read.torn).toBe(last.length - cut);
    }
    // Its bytes all there but garbled (pages written out of order), or zeros after it: dropped too.
    const garbled = Buffer.from(whole);
    garbled[whole.length - 3] ^= 1;
    expect(parseJournal(path, garbled, 3).records).toEqual(records.slice(0, 2));
    expect(parseJournal(path, Buffer.concat([garbled, Buffer.alloc(4096)]), 3).records).toEqual(records.slice(0, 2));
  });

  test('a damaged record with records after it is refused, naming it (not a crash: something else broke the file)', () => {
    const damaged = Buffer.from(whole);
    damaged[header(3).length + 8] ^= 1;
    let error: unknown;
    try {
      parseJournal(path, damaged, 3);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toEqual(new StateFileError(path, `record 1 (at byte ${header(3).length}) is damaged (its checksum does not match) and the journal goes on after it: this is not a write cut short by a crash. Move the journal away to start from the state file alone, or restore a backup`));
    expect(() => parseJournal(path, whole, 4)).toThrow('its header says generation 3, its name 4');
    expect(() => parseJournal(path, Buffer.concat([frame({ format: 'other' }), frame({})]), 3)).toThrow('not an emulator journal');
  });
});

test('what the journal holds is the whole world: users, documents and their relations, uploads, webhooks, locales, the outbox, the rate limiter, settings and the clock', async () => {
  const file = join(dir, 'state.json');
  const t = await setup();
  const persistence = await attachPersistence(t.emulator, { file });
  const ann = await t.register({ username: 'ann' });
  const a = await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'One', author: ann.id } } });
  expect(a.status, a.text).toBe(201);
  const b = await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'Two', author: ann.id } } });
  await t.call('PUT', `/api/articles/${a.body.data.documentId}`, { ...admin, json: { data: { title: 'One again' } } });
  await t.call('DELETE', `/api/articles/${b.body.data.documentId}`, admin);
  const kept = await upload(t, 'kept.bin', 3000);
  const gone = await upload(t, 'gone.bin', 2000);
  expect((await t.call('DELETE', `/api/upload/files/${gone.body[0].id}`, admin)).status).toBe(200);
  expect((await t.call('POST', '/_emulator/webhooks', { json: { url: 'http://127.0.0.1:9/hook' } })).status).toBe(201);
  expect((await t.call('POST', '/_emulator/locales', { json: { code: 'pt-BR' } })).status).toBe(201);
  await t.call('POST', '/api/auth/forgot-password', { json: { email: ann.email }, ip: t.ip() });
  await t.call('POST', '/api/auth/local', { json: { identifier: 'ann', password: 'wrong' }, ip: t.ip(), validate: false });
  await t.call('PUT', '/_emulator/settings', { json: { unique_email: false } });
  await t.call('POST', '/_emulator/clock', { json: { advance: 60_000 } });
  expect(kept.status).toBe(201);
  expect(journals()).toEqual(['state.json.journal.1']);
  expect(await onDisk(file)).toEqual(inMemory(t));
  // Emptied and written again: the outbox and the rate limiter as a whole.
  await t.call('DELETE', '/_emulator/outbox');
  await t.call('DELETE', '/_emulator/rate-limit');
  expect(await onDisk(file)).toEqual(inMemory(t));
  // A reset replaces every table: the journal says so, and holds the seed.
  await t.control.reset();
  expect(await onDisk(file)).toEqual(inMemory(t));
  await persistence.close();
});

test('concurrent writes share appends (group commit), and every answer is durable when it arrives', async () => {
  const file = join(dir, 'state.json');
  const t = await setup();
  let appends = 0;
  const persistence = await attachPersistence(t.emulator, {
    file,
    async io(op, write) {
      if (op.kind === 'append') appends++;
      await new Promise((r) => setTimeout(r, 5));
      await write();
    },
  });
  const answers = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const r = await t.call('POST', '/api/articles', { ...admin, json: { data: { title: `t${i}` } } });
      const titles = (await onDisk(file)).snapshot.extensions.content.documents.tables['api::article.article'].rows.map((row: { title: string }) => row.title);
      return [r.status, titles.includes(`t${i}`)];
    }),
  );
  expect(answers).toEqual(Array(20).fill([201, true]));
  expect(appends).toBeGreaterThan(0);
  expect(appends).toBeLessThan(20);
  await persistence.close();
});

test('compaction: the snapshot is rewritten once the journal outgrows it, the old journal goes, and a restart loads the same world', async () => {
  const file = join(dir, 'state.json');
  const t = await setup();
  const persistence = await attachPersistence(t.emulator, { file, compactBytes: 0 });
  const generation = () => JSON.parse(readFileSync(file, 'utf8')).generation as number;
  expect(generation()).toBe(1);
  for (let i = 0; i < 40; i++) await t.call('POST', '/api/articles', { ...admin, json: { data: { title: `a${i}`, body: 'x'.repeat(2000) } } });
  await persistence.compacted();
  expect(generation()).toBeGreaterThan(1);
  // Bounded: at most the journal being written and the one a running compaction still needs.
  expect(journals().length).toBeLessThanOrEqual(2);
  const journalBytes = journals().reduce((n, name) => n + statSync(join(dir, name)).size, 0);
  expect(journalBytes).toBeLessThan(2 * statSync(file).size + 10_000);
  expect(await onDisk(file)).toEqual(inMemory(t));
  const world = inMemory(t);
  await persistence.close();
  const restarted = await setup();
  const again = await attachPersistence(restarted.emulator, { file });
  expect(inMemory(restarted)).toEqual(world);
  await again.close();
});

test("an uploaded file's bytes are written once, not again by every later write", async () => {
  const file = join(dir, 'state.json');
  const t = await setup();
  const persistence = await attachPersistence(t.emulator, { file });
  const journal = () => statSync(join(dir, journals().at(-1)!)).size;
  expect((await upload(t, 'big.bin', 300_000)).status).toBe(201);
  const after = journal();
  for (let i = 0; i < 5; i++) await t.register({ username: `user${i}` });
  // A registration is its user row, a rate-limit window and the like: about a KB each, never the 400 KB of base64.
  expect((journal() - after) / 5).toBeLessThan(3000);
  await persistence.close();
});

describe('at start', () => {
  async function written(): Promise<{ file: string; world: unknown }> {
    const file = join(dir, 'state.json');
    const t = await setup();
    const p = await attachPersistence(t.emulator, { file });
    await t.register({ username: 'ann' });
    await t.register({ username: 'bob' });
    await p.close();
    return { file, world: inMemory(t) };
  }

  const start = async (file: string): Promise<{ t: Awaited<ReturnType<typeof setup>>; p: Persistence }> => {
    const t = await setup();
    return { t, p: await attachPersistence(t.emulator, { file }) };
  };

  test('a torn last record (a crash during its append) is dropped and cut off; the next write goes after the last whole one', async () => {
    const { file, world } = await written();
    const path = journalPath(file, 1);
    const size = statSync(path).size;
    const torn = frame({ tables: { users: { nextId: 9, put: [], del: [] } } });
    appendFileSync(path, torn.subarray(0, torn.length - 10));
    const { t, p } = await start(file);
    expect(inMemory(t)).toEqual(world);
    expect(statSync(path).size).toBe(size);
    await t.register({ username: 'cyd' });
    await p.close();
    const { t: again, p: p2 } = await start(file);
    expect(again.store.users.all().map((u) => u.username)).toEqual(['ann', 'bob', 'cyd']);
    await p2.close();
  });

  test('a record that does not fit the store is refused with the reason, nothing loaded, nothing rewritten', async () => {
    const { file } = await written();
    const path = journalPath(file, 1);
    const user = { ...(await onDisk(file)).snapshot.users.rows[0], id: 7, username: 'eve', role: 999 };
    const cases: Array<[Buffer, RegExp]> = [
      [frame({ tables: { users: { nextId: 8, put: [user], del: [] } } }), /^.*state\.json: cannot be restored: snapshot\.users\.rows\[2\]\.role: no role with id 999 \(the snapshot with the 3 records of its journal applied; nothing was loaded\)$/],
      [frame({ tables: { users: { nextId: 8, put: [{ username: 'no id' }], del: [] } } }), /state\.json\.journal\.1: record 3 cannot be applied: its table "users" puts a row without a positive integer id\. Nothing was loaded$/],
      [frame({ values: { someday: 1 } }), /record 3 cannot be applied: it names a part "someday" this emulator does not have/],
    ];
    const size = statSync(path).size;
    for (const [record, reason] of cases) {
      truncateSync(path, size);
      appendFileSync(path, record);
      const before = readFileSync(path);
      const t = await setup();
      const untouched = inMemory(t);
      const error = await attachPersistence(t.emulator, { file }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StateFileError);
      expect((error as Error).message).toMatch(reason);
      expect(inMemory(t)).toEqual(untouched);
      expect(readFileSync(path)).toEqual(before);
    }
  });

  test('a journal missing between the state file and a later one is refused (the later one needs it)', async () => {
    const { file } = await written();
    writeFileSync(journalPath(file, 3), header(3));
    const t = await setup();
    await expect(attachPersistence(t.emulator, { file })).rejects.toThrow(`${journalPath(file, 2)}: is missing, and the journals after it need it`);
  });

  test('a version 1 state file (the single-file format before the journal) loads and is rewritten as version 2 with a journal', async () => {
    const { file, world } = await written();
    const { journals: _, generation: __, ...state } = (await readDurableState(file))!;
    const v1 = { format: 'strapi-emulator-state', version: 1, strapi: 5, savedAt: '2026-01-01T00:00:00.000Z', jwtSecret: JSON.parse(readFileSync(file, 'utf8')).jwtSecret, ...state };
    rmSync(journalPath(file, 1));
    writeFileSync(file, JSON.stringify(v1));
    const { t, p } = await start(file);
    expect(inMemory(t)).toEqual(world);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 2, generation: 1 });
    expect(journals()).toEqual(['state.json.journal.1']);
    const login = await t.call('POST', '/api/auth/local', { json: { identifier: 'ann', password }, ip: t.ip() });
    expect(login.status).toBe(200);
    await p.close();
  });
});
