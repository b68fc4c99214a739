import { expect, test } from 'vitest';
import { Gate } from './gate.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

test('readers and writers never share a phase; a waiting kind closes the phase to newcomers of the other', async () => {
  const order: string[] = [];
  const gate = new Gate(() => undefined);
  await gate.enter('write');
  const r1 = Promise.resolve(gate.enter('read')).then(() => order.push('r1'));
  // A reader is waiting: a new writer does not join the running write phase.
  const w2 = Promise.resolve(gate.enter('write')).then(() => order.push('w2'));
  await tick();
  expect(order).toEqual([]);
  await gate.leave();
  await r1;
  await tick();
  expect(order).toEqual(['r1']);
  await gate.leave();
  await w2;
  expect(order).toEqual(['r1', 'w2']);
  await gate.leave();
});

test('a sealed write phase takes no new writer; the drain runs before anyone else gets in', async () => {
  const order: string[] = [];
  let drained = 0;
  const gate = new Gate(async () => {
    order.push('drain');
    drained++;
    await tick();
  });
  await gate.enter('write');
  await gate.enter('write');
  gate.seal();
  const late = Promise.resolve(gate.enter('write')).then(() => order.push('late'));
  const reader = Promise.resolve(gate.enter('read')).then(() => order.push('reader'));
  await gate.leave();
  await tick();
  expect(order).toEqual([]);
  await gate.leave();
  await reader;
  // The reader first (it waited on a write phase), then the next write phase.
  expect(order).toEqual(['drain', 'reader']);
  await gate.leave();
  await late;
  expect(order).toEqual(['drain', 'reader', 'late']);
  await gate.leave();
  expect(drained).toBe(2);
});
