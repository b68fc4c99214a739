import { expect, test } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('sections sharing a key run one after the other, in arrival order; disjoint ones overlap', async () => {
  const lock = new KeyedLock();
  const log: string[] = [];
  const section = (name: string) => async () => {
    log.push(`${name}+`);
    await tick();
    log.push(`${name}-`);
    return name;
  };
  const results = await Promise.all([lock.hold(['x'], section('a')), lock.hold(['y'], section('b')), lock.hold(['x', 'y'], section('c')), lock.hold(['x'], section('d'))]);
  expect(results).toEqual(['a', 'b', 'c', 'd']);
  // a and b overlap; c waits for both; d waits for c.
  expect(log.slice(0, 2).sort()).toEqual(['a+', 'b+']);
  expect(log.indexOf('c+')).toBeGreaterThan(Math.max(log.indexOf('a-'), log.indexOf('b-')));
  expect(log.indexOf('d+')).toBeGreaterThan(log.indexOf('c-'));
  expect(lock.size).toBe(0);
});

test('a section that throws releases its keys; no keys runs at once', async () => {
  const lock = new KeyedLock();
  await expect(lock.hold(['k'], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(await lock.hold(['k'], () => 'after')).toBe('after');
  expect(await lock.hold([], () => 'free')).toBe('free');
  expect(lock.size).toBe(0);
});
