import { describe, expect, test } from 'vitest';
import type { UserRecord } from '../store/records.js';
import { claimedUser } from './jwt-claim.js';

// Users 3, 5 and 8: ids with gaps, so "the first" and "the lowest listed" are told apart.
const rows = [3, 5, 8].map((id) => ({ id }) as UserRecord);
const users = { get: (id: number) => rows.find((u) => u.id === id), all: () => rows };
const pick = (claim: unknown) => {
  const found = claimedUser(claim, 5, users);
  return found === 'rejected' ? found : (found.user?.id ?? null);
};

describe('claimedUser: what findOne({where: {id: claim}}) selects', () => {
  test('numbers and numeric text select that id; anything else selects nobody', () => {
    expect([5, '5', ' 5 ', '5.0', '5e0', '+5'].map(pick)).toEqual([5, 5, 5, 5, 5, 5]);
    expect([4, 5.5, -5, 0, 1e300, '0x5', 'abc', '', 'null', null, false].map(pick)).toEqual(Array(11).fill(null));
  });

  test('a list is IN (…): the lowest existing id; non-scalars in it match nothing', () => {
    expect(pick([8, 5])).toBe(5);
    expect(pick(['8', 4])).toBe(8);
    expect([[], [null], [{}], [{ $eq: 5 }]].map(pick)).toEqual([null, null, null, null]);
  });

  test('where operators select the first matching user; {} selects the first user', () => {
    expect(pick({})).toBe(3);
    expect(pick({ $gt: 3 })).toBe(5);
    expect(pick({ $not: { $eq: 3 } })).toBe(5);
    expect(pick({ $in: [8] })).toBe(8);
    expect(pick({ $in: [] })).toBe(null);
  });

  test('keys the query builder does not take as attribute operators → rejected', () => {
    expect([{ id: 5 }, { $or: [{ $eq: 5 }] }, { $and: [] }, { $foo: 1 }, [{ id: 5 }], { $in: [{ nope: 1 }] }].map(pick)).toEqual(Array(6).fill('rejected'));
  });
});
