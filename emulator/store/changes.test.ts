import { expect, test } from 'vitest';
import { ChangeSet, TrackedMap } from './changes.js';
import { Table } from './table.js';
import { roleSchema } from './records.js';

test('a change set notes nothing until tracked, then the keys written since the last take; a whole replacement as `all`', () => {
  const changes = new ChangeSet<number>();
  changes.note(1);
  changes.noteAll();
  expect(changes.empty).toBe(true);
  changes.track();
  changes.note(2);
  changes.note(2);
  changes.note(3);
  expect(changes.take()).toEqual({ all: false, keys: [2, 3] });
  expect(changes.take()).toEqual({ all: false, keys: [] });
  changes.note(4);
  changes.noteAll();
  changes.note(5);
  expect(changes.take()).toEqual({ all: true, keys: [] });
});

test("every write of a table notes its id; clear and restore note the whole table", async () => {
  const table = new Table('roles', roleSchema);
  table.changes.track();
  const row = { documentId: 'd', name: 'n', description: null, type: 't', createdAt: 'c', updatedAt: 'u', publishedAt: null };
  const a = await table.insert(row);
  const b = await table.insert(row);
  await table.update(a.id, { name: 'm' });
  table.delete(b.id);
  expect(table.changes.take()).toEqual({ all: false, keys: [a.id, b.id] });
  expect(table.nextFreeId).toBe(3);
  await table.restore({ nextId: 9, rows: [] });
  expect(table.changes.take().all).toBe(true);
});

test('a tracked map notes set and delete; replace notes only the keys whose value is not the same one', () => {
  const map = new TrackedMap<string, number[]>();
  const kept = [1];
  map.set('kept', kept);
  map.set('changed', [2]);
  map.set('dropped', [3]);
  map.changes.track();
  map.replace([
    ['kept', kept],
    ['changed', [4]],
    ['added', [5]],
  ]);
  expect(map.changes.take().keys.sort()).toEqual(['added', 'changed', 'dropped']);
  expect([...map.keys()].sort()).toEqual(['added', 'changed', 'kept']);
  map.clear();
  expect(map.changes.take().all).toBe(true);
});
