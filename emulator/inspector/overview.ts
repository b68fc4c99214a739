// The landing page: which Strapi this is, how much of everything the store holds, the API
// tokens (never their access keys) and the users-permissions advanced settings.
import { strapiVersions } from '../config.js';
import type { Handler } from '../http/context.js';
import { contentOf } from '../documents/state.js';
import { html } from './html.js';
import { base, page, when } from './layout.js';
import { documentCount } from './documents.js';
import { requestLogOf } from './log.js';


export const overview: Handler = (ctx) => {
  const { store } = ctx;
  const content = contentOf(store);
  const log = requestLogOf(store);
  const card = (href: string, count: number, label: string) => html`<a class="card" href="${href}"><b>${count}</b>${label}</a>`;
  const types = content.registry.contentTypes.map((model) => ({ model, documents: documentCount(content, model) }));
  const body = html`
<p>Emulating <b>Strapi ${strapiVersions[ctx.major]}</b> (v${ctx.major}) · emulated time ${when(store.now())} · JSON: <a href="/_emulator/snapshot">snapshot</a>, <a href="/_emulator/outbox">outbox</a>, <a href="/_emulator/settings">settings</a></p>
<div class="panel"><h2>World</h2>
<div class="actions">
<button type="button" class="danger" data-call="POST /_emulator/reset" data-confirm="Reset the world to its seed? Users, documents, files and mails made since are gone." data-done="Reset.">Reset to the seed</button>
<a href="/_emulator/snapshot" download="strapi-emulator-snapshot.json">Download a snapshot</a>
</div>
<form class="inline" data-call="PUT /_emulator/snapshot" data-confirm="Replace the whole world with this snapshot?" data-done="Restored.">
<label>restore a snapshot<input name="snapshot" type="file" accept="application/json,.json" required></label>
<button type="submit" class="quiet">Restore</button>
</form>
</div>
<div class="cards">
${card(`${base}/users`, store.users.size, 'users')}
${card(`${base}/roles`, store.roles.size, 'roles')}
${card(`${base}/documents`, types.reduce((n, t) => n + t.documents, 0), 'documents')}
${card(`${base}/files`, content.files.files.size, 'files')}
${card(`${base}/outbox`, store.outbox.length, 'emails sent')}
${card(`${base}/requests`, log?.total ?? 0, 'requests served')}
</div>
<h2>Content types</h2>
<table><thead><tr><th>content type</th><th>uid</th><th>kind</th><th>documents</th></tr></thead><tbody>
${types.map(({ model, documents }) => html`<tr><td><a href="${`${base}/documents/${encodeURIComponent(model.uid)}`}">${model.info.displayName}</a></td><td><code>${model.uid}</code></td><td>${model.kind}</td><td>${documents}</td></tr>`)}
</tbody></table>
<h2>API tokens</h2>
${
  store.apiTokens.size === 0
    ? html`<p class="muted">None.</p>`
    : html`<table><thead><tr><th>id</th><th>name</th><th>type</th><th>expires</th><th>last used</th></tr></thead><tbody>
${store.apiTokens.all().map((t) => html`<tr><td>${t.id}</td><td>${t.name}</td><td>${t.type}</td><td>${when(t.expiresAt)}</td><td>${when(t.lastUsedAt)}</td></tr>`)}
</tbody></table>`
}
<h2>Advanced settings</h2>
<table><tbody>
${Object.entries(store.advanced).map(([key, value]) => html`<tr><th>${key}</th><td><code>${JSON.stringify(value)}</code></td></tr>`)}
</tbody></table>`;
  return page('overview', 'Overview', body);
};
