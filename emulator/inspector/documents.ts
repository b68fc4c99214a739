// Documents per content type, and one document's stored rows: every locale, and on v5 its
// draft and published versions, as the store keeps them (links inline as documentIds or ids).
// Private attributes are shown (this is the emulator's own view) and marked; password
// attributes never are.
import type { Handler } from '../http/context.js';
import type { Attribute, ModelDef } from '../documents/models.js';
import { type Content, type Row, contentOf } from '../documents/state.js';
import { type Html, html } from './html.js';
import { base, page, paginate, when } from './layout.js';

/** One document in one locale: its rows (v5 draft & publish: the draft and the published version). */
export type DocumentEntry = { documentId: string; locale: string | null | undefined; rows: Row[] };

export function documentsOf(content: Content, model: ModelDef): DocumentEntry[] {
  const entries = new Map<string, DocumentEntry>();
  for (const row of content.table(model.uid).all()) {
    const key = `${row.documentId}\u0000${row.locale ?? ''}`;
    const entry = entries.get(key);
    if (entry) entry.rows.push(row);
    else entries.set(key, { documentId: row.documentId, locale: row.locale, rows: [row] });
  }
  return [...entries.values()];
}

/** How many documents (one per documentId and locale) documentsOf would list, without listing them. */
export function documentCount(content: Content, model: ModelDef): number {
  const table = content.table(model.uid);
  // Without i18n a document is its documentId: the index's count of keys (the banner of a 100k world used to list them all).
  if (!model.localized) return table.distinct('documentId');
  const keys = new Set<string>();
  for (const row of table.all()) keys.add(`${row.documentId}\u0000${row.locale ?? ''}`);
  return keys.size;
}

export type Status = 'draft' | 'published' | 'modified' | undefined;

/** Draft & publish state as the admin panel names it (no state without draft & publish). */
export function statusOf(model: ModelDef, entry: DocumentEntry, major: 4 | 5): Status {
  if (!model.draftAndPublish) return undefined;
  const draft = entry.rows.find((r) => r.publishedAt === null);
  const published = entry.rows.find((r) => r.publishedAt !== null);
  if (!published) return 'draft';
  if (major === 5 && draft && draft.updatedAt > published.updatedAt) return 'modified';
  return 'published';
}

const statusBadge = (status: Status) =>
  status === undefined ? html`<span class="muted">—</span>` : html`<span class="badge ${status === 'published' ? 'ok' : 'warn'}">${status}</span>`;

const columnTypes = new Set(['string', 'uid', 'email', 'enumeration', 'integer', 'biginteger', 'float', 'decimal', 'boolean', 'date', 'datetime', 'time']);

/** The first few short, displayable attributes of a content type: what a list shows. */
export function listColumns(model: ModelDef, max = 3): string[] {
  return model.writable.filter((name) => columnTypes.has(model.attributes[name].type) && !model.attributes[name].private && model.attributes[name].type !== 'password').slice(0, max);
}

function cell(value: unknown): Html {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  const text = String(value);
  return html`${text.length > 80 ? `${text.slice(0, 79)}…` : text}`;
}

const documentHref = (uid: string, documentId?: string) => `${base}/documents/${encodeURIComponent(uid)}${documentId === undefined ? '' : `/${encodeURIComponent(documentId)}`}`;

export const contentTypes: Handler = (ctx) => {
  const content = contentOf(ctx.store);
  const body = html`<table><thead><tr><th>content type</th><th>uid</th><th>kind</th><th>draft &amp; publish</th><th>localized</th><th>documents</th><th>stored rows</th></tr></thead><tbody>
${content.registry.contentTypes.map(
  (model) =>
    html`<tr><td><a href="${documentHref(model.uid)}">${model.info.displayName}</a></td><td><code>${model.uid}</code></td><td>${model.kind}</td><td>${model.draftAndPublish ? 'yes' : 'no'}</td><td>${model.localized ? 'yes' : 'no'}</td><td>${documentCount(content, model)}</td><td>${content.table(model.uid).size}</td></tr>`,
)}
</tbody></table>`;
  return page('documents', 'Documents', body);
};

function modelOf(content: Content, uid: string): ModelDef | undefined {
  return content.registry.contentTypes.find((m) => m.uid === uid);
}

const notFound = (what: string) => page('documents', 'Not found', html`<p>${what}</p><p><a href="${`${base}/documents`}">All content types</a></p>`, 404);

