// Runs `check`'s scenarios against one target, group after group, printing progress; removes what
// the scenarios created (last first) at the end, also after a failure or Ctrl-C; stops at once
// when the instance stops answering.
import { randomBytes } from 'node:crypto';
import type { Agent } from 'undici';
import type { SpecValidator } from '../validate.js';
import { type Answer, Http, InstanceDown, WriteRefused } from './http.js';
import type { Instance } from './instance.js';

export class Skip extends Error {}
export class CheckFailure extends Error {}

export type Ctx = {
  http: Http;
  major: 4 | 5;
  /** The full-access token of this target. */
  token: string;
  instance: Instance;
  /** A fresh client address (per-scenario sources) or the shared one. */
  source(): Agent;
  /** A unique, recognisable name for something this run creates (`check-<run>-<n>`). */
  mark(): string;
  /** Registers how to remove what was just created; run last-first at the end. */
  created(what: string, remove: () => Promise<void>): void;
  /** Fails unless the answer has `status` and conforms to the spec of the instance's types. */
  expect(answer: Answer, status: number | number[], error?: { name?: string; message?: string | RegExp }): Answer;
  stress: boolean;
};

export type Scenario = {
  group: string;
  name: string;
  /** Sends more than GET/HEAD: not run with --read-only. */
  writes?: boolean;
  /** Only with --stress. */
  stress?: boolean;
  run(ctx: Ctx): Promise<void>;
};

export type Status = 'passed' | 'failed' | 'skipped' | 'not run';
export type Result = { group: string; name: string; status: Status; ms: number; message?: string };
export type TargetRun = { name: string; results: Result[]; down?: string; cleanupFailures: string[]; interrupted: boolean; requests: number };

export type RunOptions = {
  name: string;
  url: string;
  token: string;
  instance: Instance;
  validator: SpecValidator;
  http: Http;
  readOnly: boolean;
  stress: boolean;
  /** Progress lines go here (default stderr). */
  progress?: (line: string) => void;
  /** Set by the caller's SIGINT handler: no scenario starts after it. */
  interrupted?: () => boolean;
};

function describeAnswer(a: Answer): string {
  return `${a.method} ${a.path} → ${a.status} ${a.text.slice(0, 300)}`;
}

/** `expect` of a Ctx: the path is matched against the spec without the instance's own base path. */
export function makeExpect(validator: SpecValidator) {
  return (answer: Answer, status: number | number[], error?: { name?: string; message?: string | RegExp }): Answer => {
    const want = [status].flat();
    if (!want.includes(answer.status)) throw new CheckFailure(`expected ${want.join(' or ')}: ${describeAnswer(answer)}`);
    if (error) {
      const got = (answer.json as { error?: { name?: string; message?: string } } | undefined)?.error;
      if (error.name && got?.name !== error.name) throw new CheckFailure(`expected error ${error.name}: ${describeAnswer(answer)}`);
      if (error.message && !(typeof error.message === 'string' ? got?.message === error.message : error.message.test(got?.message ?? ''))) throw new CheckFailure(`expected message ${String(error.message)}: ${describeAnswer(answer)}`);
    }
    const verdict = validator.check({ method: answer.method, url: `http://instance${answer.path}`, status: answer.status, headers: answer.headers, body: answer.text });
    // Without rate-limit headers (ratelimit disabled in the project's config, or a proxy that drops
    // them) the rest of the answer is still checked; the rate-limit scenario says why it skips.
    verdict.violations = verdict.violations.filter((v) => !/: header X-RateLimit-(Limit|Remaining|Reset) missing$/.test(v));
    if (verdict.violations.length) throw new CheckFailure(`the answer does not conform to the spec of the instance's types: ${verdict.violations.slice(0, 4).join('; ')}`);
    return answer;
  };
}

export async function runScenarios(scenarios: Scenario[], opts: RunOptions): Promise<TargetRun> {
  const progress = opts.progress ?? ((line: string) => process.stderr.write(line + '\n'));
  const run = randomBytes(3).toString('hex');
  let n = 0;
  const cleanups: Array<{ what: string; remove: () => Promise<void> }> = [];
  const ctx: Ctx = {
    http: opts.http,
    major: opts.instance.major,
    token: opts.token,
    instance: opts.instance,
    source: () => opts.http.source(),
    mark: () => `check-${run}-${++n}`,
    created: (what, remove) => void cleanups.push({ what, remove }),
    expect: makeExpect(opts.validator),
    stress: opts.stress,
  };
  const out: TargetRun = { name: opts.name, results: [], cleanupFailures: [], interrupted: false, requests: 0 };
  const groups = [...new Set(scenarios.map((s) => s.group))];
  const total = scenarios.length;
  let done = 0;
  try {
    for (const group of groups) {
      const inGroup = scenarios.filter((s) => s.group === group);
      const t0 = Date.now();
      const counts: Record<Status, number> = { passed: 0, failed: 0, skipped: 0, 'not run': 0 };
      for (const s of inGroup) {
        let result: Result;
        const started = Date.now();
        if (opts.http.down || out.interrupted || opts.interrupted?.()) {
          out.interrupted ||= Boolean(opts.interrupted?.());
          result = { group, name: s.name, status: 'not run', ms: 0, message: opts.http.down ? 'the instance had stopped answering' : 'interrupted' };
        } else if (s.stress && !opts.stress) result = { group, name: s.name, status: 'skipped', ms: 0, message: 'a stress scenario: only with --stress' };
        else if (s.writes && opts.readOnly) result = { group, name: s.name, status: 'skipped', ms: 0, message: '--read-only: it writes' };
        else {
          try {
            await s.run(ctx);
            result = { group, name: s.name, status: 'passed', ms: Date.now() - started };
          } catch (error) {
            const status: Status = error instanceof Skip ? 'skipped' : error instanceof InstanceDown ? 'not run' : 'failed';
            if (error instanceof WriteRefused) throw new Error(`bug: scenario "${s.name}" is not marked as writing: ${error.message}`);
            result = { group, name: s.name, status, ms: Date.now() - started, message: (error as Error).message };
            if (error instanceof InstanceDown) {
              result.status = 'failed';
              out.down = error.message;
              progress(`[check] ${opts.name} ✗ ${group} › ${s.name}: ${error.message} — stopping`);
            }
          }
        }
        counts[result.status]++;
        out.results.push(result);
        done++;
        if (result.status === 'failed' && !(out.down && result.message === out.down)) progress(`[check] ${opts.name} ✗ ${group} › ${s.name}\n          ${result.message?.split('\n').join('\n          ')}`);
      }
      progress(`[check] ${opts.name} ${group}: ${Object.entries(counts).filter(([, c]) => c).map(([k, c]) => `${c} ${k}`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s, ${done}/${total})`);
    }
  } finally {
    if (cleanups.length && !opts.http.down) progress(`[check] ${opts.name}: removing the ${cleanups.length} things this run created`);
    for (const { what, remove } of cleanups.reverse()) {
      if (opts.http.down) {
        out.cleanupFailures.push(`${what} (the instance had stopped answering)`);
        continue;
      }
      try {
        await remove();
      } catch (error) {
        out.cleanupFailures.push(`${what}: ${(error as Error).message}`);
      }
    }
    out.requests = opts.http.log.length;
  }
  return out;
}
