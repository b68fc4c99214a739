import { expect, test } from 'vitest';
import { compileFilters, type QueryEnv, sortRows } from './query.js';

const env: QueryEnv = {
  major: 5,
  model: { uid: 'api::t.t', attributes: { title: { type: 'string' }, rank: { type: 'integer' } } },
  getModel: () => ({ uid: '', attributes: {} }),
  related: () => null,
  canRead: () => true,
};

// A small deterministic PRNG: the same rows every run.
function rowsOf(n: number) {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => ({ id: i + 1, title: next() < 0.1 ? null : `T${Math.floor(next() * 20)}x`, rank: Math.floor(next() * 5) }));
}

test('sortRows with `first`: the same rows, in the same order (ties by id), as sorting everything', () => {
  const rows = rowsOf(500);
  for (const sort of ['title:desc', 'rank,title', ['rank:desc', 'title:asc'], 'title']) {
    const full = sortRows(env, rows, sort);
    for (const first of [0, 1, 7, 25, 60, 124]) expect(sortRows(env, rows, sort, first).map((r) => r.id)).toEqual(full.slice(0, first).map((r) => r.id));
  }
});

test('$contains and friends: case-insensitive for ASCII only, with or without letters in the needle, NULL never matches', () => {
  const rows = [{ id: 1, title: 'Hello 7' }, { id: 2, title: 'ÉCOLE' }, { id: 3, title: null }, { id: 4, title: 'x7y' }];
  const ids = (filters: unknown) => rows.filter(compileFilters(env, filters)).map((r) => r.id);
  expect(ids({ title: { $contains: '7' } })).toEqual([1, 4]);
  expect(ids({ title: { $containsi: 'hello' } })).toEqual([1]);
  expect(ids({ title: { $contains: 'é' } })).toEqual([]);
  expect(ids({ title: { $notContains: '7' } })).toEqual([2]);
  expect(ids({ title: { $startsWith: 'x' } })).toEqual([4]);
  expect(ids({ $or: [{ title: { $endsWith: '7' } }, { title: { $null: true } }] })).toEqual([1, 3]);
  expect(ids({ $not: { title: { $contains: '7' } } })).toEqual([2]);
});
