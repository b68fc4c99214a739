// Regression (found by test/fuzz): POST /_emulator/clock accepted instants past a Date's range
// (±8.64e15 ms), after which every answer that prints the time failed with a 500 — and years
// past 9999, which no ISO timestamp of the spec can hold; and fractions of a millisecond, which
// made `offset` a non-integer.
import { describe, expect, test } from 'vitest';
import { setup } from '../testing.js';

describe('the clock stays within four-digit years', () => {
  test.each([{ set: -8.16e149 }, { set: 8.64e15 + 1 }, { advance: 9e15 }, { set: '9999-12-31T23:59:59.999Z', advance: 1 }, { set: -62167219200001 }, { set: 1.5 }, { advance: 0.5 }])('%j → 400, the clock unmoved', async (body) => {
    const t = await setup({ clock: () => Date.parse('2026-01-01T00:00:00Z') });
    const r = await t.call('POST', '/_emulator/clock', { json: body });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^the clock must stay between|must be an ISO date or epoch milliseconds|must be a number of milliseconds/);
    expect((await t.call('GET', '/_emulator/clock')).body).toEqual({ now: '2026-01-01T00:00:00.000Z', offset: 0 });
  });

  test('the edge of the range is fine', async () => {
    const t = await setup();
    expect((await t.call('POST', '/_emulator/clock', { json: { set: '9999-12-31T23:59:59.999Z' } })).body.now).toBe('9999-12-31T23:59:59.999Z');
    expect((await t.call('POST', '/_emulator/clock', { json: { set: '0000-01-01T00:00:00.000Z' } })).body.now).toBe('0000-01-01T00:00:00.000Z');
  });
});
