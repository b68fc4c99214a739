// The reports of a run: JUnit XML a CI system reads (counts, escaping, skipped and failed cases),
// and the summary table with the scenarios where the instance and the emulator differ.
import { describe, expect, it } from 'vitest';
import { junitXml, summaryTable } from './reports.js';
import type { TargetRun } from './runner.js';

const run = (name: string, statuses: Array<'passed' | 'failed' | 'skipped' | 'not run'>): TargetRun => ({
  name,
  results: statuses.map((status, i) => ({ group: i < 2 ? 'api::tag.tag (collection type)' : 'upload', name: `s${i} <"&'>`, status, ms: 1500, ...(status === 'passed' ? {} : { message: `why ${i} <b>\u0001` }) })),
  cleanupFailures: [],
  interrupted: false,
  requests: 3,
});

describe('reports', () => {
  it('JUnit XML: one testsuite per target and group, escaped, with failures and skips', () => {
    const xml = junitXml([run('live-v5', ['passed', 'failed', 'skipped', 'not run'])]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="strapi-emulator check" tests="4" failures="1" errors="0" skipped="2" time="6.000">/);
    expect(xml).toContain('<testsuite name="live-v5 › api::tag.tag (collection type)" tests="2" failures="1" errors="0" skipped="0" time="3.000">');
    expect(xml).toContain('<testcase classname="live-v5.api::tag.tag (collection type)" name="s1 &lt;&quot;&amp;&apos;&gt;" time="1.500"><failure message="why 1 &lt;b&gt;">why 1 &lt;b&gt;</failure></testcase>');
    expect(xml).toContain('<skipped message="why 3 &lt;b&gt;"/>');
    expect(xml).not.toContain('\u0001');
  });

  it('the summary table counts per group and names where the targets differ', () => {
    const table = summaryTable([run('live-v4', ['passed', 'failed', 'passed', 'skipped']), run('emulator-v4', ['passed', 'passed', 'passed', 'passed'])]);
    expect(table.split('\n').slice(0, 5)).toEqual([
      '| scenario group                 | live-v4                         | emulator-v4 |',
      '|--------------------------------|---------------------------------|-------------|',
      '| api::tag.tag (collection type) | 1/2 passed, 1 failed            | 2/2 passed  |',
      '| upload                         | 1/1 passed, 1 skipped           | 2/2 passed  |',
      '| all                            | 2/3 passed, 1 failed, 1 skipped | 4/4 passed  |',
    ]);
    expect(table).toContain(`1 scenario(s) where live-v4 and emulator-v4 differ:\n  api::tag.tag (collection type) › s1 <"&'>: live-v4 failed, emulator-v4 passed`);
  });
});
