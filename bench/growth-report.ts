// The growth section of the report: one table (each cost at each size, how it grows between the
// smallest and the largest size, issue 15's target) and a log-log chart of each cost relative to
// its value at the smallest size, beside the "constant" and "linear" lines.
import type { GrowthRow } from './growth.js';
import { median } from './stats.js';

export type Metric = {
  label: string;
  unit: string;
  of: (r: GrowthRow) => number | undefined;
  /** A throughput: its cost is 1/value. */
  higherIsBetter?: boolean;
  /** What the cost is made of (the design; the measured column says whether it holds). */
  why: string;
};

export const METRICS: Metric[] = [
  { label: 'start-up with `--seed` (seed file of N documents)', unit: 'ms', of: (r) => r.seedStartMs, why: 'each document goes through the content API create (validation, defaults, two rows on v5): linear by design' },
  { label: 'start-up with `--data` (a file holding N documents)', unit: 'ms', of: (r) => r.dataStartMs, why: 'read and parse the file, check it, insert every row into @msw/data (its create: ~5 µs a row alone): linear' },
  { label: 'seeding: `PUT /_emulator/snapshot` of N documents', unit: 'ms', of: (r) => r.seedingMs, why: 'the same restore as --data plus the HTTP body: linear' },
  { label: 'reset to the seeded world (`POST /_emulator/reset`, median)', unit: 'ms', of: (r) => (r.resetMs.length ? median(r.resetMs) : undefined), why: 'undoes the changes since the seed (an undo log per table), whatever the size of the world: constant' },
  { label: 'create p50 without `--data`', unit: 'ms', of: (r) => r.createMemory.p50, why: 'index lookups (documentId, unique attributes) and one @msw/data shard of ≤ 512 rows per write: constant' },
  { label: 'create p50 with `--data`', unit: 'ms', of: (r) => r.createData.p50, why: 'the create plus making it durable (persistence/): what the journal costs' },
  { label: 'RSS with N documents (the `--seed` server after start-up)', unit: 'MB', of: (r) => r.rssSeedMb, why: 'one frozen record per row (@msw/data adds a UUID and a relation Map to each), one index entry per row' },
  { label: 'RSS after `PUT /_emulator/snapshot` of N documents and the list', unit: 'MB', of: (r) => r.rssMb, why: 'the same world, plus what V8 keeps of parsing and checking the request (a 51 MB body at 100k)' },
  { label: 'MB per 1k documents (`--seed` server, RSS above the empty server)', unit: 'MB', of: perThousand, why: 'per document: constant is the goal (at 1k the fixed cost of a seeded start dominates)' },
  { label: 'list p50, one at a time (filter + sort + page)', unit: 'ms', of: (r) => r.list.p50, why: 'a `$contains` filter reads every row and the matches are sorted: linear by nature (an index cannot answer $contains)' },
  { label: 'list req/s, 10 connections', unit: 'req/s', of: (r) => r.listCannon.rps, higherIsBetter: true, why: 'the same list under 10 connections: linear in cost' },
];

/** RSS above the empty server per 1k documents, of the --seed server (else of the PUT server). */
function perThousand(r: GrowthRow): number {
  return (((r.rssSeedMb ?? r.rssMb) - r.rssEmptyMb) * 1000) / r.documents;
}

/** The exponent k of cost ∝ N^k between the first and last rows, and its name. */
export function growth(rows: GrowthRow[], m: Metric): { k: number; name: string } | undefined {
  const [a, b] = [rows[0], rows[rows.length - 1]];
  if (!a || !b || a === b) return undefined;
  let [va, vb] = [m.of(a), m.of(b)];
  if (va === undefined || vb === undefined || !(va > 0) || !(vb > 0)) return undefined;
  if (m.higherIsBetter) [va, vb] = [1 / va, 1 / vb];
  const k = Math.log(vb / va) / Math.log(b.documents / a.documents);
  const name = k < -0.15 ? 'falling' : k < 0.15 ? 'constant' : k < 0.75 ? 'sub-linear' : k < 1.25 ? 'linear' : 'super-linear';
  return { k, name };
}

const num = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US'));

export type GrowthTarget = { goal: string; measured: string; met: boolean | undefined };

