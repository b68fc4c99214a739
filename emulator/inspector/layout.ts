// The frame of every inspector page: title, nav bar, styles, the one script (script.ts). The
// pages answer with a CSP of their own, stricter than Strapi's: Strapi's script-src 'self' would
// run a script uploaded to /uploads, should a page ever let markup through; this one runs the
// inspector's script by its hash and nothing else. Inline styles, data: images (thumbnails),
// same-origin fetch (the control API) and GET forms to the page itself (filters) are all it
// allows. An empty data: icon keeps the browser from asking for /favicon.ico (a 404 in the log).
//
// A new page: a Section name and a nav entry here, its handler in handlers.ts, its route in
// spec/parts/control.ts (inspectorPaths).
import type { Reply } from '../http/context.js';
import { type Html, html, raw, toMarkup } from './html.js';
import { inspectorScript, inspectorScriptHash } from './script.js';

export const base = '/_emulator/ui';

export type Section = 'overview' | 'users' | 'roles' | 'admins' | 'documents' | 'files' | 'outbox' | 'requests';

const nav: Array<[Section, string, string]> = [
  ['overview', 'Overview', base],
  ['users', 'Users', `${base}/users`],
  ['roles', 'Roles', `${base}/roles`],
  ['admins', 'Admins', `${base}/admins`],
  ['documents', 'Documents', `${base}/documents`],
  ['files', 'Files', `${base}/files`],
  ['outbox', 'Outbox', `${base}/outbox`],
  ['requests', 'Requests', `${base}/requests`],
];

const styles = raw(`
:root { color-scheme: light; --line: #dcdce4; --muted: #666687; --accent: #4945ff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #32324d; background: #f6f6f9; }
header { background: #212134; color: #fff; padding: 0 20px; display: flex; align-items: center; gap: 24px; flex-wrap: wrap; }
header .brand { font-weight: 700; padding: 12px 0; }
header nav a { color: #c0c0cf; text-decoration: none; padding: 12px 10px; display: inline-block; border-bottom: 3px solid transparent; }
header nav a:hover { color: #fff; }
header nav a[aria-current=page] { color: #fff; border-bottom-color: #7b79ff; }
main { padding: 20px; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 16px; }
h2 { font-size: 17px; margin: 24px 0 8px; }
a { color: var(--accent); }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); margin: 0 0 16px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eaeaef; font-weight: 600; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #fff; border: 1px solid var(--line); padding: 10px 12px; overflow: auto; white-space: pre-wrap; word-break: break-word; margin: 0 0 12px; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600; background: #eaeaef; }
.ok { background: #eafbe7; color: #2f6846; } .warn { background: #fdf4dc; color: #be5d01; } .bad { background: #fcecea; color: #b72b1a; }
.private { background: #f0f0ff; color: #271fe0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 0 0 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 12px 14px; text-decoration: none; color: inherit; }
.card b { display: block; font-size: 24px; color: #32324d; }
.mail { background: #fff; border: 1px solid var(--line); padding: 12px 14px; margin: 0 0 12px; }
.mail dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; }
.mail dt { color: var(--muted); } .mail dd { margin: 0; }
img.thumb { max-width: 96px; max-height: 64px; display: block; border: 1px solid var(--line); background: #fff; }
details { margin: 0 0 12px; } summary { cursor: pointer; }
td details { margin: 0; }
.pager { margin: 0 0 12px; display: flex; gap: 12px; align-items: center; }
form.inline, .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 0 0 12px; }
form.inline label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
form.inline label.check { flex-direction: row; align-items: center; gap: 4px; }
input, select, button { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: inherit; }
button { cursor: pointer; background: var(--accent); color: #fff; border-color: var(--accent); }
button.quiet { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: #b72b1a; border-color: #f5c0b8; }
button[aria-busy=true] { opacity: .6; }
.status { padding: 6px 10px; border-radius: 4px; margin: 0 0 12px; } .status:empty { display: none; }
.panel { background: #fff; border: 1px solid var(--line); padding: 12px 14px; margin: 0 0 16px; }
.panel h2 { margin-top: 0; }
`);

export const inspectorCsp = `default-src 'none'; script-src ${inspectorScriptHash}; connect-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

/** A whole page, as the handler's reply. */
export function page(section: Section, title: string, body: Html, status = 200): Reply {
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title} · Strapi emulator</title>
<style>${styles}</style>
</head>
<body>
<header><span class="brand">Strapi emulator · inspector</span>
<nav>${nav.map(([s, label, href]) => html`<a href="${href}"${s === section ? raw(' aria-current="page"') : ''}>${label}</a>`)}</nav>
</header>
<main>
<h1>${title}</h1>
<p id="status" class="status" role="status"></p>
${body}
</main>
<script>${raw(inspectorScript)}</script>
</body>
</html>
`;
  return { status, text: toMarkup(doc), contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': inspectorCsp } };
}

/** A yes/no badge. */
export function flag(value: boolean, yes = 'yes', no = 'no', bad = false): Html {
  return value ? html`<span class="badge ${bad ? 'bad' : 'ok'}">${yes}</span>` : html`<span class="badge">${no}</span>`;
}

/** Pages of a long list (100 rows each), from the `page` query parameter. */
export function paginate<T>(rows: T[], query: Record<string, unknown>, size = 100): { rows: T[]; pager: Html } {
  const pageCount = Math.max(1, Math.ceil(rows.length / size));
  const asked = typeof query.page === 'string' && /^\d+$/.test(query.page) ? Number(query.page) : 1;
  const current = Math.min(Math.max(asked, 1), pageCount);
  const slice = rows.slice((current - 1) * size, current * size);
  if (pageCount === 1) return { rows: slice, pager: html`` };
  // The other parameters (a search, filters) stay on every page.
  const to = (n: number) => `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([k, v]) => k !== 'page' && typeof v === 'string')), page: String(n) })}`;
  return {
    rows: slice,
    pager: html`<div class="pager">${current > 1 ? html`<a href="${to(current - 1)}">← previous</a>` : ''}<span class="muted">page ${current} of ${pageCount} (${rows.length} rows)</span>${current < pageCount ? html`<a href="${to(current + 1)}">next →</a>` : ''}</div>`,
  };
}

/** A date in Strapi's ISO format, shortened for a table (the full value on hover). */
export function when(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">—</span>`;
  return html`<span title="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</span>`;
}
