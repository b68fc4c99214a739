// The last requests the emulator answered (the inspector's own pages excluded), newest first.
import type { Handler } from '../http/context.js';
import { html } from './html.js';
import { page } from './layout.js';
import { requestLogOf } from './log.js';

const statusClass = (status: number) => (status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'ok');

const time = (at: number) => {
  const iso = new Date(at).toISOString();
  return html`<span title="${iso}">${iso.slice(11, 23)}</span>`;
};

export const requests: Handler = (ctx) => {
  const log = requestLogOf(ctx.store);
  if (!log) return page('requests', 'Requests', html`<p class="muted">This emulator has no request log.</p>`);
  const entries = log.recent();
  const body = html`<p class="muted">The last ${log.capacity} requests are kept (${log.total} served since start; the inspector's own pages are not counted). Times are wall-clock UTC.</p>
${
  entries.length === 0
    ? html`<p class="muted">No request yet.</p>`
    : html`<table><thead><tr><th>#</th><th>time</th><th>method</th><th>path</th><th>status</th><th>operation</th><th>ms</th><th>client</th></tr></thead><tbody>
${entries.map(
  (e) =>
    html`<tr><td>${e.seq}</td><td>${time(e.at)}</td><td><code>${e.method}</code></td><td><code>${e.path}</code></td><td><span class="badge ${statusClass(e.status)}">${e.status}</span></td><td>${e.operationId ?? html`<span class="muted">—</span>`}</td><td>${e.durationMs}</td><td>${e.ip}</td></tr>`,
)}
</tbody></table>`
}`;
  return page('requests', `Requests (${entries.length})`, body);
};
