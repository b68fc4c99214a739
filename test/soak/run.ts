// `npm run soak [-- --duration 10m] [--clients 6] [--strapi 4|5]`: see soak.ts. Prints the
// figures; exits 1 on any error, an RSS over the bound or a count that does not add up.
import { parseArgs } from 'node:util';
import { runSoak, soakFailures, soakSummary } from './soak.js';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10m' }, clients: { type: 'string', default: '6' }, strapi: { type: 'string', default: '5' } } });
const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(values.duration);
if (!m) {
  console.error(`soak: --duration must be like 30s, 10m or 5000ms, got "${values.duration}"`);
  process.exit(2);
}
const durationMs = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm'];
const clients = Number(values.clients);
if (!Number.isInteger(clients) || clients < 1 || !['4', '5'].includes(values.strapi)) {
  console.error('soak: --clients must be a positive integer and --strapi 4 or 5');
  process.exit(2);
}

const report = await runSoak({ durationMs, clients, strapi: Number(values.strapi) as 4 | 5, log: (line) => console.log(line) });
console.log(soakSummary(report));
process.exit(soakFailures(report).length ? 1 : 0);