export function growthTargets(rows: GrowthRow[], loadedRssMb: number | undefined): GrowthTarget[] {
  const big = rows.find((r) => r.documents === 100_000);
  const at = big ? '100k' : 'not measured (no 100k row: --quick?)';
  const reset = big?.resetMs.length ? median(big.resetMs) : undefined;
  const seedings = big ? [['PUT /_emulator/snapshot', big.seedingMs], ['start-up with --data', big.dataStartMs], ['start-up with --seed', big.seedStartMs]] as const : [];
  const best = seedings.filter(([, v]) => v !== undefined).sort((x, y) => x[1]! - y[1]!)[0];
  const dataRatio = big ? big.createData.p50 / big.createMemory.p50 : undefined;
  const perK = big ? perThousand(big) : undefined;
  const ok = (v: number | undefined, f: (v: number) => boolean) => (v === undefined || Number.isNaN(v) ? undefined : f(v));
  return [
    { goal: 'reset to a seeded world ≤ 5 ms at 100k documents', measured: big ? `${num(reset)} ms (1k: ${num(rows[0]?.resetMs.length ? median(rows[0].resetMs) : undefined)} ms)` : at, met: ok(reset, (v) => v <= 5) },
    { goal: 'seeding 100k documents ≤ 3 s (seed file, control API or --data)', measured: big ? seedings.map(([w, v]) => `${w} ${num(v)} ms`).join('; ') : at, met: ok(best?.[1], (v) => v <= 3000) },
    { goal: 'create p50 with --data at 100k ≤ 2× without', measured: big ? `${num(dataRatio)}× (${num(big.createData.p50)} vs ${num(big.createMemory.p50)} ms)` : at, met: ok(dataRatio, (v) => v <= 2) },
    { goal: 'memory ≤ 3 MB per 1k small documents', measured: big ? `${num(perK)} MB per 1k at 100k (RSS ${num(big.rssSeedMb ?? big.rssMb)} MB with ${big.rssSeedMb !== undefined ? 'the seed' : 'the snapshot'} − empty ${num(big.rssEmptyMb)} MB; after PUT /_emulator/snapshot: ${num(((big.rssMb - big.rssEmptyMb) * 1000) / big.documents)} MB)` : at, met: ok(perK, (v) => v <= 3) },
    { goal: "the bench's loaded server ≤ 150 MB RSS", measured: loadedRssMb === undefined ? 'not measured' : `${num(loadedRssMb)} MB (emulator v5 after the load cases)`, met: ok(loadedRssMb, (v) => v <= 150) },
  ];
}

export function growthMarkdown(rows: GrowthRow[], loadedRssMb: number | undefined): string[] {
  const L: string[] = [];
  L.push('## Growth: what each cost does as the world grows (issue 15)', '');
  L.push(
    'Per size, fresh `node dist/server.js --strapi 5` servers one after another: an empty one loaded with one `PUT /_emulator/snapshot` (seeding, the list, RSS, creates), one started on a `--data` file holding the documents (its start-up, creates that are each made durable), and one started with a `--seed` file of the documents (its start-up, then a create and a `POST /_emulator/reset` back to the seeded world, repeated). v5 articles have a draft and a published row each. "Grows" is the exponent k of cost ∝ N^k between the smallest and the largest size (for req/s, of 1/req/s): under −0.15 falling, under 0.15 constant, under 0.75 sub-linear, under 1.25 linear.',
    '',
  );
  L.push('| target | measured | |', '|---|---|---|');
  for (const t of growthTargets(rows, loadedRssMb)) L.push(`| ${t.goal} | ${t.measured} | ${t.met === undefined ? 'not measured' : t.met ? '**met**' : '**missed**'} |`);
  L.push('', `| cost | ${rows.map((r) => `${r.documents.toLocaleString('en-US')} docs`).join(' | ')} | grows (measured) | made of |`, `|---|${rows.map(() => '---|').join('')}---|---|`);
  for (const m of METRICS) {
    const g = growth(rows, m);
    L.push(`| ${m.label} (${m.unit}) | ${rows.map((r) => num(m.of(r))).join(' | ')} | ${g ? `**${g.name}** (k = ${g.k.toFixed(2)})` : '–'} | ${m.why} |`);
  }
  L.push('', `Empty server: ${num(rows[0]?.rssEmptyMb)} MB RSS. Rows matched by the list filter: ${rows.map((r) => r.matched.toLocaleString('en-US')).join(' / ')}.`, '', '![growth of each cost relative to 1k documents](growth.svg)', '');
  return L;
}