export const documentList: Handler = (ctx) => {
  const content = contentOf(ctx.store);
  const model = modelOf(content, ctx.params.uid);
  if (!model) return notFound(`No content type ${ctx.params.uid}.`);
  const columns = listColumns(model);
  const stored = documentsOf(content, model);
  const q = typeof ctx.query.q === 'string' ? ctx.query.q.trim() : '';
  const all = q ? stored.filter((entry) => matches(entry, model, q.toLowerCase())) : stored;
  const { rows, pager } = paginate(all, ctx.query);
  const v5 = ctx.major === 5;
  const search = html`<form class="inline" method="get"><label>search (documentId, id, any text or number attribute)<input name="q" type="search" value="${q}"></label><button type="submit" class="quiet">Search</button>${q ? html`<a href="${documentHref(model.uid)}">clear</a> <span class="muted">${all.length} of ${stored.length}</span>` : ''}</form>`;
  const body =
    all.length === 0
      ? html`<p class="muted">${q ? 'Nothing matches.' : `No ${model.info.pluralName} yet.`}</p>`
      : html`${pager}<table><thead><tr><th>${v5 ? 'documentId' : 'id'}</th>${v5 ? html`<th>ids</th>` : ''}${columns.map((c) => html`<th>${c}</th>`)}${model.localized ? html`<th>locale</th>` : ''}<th>status</th><th>updated</th></tr></thead><tbody>
${rows.map((entry) => {
  const shown = entry.rows.find((r) => r.publishedAt === null) ?? entry.rows[0];
  const href = documentHref(model.uid, entry.documentId);
  return html`<tr><td><a href="${href}">${v5 ? entry.documentId : shown.id}</a></td>${v5 ? html`<td>${entry.rows.map((r) => r.id).join(', ')}</td>` : ''}${columns.map((c) => html`<td>${cell(shown[c])}</td>`)}${model.localized ? html`<td>${cell(entry.locale)}</td>` : ''}<td>${statusBadge(statusOf(model, entry, ctx.major))}</td><td>${when(shown.updatedAt)}</td></tr>`;
})}
</tbody></table>${pager}`;
  return page('documents', `${model.info.displayName} (${stored.length})`, html`<p><code>${model.uid}</code> · ${model.kind} · <a href="${`${base}/documents`}">all content types</a></p>${search}${body}`);
};

/** A search hit: the documentId, an id, or a scalar attribute (never a password) containing `q`. */
function matches(entry: DocumentEntry, model: ModelDef, q: string): boolean {
  if (entry.documentId.toLowerCase().includes(q)) return true;
  return entry.rows.some(
    (row) =>
      String(row.id) === q ||
      Object.entries(model.attributes).some(([name, a]) => a.type !== 'password' && columnTypes.has(a.type) === true && row[name] !== null && row[name] !== undefined && String(row[name]).toLowerCase().includes(q)) ||
      Object.entries(model.attributes).some(([name, a]) => (a.type === 'text' || a.type === 'richtext') && typeof row[name] === 'string' && (row[name] as string).toLowerCase().includes(q)),
  );
}

/** A copy of a stored value with password attributes (at any depth of components) masked. */
export function masked(value: unknown, attributes: Record<string, Attribute>, content: Content): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const attribute = attributes[key];
    if (attribute?.type === 'password') out[key] = inner === null || inner === undefined ? inner : '(password: never shown)';
    else if (attribute?.type === 'component') out[key] = Array.isArray(inner) ? inner.map((c) => masked(c, componentAttributes(content, attribute.component), content)) : masked(inner, componentAttributes(content, attribute.component), content);
    else if (attribute?.type === 'dynamiczone' && Array.isArray(inner)) out[key] = inner.map((c) => masked(c, componentAttributes(content, (c as { __component?: string })?.__component), content));
    else out[key] = inner;
  }
  return out;
}

function componentAttributes(content: Content, uid: string | undefined): Record<string, Attribute> {
  return (uid && content.registry.models.get(uid)?.attributes) || {};
}

/** The row as pretty JSON, one top-level attribute a line, private ones marked. */
function rowJson(row: Row, model: ModelDef, content: Content): Html {
  const shown = masked(row, model.attributes, content) as Record<string, unknown>;
  const keys = Object.keys(shown);
  const lines = keys.map((key, i) => {
    const value = JSON.stringify(shown[key], null, 2) ?? 'null';
    const comma = i < keys.length - 1 ? ',' : '';
    const mark = model.attributes[key]?.private ? html` <span class="badge private" title="private: the content API never returns it">private</span>` : '';
    return html`  ${JSON.stringify(key)}: ${value.replace(/\n/g, '\n  ')}${comma}${mark}\n`;
  });
  return html`<pre>{\n${lines}}</pre>`;
}

export const documentDetail: Handler = (ctx) => {
  const content = contentOf(ctx.store);
  const model = modelOf(content, ctx.params.uid);
  if (!model) return notFound(`No content type ${ctx.params.uid}.`);
  const entries = documentsOf(content, model).filter((e) => e.documentId === ctx.params.documentId);
  if (entries.length === 0) return notFound(`No ${model.info.singularName} with documentId ${ctx.params.documentId}.`);
  const version = (row: Row) => (!model.draftAndPublish ? 'stored row' : row.publishedAt === null ? 'draft' : 'published');
  const privates = Object.entries(model.attributes).filter(([, a]) => a.private).map(([name]) => name);
  const body = html`<p><a href="${documentHref(model.uid)}">← all ${model.info.pluralName}</a> · <code>${model.uid}</code>${privates.length ? html` · private attributes: ${privates.map((p, i) => html`${i ? ', ' : ''}<code>${p}</code>`)}` : ''}</p>
${entries.map(
  (entry) => html`${model.localized ? html`<h2>locale ${entry.locale}</h2>` : ''}<p>status ${statusBadge(statusOf(model, entry, ctx.major))}</p>
${entry.rows.map((row) => html`<h2>${version(row)} <span class="muted">· id ${row.id}${row.publishedAt ? html` · published ${when(row.publishedAt)}` : ''}</span></h2>${rowJson(row, model, content)}`)}`,
)}`;
  return page('documents', `${model.info.displayName} ${ctx.params.documentId}`, body);
};
