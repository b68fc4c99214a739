// diff against a customised real Strapi (customised.ts: a tag controller that adds meta.customised
// to its lists), booted by contracts/run.ts: the divergences are exactly that customisation.
import { describe, expect, test } from 'vitest';
import { targetFromEnv } from '../target.js';
import { runDiff } from '../../differential/diff.js';
import { formatReport } from '../../differential/replay.js';

const target = targetFromEnv();

describe(`diff on a customised ${target.name}`, () => {
  test('the customised controller is found: every tag list, and nothing else', async () => {
    const result = await runDiff({ url: target.url, token: target.apiTokens.fullAccess, readOnly: true });
    const text = formatReport(result.divergences, result.requests);
    const lists = result.divergences.filter((d) => /^GET \/api\/tags\?/.test(d.request));
    expect(lists.length).toBeGreaterThanOrEqual(3);
    // A tag list the instance refuses (400, an invalid filter) never reaches meta: no divergence there.
    expect(result.divergences.filter((d) => !lists.includes(d))).toEqual([]);
    for (const d of lists) expect(d.differences).toEqual([{ path: 'body.meta.customised', expected: true }]);
    expect(text.split('\n').at(-1)).toBe(`${lists.length} divergences in ${result.requests} requests`);
  });
});
