// One hand-written SVG: req/s per target for every load case, horizontal bars on a log scale
// (logins run at tens of req/s, the hello ceiling at tens of thousands).
export type Series = { name: string; color: string };
export type Group = { label: string; values: Array<number | undefined> };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));

export function barChart(title: string, series: Series[], groups: Group[]): string {
  const left = 230;
  const plot = 560;
  const bar = 13;
  const gap = 16;
  const top = 56;
  const max = Math.max(10, ...groups.flatMap((g) => g.values.filter((v): v is number => v !== undefined && v > 0)));
  const decades = Math.ceil(Math.log10(max));
  const x = (v: number) => left + (Math.log10(Math.max(v, 1)) / decades) * plot;
  const out: string[] = [];
  let y = top;
  for (const g of groups) {
    const rows = g.values.map((v, i) => ({ v, s: series[i] })).filter((r) => r.v !== undefined);
    out.push(`<text x="${left - 10}" y="${y + (rows.length * (bar + 2)) / 2 + 4}" text-anchor="end" font-size="12">${esc(g.label)}</text>`);
    for (const { v, s } of rows) {
      const w = Math.max(1, x(v!) - left);
      out.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${s.color}"><title>${esc(`${s.name}: ${fmt(v!)} req/s`)}</title></rect>`);
      out.push(`<text x="${(left + w + 4).toFixed(1)}" y="${y + bar - 3}" font-size="10">${fmt(v!)}</text>`);
      y += bar + 2;
    }
    y += gap;
  }
  const height = y + 30;
  const grid: string[] = [];
  for (let d = 0; d <= decades; d++) {
    const gx = left + (d / decades) * plot;
    grid.push(`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${y - gap + 4}" stroke="#ddd"/>`);
    grid.push(`<text x="${gx}" y="${y - gap + 18}" text-anchor="middle" font-size="10" fill="#555">${(10 ** d).toLocaleString('en-US')}</text>`);
  }
  const legend = series.map((s, i) => `<rect x="${left + i * 130}" y="28" width="10" height="10" fill="${s.color}"/><text x="${left + i * 130 + 14}" y="37" font-size="11">${esc(s.name)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + plot + 110}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ...legend,
    ...grid,
    ...out,
    `<text x="${left + plot / 2}" y="${height - 4}" text-anchor="middle" font-size="10" fill="#555">requests per second (log scale)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
