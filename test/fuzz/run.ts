// npm run fuzz -- --requests 100000 [--seed N] [--strapi 4|5] [--shrink K]
// Fuzzes the emulator in-process from its OpenAPI spec (both majors unless --strapi), prints
// the figures per major and a minimal reproducer per failing kind × operation, and exits 1
// when any 5xx, spec violation or failed write that changed state was seen.
import { parseArgs } from 'node:util';
import { formatReport, runCampaign } from './campaign.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    strapi: { type: 'string' },
    shrink: { type: 'string', default: '5' },
  },
});

const requests = Number(values.requests);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const majors = values.strapi === undefined ? [4, 5] : [Number(values.strapi)];
if (!Number.isInteger(requests) || requests < 1) throw new Error(`--requests must be a positive integer, got ${values.requests}`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
if (majors.some((m) => m !== 4 && m !== 5)) throw new Error(`--strapi must be 4 or 5, got ${values.strapi}`);

// Requests are split evenly between the majors.
const perMajor = Math.ceil(requests / majors.length);
let failed = 0;
for (const major of majors as Array<4 | 5>) {
  const started = Date.now();
  const report = await runCampaign({
    major,
    requests: perMajor,
    seed,
    shrink: Number(values.shrink),
    onProgress: (sent, r) => {
      if (sent % 10_000 === 0) process.stderr.write(`v${major}: ${sent}/${perMajor} sent, 5xx ${r.counts['5xx']}, spec ${r.counts.spec}, state ${r.counts.state}\n`);
    },
  });
  console.log(formatReport(report));
  console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  failed += report.counts['5xx'] + report.counts.spec + report.counts.state;
}
console.log(`seed ${seed} — rerun with: npm run fuzz -- --requests ${requests} --seed ${seed}${values.strapi ? ` --strapi ${values.strapi}` : ''}`);
process.exit(failed > 0 ? 1 : 0);
