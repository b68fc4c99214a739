// `npm run crash-test -- --iterations 100 [--clients 8] [--max-life-ms 1500] [--strapi 4|5] [--compact-bytes 16384]`:
// see crash.ts. Prints each iteration and the totals; exits 1 on any loss or unloadable file.
import { parseArgs } from 'node:util';
import { runCrashTest } from './crash.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '100' },
    clients: { type: 'string', default: '8' },
    'max-life-ms': { type: 'string', default: '1500' },
    strapi: { type: 'string', default: '5' },
    'compact-bytes': { type: 'string', default: '16384' },
  },
});
const int = (name: keyof typeof values, min: number) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`crash-test: --${name} must be an integer ≥ ${min}, got "${values[name]}"`);
    process.exit(2);
  }
  return n;
};
const strapi = int('strapi', 4);
if (strapi !== 4 && strapi !== 5) {
  console.error('crash-test: --strapi must be 4 or 5');
  process.exit(2);
}
const started = Date.now();
const report = await runCrashTest({ iterations: int('iterations', 1), clients: int('clients', 1), maxLifeMs: int('max-life-ms', 1), strapi, compactBytes: int('compact-bytes', 0), log: (line) => console.log(line) });
console.log(`\niterations: ${report.iterations}`);
console.log(`acknowledged writes: ${report.acknowledged}`);
console.log(`cut off by the kill (either outcome allowed): ${report.cutOff}`);
console.log(`kills that landed during a compaction (a temp snapshot or two journals left): ${report.midWrite}`);
console.log(`kills that landed during an append (a torn last record dropped): ${report.tornTails}`);
console.log(`losses: ${report.losses}`);
console.log(`unloadable files: ${report.unloadable}`);
console.log(`duration: ${((Date.now() - started) / 1000).toFixed(1)} s`);
for (const p of report.problems) console.log(`  ${p}`);
process.exit(report.losses || report.unloadable ? 1 : 0);
