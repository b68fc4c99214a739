// One fuzzing campaign: `requests` requests drawn from the spec (fast-check, reproducible by
// seed), counted by status and by finding; the first failures of each kind and operation are
// then shrunk by fast-check to a minimal request, replayed on the state they failed in.
import fc from 'fast-check';
import type { StoreSnapshot } from '../../emulator/index.js';
import { type Finding, type FindingKind, Fuzzer, reproducer } from './fuzzer.js';
import type { FuzzRequest } from './requests.js';

export type CampaignOptions = {
  major: 4 | 5;
  requests: number;
  seed: number;
  /** Requests drawn per fast-check sample (and between two rewinds of the world). */
  batch?: number;
  /** How many failures to shrink (the first of each kind × operation). */
  shrink?: number;
  onProgress?: (sent: number, report: CampaignReport) => void;
};

export type CampaignReport = {
  major: 4 | 5;
  seed: number;
  sent: number;
  byStatus: Record<string, number>;
  byOperation: Record<string, number>;
  counts: Record<FindingKind, number>;
  /** Findings grouped by kind, operation, status and the first line of what went wrong. */
  signatures: Record<string, number>;
  /** The first failures of each kind × operation, shrunk when possible. */
  examples: Array<Finding & { shrunk?: FuzzRequest }>;
};

type Failure = { finding: Finding; seed: number; index: number; drawn: FuzzRequest[] };

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const { major, requests, seed } = options;
  const batch = options.batch ?? 500;
  const fuzzer = await Fuzzer.create(major);
  const report: CampaignReport = { major, seed, sent: 0, byStatus: {}, byOperation: {}, counts: { '5xx': 0, spec: 0, state: 0 }, signatures: {}, examples: [] };
  const failures = new Map<string, Failure>();
  for (let b = 0; report.sent < requests; b++) {
    // Each batch starts from the seeded world: the store stays small and the seeded JWTs valid.
    await fuzzer.rewind();
    const batchSeed = (seed + b) | 0;
    const drawn = fc.sample(fuzzer.arbitrary, { seed: batchSeed, numRuns: Math.min(batch, requests - report.sent) });
    for (let i = 0; i < drawn.length; i++) {
      const request = drawn[i];
      const outcome = await fuzzer.send(request);
      report.sent++;
      report.byStatus[outcome.status] = (report.byStatus[outcome.status] ?? 0) + 1;
      report.byOperation[request.operationId] = (report.byOperation[request.operationId] ?? 0) + 1;
      for (const finding of outcome.findings) {
        report.counts[finding.kind]++;
        const signature = `${finding.kind} ${request.operationId} ${finding.status} ${finding.detail.split('\n')[0].replace(/; body: .*/, '').slice(0, 160)}`;
        report.signatures[signature] = (report.signatures[signature] ?? 0) + 1;
        const key = `${finding.kind} ${request.operationId}`;
        if (!failures.has(key)) failures.set(key, { finding, seed: batchSeed, index: i, drawn });
      }
    }
    options.onProgress?.(report.sent, report);
  }
  let shrinkBudget = options.shrink ?? 5;
  for (const failure of failures.values()) {
    const shrunk = shrinkBudget-- > 0 ? await shrinkFailure(fuzzer, failure) : undefined;
    report.examples.push({ ...failure.finding, ...(shrunk ? { shrunk } : {}) });
  }
  return report;
}

/**
 * Replays the failing draw (same seed, same position) with fast-check and lets it shrink: every
 * candidate runs on the state the original request failed in, and "fails" when it gives the
 * same kind of finding on the same operation.
 */
async function shrinkFailure(fuzzer: Fuzzer, failure: Failure): Promise<FuzzRequest | undefined> {
  const { kind, request } = failure.finding;
  // The state the request failed in: the batch replayed up to it (cheaper than a snapshot per request).
  await fuzzer.rewind();
  for (const earlier of failure.drawn.slice(0, failure.index)) await fuzzer.send(earlier);
  const before: StoreSnapshot = fuzzer.snapshot();
  const property = fc.asyncProperty(fuzzer.arbitrary, async (candidate) => {
    await fuzzer.rewind(before);
    const outcome = await fuzzer.send(candidate);
    return !(candidate.operationId === request.operationId && outcome.findings.some((f) => f.kind === kind));
  });
  const result = await fc.check(property, { seed: failure.seed, path: String(failure.index), numRuns: 1, endOnFailure: false, maxSkipsPerRun: 0 });
  await fuzzer.rewind();
  return result.failed ? (result.counterexample?.[0] as FuzzRequest) : undefined;
}

export function formatReport(report: CampaignReport): string {
  const lines = [
    `Strapi v${report.major} — seed ${report.seed}`,
    `  requests sent: ${report.sent} over ${Object.keys(report.byOperation).length} operations`,
    `  per status: ${Object.entries(report.byStatus)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
    `  5xx: ${report.counts['5xx']}`,
    `  spec violations: ${report.counts.spec}`,
    `  failed writes that changed state: ${report.counts.state}`,
  ];
  if (Object.keys(report.signatures).length) lines.push('  findings by kind, operation, status:', ...Object.entries(report.signatures).map(([s, n]) => `    ${n}× ${s}`));
  for (const example of report.examples) {
    lines.push('', `  [${example.kind}] ${example.request.operationId} → ${example.status}: ${example.detail.split('\n')[0]}`);
    lines.push(...reproducer(example.shrunk ?? example.request).split('\n').map((l) => `    ${l}`));
    if (example.shrunk) lines.push('    (shrunk by fast-check)');
  }
  return lines.join('\n');
}
