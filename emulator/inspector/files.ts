// The media library: every uploaded file with a thumbnail for images. The thumbnail is a
// data: URL (Strapi's CSP allows them for img-src) so opening this page does not fill the
// request log with GET /uploads/… of its own.
import type { Handler } from '../http/context.js';
import { contentOf } from '../documents/state.js';
import type { FileRecord, FileStore } from '../upload/store.js';
import { type Html, html, link } from './html.js';
import { page, paginate, when } from './layout.js';

/** Images above this size are linked, not inlined. */
const inlineLimit = 256 * 1024;

function thumbnail(files: FileStore, file: FileRecord): Html {
  if (!file.mime.startsWith('image/')) return html`<span class="muted">${file.ext ?? ''}</span>`;
  const blob = files.blobs.get(file.formats?.thumbnail?.url ?? file.url) ?? files.blobs.get(file.url);
  if (!blob || blob.data.length > inlineLimit) return html`<span class="muted">image</span>`;
  return html`<img class="thumb" alt="${file.alternativeText ?? file.name}" src="${`data:${blob.mime};base64,${blob.data.toString('base64')}`}">`;
}

export const files: Handler = (ctx) => {
  const { files: store } = contentOf(ctx.store);
  const all = store.files.all().reverse();
  const { rows, pager } = paginate(all, ctx.query);
  const v5 = ctx.major === 5;
  const body =
    all.length === 0
      ? html`<p class="muted">Nothing uploaded yet.</p>`
      : html`${pager}<table><thead><tr><th></th><th>id</th>${v5 ? html`<th>documentId</th>` : ''}<th>name</th><th>mime</th><th>size</th><th>dimensions</th><th>url</th><th>formats</th><th>uploaded</th></tr></thead><tbody>
${rows.map(
  (f) =>
    html`<tr><td>${thumbnail(store, f)}</td><td>${f.id}</td>${v5 ? html`<td><code>${f.documentId}</code></td>` : ''}<td>${f.name}</td><td>${f.mime}</td><td>${f.size} KB</td><td>${f.width !== null && f.height !== null ? `${f.width}×${f.height}` : '—'}</td><td>${link(f.url)}</td><td>${Object.keys(f.formats ?? {}).join(', ') || '—'}</td><td>${when(f.createdAt)}</td></tr>`,
)}
</tbody></table>${pager}`;
  return page('files', `Files (${all.length})`, body);
};
