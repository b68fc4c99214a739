import { expect, test } from 'vitest';
import * as z from 'zod/mini';
import { createEmulator } from '../index.js';
import { createClock } from './clock.js';
import { roleSchema } from './records.js';
import { Table } from './table.js';

const role = (name: string) => ({ documentId: 'd', name, description: null, type: name.toLowerCase(), createdAt: 'c', updatedAt: 'u', publishedAt: null });

test('Table: own id counter, refuses a taken id, keeps the latest record after update, O(1) get', async () => {
  const t = new Table('roles', roleSchema);
  const a = await t.insert(role('A'));
  const b = await t.insert(role('B'));
  expect([a.id, b.id]).toEqual([1, 2]);
  await expect(t.insert({ ...role('C'), id: 1 })).rejects.toThrow(/id 1 is already taken/);
  const updated = await t.update(1, { name: 'A2' });
  expect(updated?.name).toBe('A2');
  expect(t.get(1)?.name).toBe('A2');
  expect(t.where((r) => r.name === 'A2').map((r) => r.id)).toEqual([1]);
  // Records handed out are frozen: changing one throws instead of changing the store.
  expect(() => {
    (t.get(1) as { name: string }).name = 'mutated';
  }).toThrow(TypeError);
  expect(t.get(1)?.name).toBe('A2');
  expect(t.delete(2)?.name).toBe('B');
  expect(t.get(2)).toBeUndefined();
  expect(await t.update(2, { name: 'x' })).toBeUndefined();
  const c = await t.insert(role('C'));
  expect(c.id).toBe(3);
});

test('Table: the schema is enforced', async () => {
  const t = new Table('roles', roleSchema);
  await expect(t.insert({ ...role('A'), name: 5 as never })).rejects.toThrow();
});

test('Table: snapshot and restore keep ids and the counter', async () => {
  const t = new Table('roles', roleSchema);
  await t.insert(role('A'));
  await t.insert(role('B'));
  t.delete(2);
  const snap = t.snapshot();
  await t.insert(role('C'));
  await t.restore(snap);
  expect(t.all().map((r) => r.name)).toEqual(['A']);
  expect((await t.insert(role('D'))).id).toBe(3);
});

test('clock: injectable source, advance, set, reset', () => {
  let now = 1000;
  const clock = createClock(() => now);
  clock.advance(500);
  expect(clock.now()).toBe(1500);
  now = 2000;
  expect(clock.now()).toBe(2500);
  clock.set('1970-01-01T00:00:10.000Z');
  expect(clock.now()).toBe(10_000);
  clock.resetOffset();
  expect(clock.now()).toBe(2000);
  expect(() => clock.advance(Number.NaN)).toThrow();
});

test('two emulators do not share state', async () => {
  const a = createEmulator({ bcryptCost: 4 });
  const b = createEmulator({ bcryptCost: 4, strapi: 4 });
  await Promise.all([a.ready, b.ready]);
  await a.store.users.insert({ documentId: 'x', username: 'only-in-a', email: 'a@example.com', provider: 'local', password: null, resetPasswordToken: null, confirmationToken: null, confirmed: true, blocked: false, role: 1, createdAt: 'c', updatedAt: 'u', publishedAt: null });
  expect(a.store.users.count()).toBe(1);
  expect(b.store.users.count()).toBe(0);
  a.control.advanceClock(60_000);
  expect(Math.abs(b.control.now().getTime() - Date.now())).toBeLessThan(5_000);
});

test('Table.by: an index per field, kept up to date by insert, update, delete and clear; scans stay in id order', async () => {
  const t = new Table('things', z.object({ id: z.number(), name: z.string(), group: z.string() }));
  await t.insert({ id: 5, name: 'E', group: 'x' });
  await t.insert({ id: 2, name: 'B', group: 'x' });
  expect(t.by('group', 'x').map((r) => r.id)).toEqual([2, 5]);
  await t.insert({ name: 'F', group: 'y' });
  expect(t.all().map((r) => r.id)).toEqual([2, 5, 6]);
  expect(t.by('group', 'y').map((r) => r.name)).toEqual(['F']);
  const before = t.version;
  await t.update(2, { group: 'y' });
  expect(t.version).toBeGreaterThan(before);
  expect(t.by('group', 'x').map((r) => r.id)).toEqual([5]);
  expect(t.by('group', 'y').map((r) => r.id)).toEqual([2, 6]);
  t.delete(6);
  expect(t.by('group', 'y').map((r) => r.id)).toEqual([2]);
  expect(t.by('group', 'nope')).toEqual([]);
  t.clear();
  expect(t.by('group', 'y')).toEqual([]);
  await t.insert({ name: 'G', group: 'y' });
  expect(t.by('group', 'y').map((r) => r.name)).toEqual(['G']);
});

