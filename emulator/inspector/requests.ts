// The last requests the emulator answered (the inspector's own pages excluded), newest first,
// with filters (method, status class, path or operation text) and, per request, its headers and
// the first bytes of both bodies, secrets masked (log.ts, mask.ts).
import type { Handler } from '../http/context.js';
import { type Html, html, raw } from './html.js';
import { base, page, paginate } from './layout.js';
import { type LoggedBody, type LoggedRequest, maxBodyLength, requestLogOf } from './log.js';

const statusClass = (status: number) => (status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'ok');

const time = (at: number) => {
  const iso = new Date(at).toISOString();
  return html`<span title="${iso}">${iso.slice(11, 23)}</span>`;
};

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const classes = ['2xx', '3xx', '4xx', '5xx'];

export type RequestFilter = { method?: string; status?: string; q?: string };

export function filterOf(query: Record<string, unknown>): RequestFilter {
  const text = (key: string) => (typeof query[key] === 'string' && query[key] !== '' ? (query[key] as string) : undefined);
  const method = text('method')?.toUpperCase();
  const status = text('status');
  const q = text('q')?.trim();
  return { ...(method && methods.includes(method) ? { method } : {}), ...(status && /^[1-5](xx|\d\d)$/.test(status) ? { status } : {}), ...(q ? { q } : {}) };
}

export function matchesFilter(e: LoggedRequest, f: RequestFilter): boolean {
  if (f.method && e.method !== f.method) return false;
  if (f.status && !(f.status.endsWith('xx') ? String(e.status)[0] === f.status[0] : String(e.status) === f.status)) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!e.path.toLowerCase().includes(q) && !(e.operationId ?? '').toLowerCase().includes(q)) return false;
  }
  return true;
}

const option = (value: string, label: string, selected: string | undefined) => html`<option value="${value}"${value === (selected ?? '') ? raw(' selected') : ''}>${label}</option>`;

function filterForm(f: RequestFilter): Html {
  return html`<form class="inline" method="get">
<label>method<select name="method">${option('', 'any', f.method)}${methods.map((m) => option(m, m, f.method))}</select></label>
<label>status<select name="status">${option('', 'any', f.status)}${classes.map((c) => option(c, c, f.status))}${f.status && !classes.includes(f.status) ? option(f.status, f.status, f.status) : ''}</select></label>
<label>path or operation contains<input name="q" type="search" value="${f.q ?? ''}"></label>
<button type="submit" class="quiet">Filter</button>${f.method || f.status || f.q ? html`<a href="${`${base}/requests`}">clear</a>` : ''}
</form>`;
}

/** A body as the log kept it: pretty JSON when it parses, else the text; its size and a cut said. */
function bodyBlock(label: string, body: LoggedBody | undefined): Html {
  if (!body) return html`<p class="muted">${label}: none</p>`;
  const size = body.bytes !== undefined ? `${body.bytes} bytes` : 'size unknown';
  if (body.text === undefined) return html`<p class="muted">${label}: ${body.type || 'no type'}, ${size} (not text: not kept)</p>`;
  let shown = body.text;
  if (!body.truncated && /json/.test(body.type)) {
    try {
      shown = JSON.stringify(JSON.parse(body.text), null, 2);
    } catch {
      // not JSON after all: shown as it came
    }
  }
  return html`<p class="muted">${label}: ${body.type || 'no type'}, ${size}${body.truncated ? `, the first ${maxBodyLength} bytes` : ''}</p><pre>${shown}</pre>`;
}

function detail(e: LoggedRequest): Html {
  return html`<details><summary>details</summary>
${e.headers.length ? html`<table><tbody>${e.headers.map(([k, v]) => html`<tr><th>${k}</th><td><code>${v}</code></td></tr>`)}</tbody></table>` : ''}
${bodyBlock('request body', e.request)}
${bodyBlock('response body', e.response)}
</details>`;
}

export const requests: Handler = (ctx) => {
  const log = requestLogOf(ctx.store);
  if (!log) return page('requests', 'Requests', html`<p class="muted">This emulator has no request log.</p>`);
  const kept = log.recent();
  const filter = filterOf(ctx.query);
  const entries = kept.filter((e) => matchesFilter(e, filter));
  const { rows, pager } = paginate(entries, ctx.query, 50);
  const body = html`<p class="muted">The last ${log.capacity} requests are kept (${log.total} served since start; the inspector's own pages are not counted), each with the first ${maxBodyLength / 1024} KB of its bodies; passwords, tokens and JWTs are masked. Times are wall-clock UTC.</p>
${filterForm(filter)}
${
  entries.length === 0
    ? html`<p class="muted">${kept.length ? 'No request matches.' : 'No request yet.'}</p>`
    : html`${pager}<table><thead><tr><th>#</th><th>time</th><th>method</th><th>path</th><th>status</th><th>operation</th><th>ms</th><th>client</th><th></th></tr></thead><tbody>
${rows.map(
  (e) =>
    html`<tr><td>${e.seq}</td><td>${time(e.at)}</td><td><code>${e.method}</code></td><td><code>${e.path}</code></td><td><span class="badge ${statusClass(e.status)}">${e.status}</span></td><td>${e.operationId ?? html`<span class="muted">—</span>`}</td><td>${e.durationMs}</td><td>${e.ip}</td><td>${detail(e)}</td></tr>`,
)}
</tbody></table>${pager}`
}`;
  return page('requests', `Requests (${entries.length === kept.length ? kept.length : `${entries.length} of ${kept.length}`})`, body);
};