const COLORS = ['#2b6cb0', '#dd6b20', '#38a169', '#805ad5', '#d53f8c', '#319795', '#b7791f', '#4a5568', '#e53e3e', '#3182ce'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '');

/** Log-log: x = documents, y = cost ÷ its cost at the smallest size; grey: constant (1×) and linear. */
export function growthChart(rows: GrowthRow[], date: string): string {
  const left = 60;
  const top = 40;
  const w = 420;
  const h = 300;
  const n0 = rows[0]?.documents ?? 1000;
  const n1 = rows[rows.length - 1]?.documents ?? 100_000;
  const xDec = Math.max(1, Math.log10(n1 / n0));
  const series = METRICS.map((m, i) => {
    const base = rows[0] && m.of(rows[0]);
    const points = rows.flatMap((r) => {
      const v = m.of(r);
      if (!base || v === undefined || !(v > 0)) return [];
      return [{ n: r.documents, rel: m.higherIsBetter ? base / v : v / base }];
    });
    return { label: m.label, color: COLORS[i % COLORS.length], points };
  });
  const rels = series.flatMap((s) => s.points.map((p) => p.rel)).concat([1, n1 / n0]);
  const yMin = Math.floor(Math.log10(Math.min(...rels)));
  const yMax = Math.ceil(Math.log10(Math.max(...rels)));
  const X = (n: number) => left + (Math.log10(n / n0) / xDec) * w;
  const Y = (rel: number) => top + h - ((Math.log10(rel) - yMin) / Math.max(1, yMax - yMin)) * h;
  const out: string[] = [];
  for (let d = yMin; d <= yMax; d++) out.push(`<line x1="${left}" y1="${Y(10 ** d)}" x2="${left + w}" y2="${Y(10 ** d)}" stroke="#eee"/><text x="${left - 6}" y="${Y(10 ** d) + 4}" text-anchor="end" font-size="10" fill="#555">${10 ** d >= 1 ? `${10 ** d}×` : `${10 ** d}×`}</text>`);
  for (const r of rows) out.push(`<line x1="${X(r.documents)}" y1="${top}" x2="${X(r.documents)}" y2="${top + h}" stroke="#eee"/><text x="${X(r.documents)}" y="${top + h + 16}" text-anchor="middle" font-size="10" fill="#555">${r.documents.toLocaleString('en-US')}</text>`);
  out.push(`<line x1="${X(n0)}" y1="${Y(1)}" x2="${X(n1)}" y2="${Y(1)}" stroke="#999" stroke-dasharray="4 3"/><text x="${X(n1) + 4}" y="${Y(1) + 4}" font-size="10" fill="#777">constant</text>`);
  out.push(`<line x1="${X(n0)}" y1="${Y(1)}" x2="${X(n1)}" y2="${Y(n1 / n0)}" stroke="#999" stroke-dasharray="4 3"/><text x="${X(n1) + 4}" y="${Y(n1 / n0) + 4}" font-size="10" fill="#777">linear</text>`);
  for (const s of series) {
    if (s.points.length < 2) continue;
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map((p) => `${X(p.n).toFixed(1)},${Y(p.rel).toFixed(1)}`).join(' ')}"><title>${esc(s.label)}</title></polyline>`);
    for (const p of s.points) out.push(`<circle cx="${X(p.n).toFixed(1)}" cy="${Y(p.rel).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
  }
  const legend = series.map((s, i) => `<rect x="${left + w + 70}" y="${top + i * 18}" width="10" height="10" fill="${s.color}"/><text x="${left + w + 84}" y="${top + i * 18 + 9}" font-size="11">${esc(s.label)}</text>`);
  const width = left + w + 70 + 380;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top + h + 40}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(`Growth: each cost ÷ its cost at ${n0.toLocaleString('en-US')} documents, log-log (${date.slice(0, 10)})`)}</text>`,
    ...out,
    ...legend,
    `<text x="${left + w / 2}" y="${top + h + 34}" text-anchor="middle" font-size="10" fill="#555">documents (log scale)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