test('Table: rows across shards stay in ascending id order; lookups follow every write', async () => {
  const t = new Table('roles', roleSchema);
  for (const id of [5000, 3, 70_000, 513, 512, 1]) await t.insert({ ...role(`R${id}`), id });
  expect(t.all().map((r) => r.id)).toEqual([1, 3, 512, 513, 5000, 70_000]);
  expect(t.first((r) => r.id > 600)?.id).toBe(5000);
  expect((await t.insert(role('next'))).id).toBe(70_001);
  await t.update(512, { type: 'shared' });
  await t.update(3, { type: 'shared' });
  expect(t.by('type', 'shared').map((r) => r.id)).toEqual([3, 512]);
  await t.update(70_000, { type: 'shared' });
  expect(t.by('type', 'shared').map((r) => r.id)).toEqual([3, 512, 70_000]);
  t.delete(512);
  expect(t.by('type', 'shared').map((r) => r.id)).toEqual([3, 70_000]);
  expect(t.size).toBe(6);
  expect(t.get(512)).toBeUndefined();
});

test('Table: restored rows are frozen, updated through @msw/data (checked from then on), deleted, and behave like inserted rows under overlapping writes', async () => {
  const rows = Array.from({ length: 1100 }, (_, i) => ({ ...role(`R${i}`), id: i + 1 }));
  const restored = new Table('roles', roleSchema, ['name']);
  await restored.restore({ nextId: 1101, rows });
  expect(() => {
    (restored.get(1) as { name: string }).name = 'mutated';
  }).toThrow(TypeError);
  expect(restored.one('name', 'R4')?.id).toBe(5);
  expect((await restored.update(5, { name: 'five' }))?.name).toBe('five');
  expect(restored.one('name', 'five')?.id).toBe(5);
  expect(restored.by('name', 'R4')).toEqual([]);
  // Adopted rows are the Collection's: its schema refuses a bad update as for any inserted row.
  await expect(restored.update(5, { name: 7 as never })).rejects.toThrow();
  await expect(restored.update(6, { name: 7 as never })).rejects.toThrow();
  expect(restored.get(6)?.name).toBe('R5');
  expect(restored.delete(700)?.name).toBe('R699');
  expect(restored.get(700)).toBeUndefined();
  expect((await restored.insert(role('new'))).id).toBe(1101);

  // The same overlapping writes on a table whose rows were inserted give the same outcomes.
  const inserted = new Table('roles', roleSchema, ['name']);
  for (const row of rows) await inserted.insert(row);
  const fresh = new Table('roles', roleSchema, ['name']);
  await fresh.restore({ nextId: 1101, rows });
  for (const t of [inserted, fresh]) {
    const both = await Promise.allSettled([t.update(10, { name: 'a' }), t.update(10, { description: 'b' })]);
    const deletedMidway = t.update(20, { name: 'gone' });
    t.delete(20);
    Object.assign(t, { outcome: { both: both.map((r) => r.status), deletedMidway: await deletedMidway, ten: { ...t.get(10) }, twenty: t.get(20) } });
  }
  expect((fresh as unknown as { outcome: unknown }).outcome).toEqual((inserted as unknown as { outcome: unknown }).outcome);
  expect(fresh.by('name', 'gone')).toEqual([]);
});

test('Table: inserts while a world loads are checked with the schema, placed outside the Collection, then updated and rewound like any row', async () => {
  const t = new Table('roles', roleSchema, ['name']);
  t.mark();
  t.loading++;
  await expect(t.insert({ ...role('bad'), name: 5 as never })).rejects.toThrow(/roles: the record does not match the schema: name: /);
  for (let i = 0; i < 600; i++) await t.insert(role(`R${i}`));
  t.loading--;
  expect(t.size).toBe(600);
  expect(Object.isFrozen(t.get(1))).toBe(true);
  expect((await t.update(550, { name: 'changed' }))?.name).toBe('changed');
  await expect(t.update(551, { name: 5 as never })).rejects.toThrow();
  expect(t.distinct('name')).toBe(600);
  await t.rewind();
  expect(t.size).toBe(0);
  expect((await t.insert(role('after'))).id).toBe(1);
});

test('Table: rewind goes back to the mark by undoing the changes, or by rebuilding after a whole restore', async () => {
  const t = new Table('roles', roleSchema);
  for (let i = 0; i < 1200; i++) await t.insert(role(`R${i}`));
  t.mark();
  const marked = t.all().map((r) => ({ ...r }));
  await t.update(7, { name: 'changed' });
  await t.update(7, { name: 'changed twice' });
  t.delete(600);
  await t.insert(role('new'));
  expect(t.by('name', 'changed twice').map((r) => r.id)).toEqual([7]);
  await t.rewind();
  expect(t.all().map((r) => ({ ...r }))).toEqual(marked);
  expect(t.by('name', 'changed twice')).toEqual([]);
  expect(t.by('name', 'R6').map((r) => r.id)).toEqual([7]);
  expect((await t.insert(role('after'))).id).toBe(1201);
  await t.restore({ nextId: 3, rows: [{ ...role('other'), id: 2 }] });
  await t.rewind();
  expect(t.all().map((r) => ({ ...r }))).toEqual(marked);
  expect((await t.insert(role('again'))).id).toBe(1201);
});
