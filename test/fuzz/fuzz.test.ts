// The bounded fuzzing run of `npm test`: requests generated from the spec of each major (see
// campaign.ts), none of which may get a 5xx, an answer the spec does not document, or — for a
// failed write — a change of state. A fixed seed keeps CI reproducible; FUZZ_SEED picks another,
// and `npm run fuzz -- --requests 100000` is the long run.
import { describe, expect, test } from 'vitest';
import { formatReport, runCampaign } from './campaign.js';

const seed = Number(process.env.FUZZ_SEED ?? 20_260_101);

describe.each([4, 5] as const)('fuzzing Strapi v%i from its spec', (major) => {
  test('no 5xx, no answer outside the spec, no state change from a failed write', { timeout: 120_000 }, async () => {
    const report = await runCampaign({ major, requests: 3_000, seed, shrink: 2 });
    expect(report.sent).toBe(3_000);
    // The run reached most of the spec, with both successes and refusals.
    expect(Object.keys(report.byOperation).length).toBeGreaterThan(55);
    expect(Object.keys(report.byStatus)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    expect(report.counts, formatReport(report)).toEqual({ '5xx': 0, spec: 0, state: 0 });
  });
});
