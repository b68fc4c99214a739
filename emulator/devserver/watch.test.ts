import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { type Emulator, createEmulator } from '../index.js';
import { requestLogOf } from '../inspector/log.js';
import { carryOver } from './carry-over.js';
import { watchAndReload } from './watch.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Attrs = Record<string, Record<string, unknown>>;
function schemaDir(types: Record<string, Attrs>, dir = mkdtempSync(join(tmpdir(), 'watch-'))): string {
  if (!dirs.includes(dir)) dirs.push(dir);
  for (const [name, attributes] of Object.entries(types)) {
    mkdirSync(join(dir, name), { recursive: true });
    const schema = { kind: 'collectionType', collectionName: `${name}s`, info: { singularName: name, pluralName: `${name}s`, displayName: name }, options: { draftAndPublish: false }, attributes };
    writeFileSync(join(dir, name, 'schema.json'), JSON.stringify(schema));
  }
  return dir;
}

const key = 'watch-full-access-key';
const build = (dir: string) => createEmulator({ strapi: 5, bcryptCost: 4, contentTypes: [dir], apiTokens: [{ accessKey: key, type: 'full-access' }], onWarning: () => undefined });
const call = async (e: Emulator, method: string, path: string, body?: unknown) => {
  const res = await e.app.request(path, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as any };
};

test('carry-over: documents of unchanged types kept, new fields get their default, removed types and fields dropped with a line; users stay', async () => {
  const dir = schemaDir({ book: { title: { type: 'string' }, isbn: { type: 'string' } }, shelf: { name: { type: 'string' } }, note: { text: { type: 'string' } } });
  const before = await build(dir);
  await before.ready;
  for (const title of ['Dune', 'Emma']) expect((await call(before, 'POST', '/api/books', { data: { title, isbn: `isbn-${title}` } })).status).toBe(201);
  await call(before, 'POST', '/api/shelfs', { data: { name: 'Top' } });
  await call(before, 'POST', '/api/notes', { data: { text: 'say it' } });
  await before.app.request('/api/auth/local/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' }) });

  rmSync(join(dir, 'shelf'), { recursive: true });
  schemaDir({ book: { title: { type: 'string' }, stock: { type: 'integer', default: 3 }, subtitle: { type: 'string' } }, author: { name: { type: 'string' } }, note: { text: { type: 'integer' } } }, dir);
  const after = build(dir);
  const lines = await carryOver(before, after);
  expect(lines).toEqual([
    'api::book.book: attribute isbn removed (dropped from 2 rows)',
    'api::book.book: attribute stock added (2 rows get its default 3)',
    'api::book.book: attribute subtitle added',
    'content type api::shelf.shelf removed: its 1 stored rows dropped',
    'content type api::author.author added',
    'api::note.note: attribute text no longer fits in 1 row, the value dropped (Invalid input: expected number, received string)',
  ]);
  const served = requestLogOf(before.store)!.total;
  const books = (await call(after, 'GET', '/api/books?sort=title')).body.data;
  expect(books.map((b: any) => [b.title, b.stock, b.subtitle, b.isbn])).toEqual([
    ['Dune', 3, null, undefined],
    ['Emma', 3, null, undefined],
  ]);
  expect((await call(after, 'GET', '/api/notes')).body.data.map((n: any) => n.text)).toEqual([null]);
  expect(after.store.users.first((u) => u.username === 'ann')).toBeDefined();
  // The request log came along (plus the two reads above).
  expect(requestLogOf(after.store)!.total).toBe(served + 2);
});

test('watchAndReload: a change rebuilds and swaps; a broken schema keeps the last good world and says why', async () => {
  const dir = schemaDir({ book: { title: { type: 'string' } } });
  const first = build(dir);
  await first.ready;
  await call(first, 'POST', '/api/books', { data: { title: 'Kept' } });
  const log: string[] = [];
  const reloader = watchAndReload({ first, build: async () => build(dir), paths: [dir, join(dir, 'missing')], log: (l) => log.push(l), debounceMs: 50 });
  try {
    schemaDir({ book: { title: { type: 'string' }, pages: { type: 'integer' } } }, dir);
    await expect.poll(() => reloader.current() !== first, { timeout: 5000 }).toBe(true);
    expect(log[0]).toMatch(/^reloaded \(.*book.*schema\.json changed\)$/);
    expect(log[1]).toBe('  api::book.book: attribute pages added');
    const second = reloader.current();
    expect((await call(second, 'GET', '/api/books')).body.data.map((b: any) => [b.title, b.pages])).toEqual([['Kept', null]]);

    writeFileSync(join(dir, 'book', 'schema.json'), '{"kind": "collectionType", "attri');
    await expect.poll(() => log.length, { timeout: 5000 }).toBe(3);
    expect(log[2]).toMatch(/^reload failed \(.*\), still serving the last good schemas: /);
    expect(reloader.current()).toBe(second);
    expect((await call(second, 'GET', '/api/books')).status).toBe(200);

    // Fixed again: the world comes along.
    schemaDir({ book: { title: { type: 'string' }, pages: { type: 'integer' } } }, dir);
    await expect.poll(() => reloader.current() !== second, { timeout: 5000 }).toBe(true);
    expect((await call(reloader.current(), 'GET', '/api/books')).body.data.map((b: any) => b.title)).toEqual(['Kept']);
  } finally {
    reloader.close();
  }
});
