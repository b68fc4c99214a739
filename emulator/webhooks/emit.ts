// Where the content API's writes become webhook events. Which write emits what follows the
// sources of the installed Strapi versions:
//  v5 (@strapi/core 5.54.0 dist/services/document-service/repository.js; the REST services
//  pass status 'published' unless ?status=draft, core-api/service/core-service.js):
//   create                 → entry.create (the draft), then with draft & publish and
//                            status=published → entry.publish (the new published version)
//   update                 → entry.update (the draft; entry.create when the document had no
//                            draft in that locale), then entry.publish as above
//   delete                 → entry.delete for every version removed (draft and published,
//                            in id order), unpopulated; no entry.unpublish
//   (entry.unpublish / entry.draft-discard come only from the admin's unpublish and
//   discard actions, which the content API does not have.)
//  v4 (@strapi/strapi 4.26.2 dist/services/entity-service/index.js):
//   create → entry.create, update → entry.update (also when publishedAt changes: publishing
//   through the content API is an update), delete → entry.delete. entry.publish and
//   entry.unpublish exist only in the admin's content manager.
//  media (the upload services): an upload → media.create per file (v4: the first one also
//   entry.create for the "API Uploads" folder); ?id= with new info or a
//   new file → media.update (v4 updates through the entity service, so entry.update with
//   model "file" comes first); DELETE /api/upload/files/:id → media.delete.
import type { Json } from '../http/format.js';
import type { RequestContext } from '../http/context.js';
import type { Rec } from '../documents/links.js';
import { FILE, type ModelDef } from '../documents/models.js';
import type { Presenter } from '../documents/output.js';
import type { Content, Row } from '../documents/state.js';
import type { FileRecord } from '../upload/store.js';
import { webhooksOf } from './hub.js';
import { entryInfo, entryV5, flattenV4, mediaInfo } from './payload.js';

/** What the document handlers know about the content type a request addresses. */
export type EntryScope = { content: Content; model: ModelDef; presenter: Presenter };

/** v5: the draft of the document (in the row's locale), if it has one. */
function draftOf(a: EntryScope, row: Row): Row | undefined {
  return a.content
    .table(a.model.uid)
    .by('documentId', row.documentId)
    .find((r) => r.publishedAt === null && (!a.model.localized || r.locale === row.locale));
}

/** v5, before an update: will Strapi find a version to update (entry.update) or create a draft (entry.create)? */
export function updatesExisting(ctx: RequestContext, a: EntryScope, target: Row): boolean {
  if (ctx.major === 4 || !a.model.draftAndPublish) return true;
  const hub = webhooksOf(ctx.store);
  // Only the event's name depends on it: skip the lookup when nobody listens.
  if (!hub || !(hub.listens('entry.create') || hub.listens('entry.update'))) return true;
  return draftOf(a, target) !== undefined;
}

/**
 * After a create or an update through the content API. `row` is what the service returned
 * (v5: the published version when it published), `answer` the REST answer's `data` (v4's
 * payload is that entity), `created` whether Strapi's service created the version it wrote.
 */
export function entryWritten(ctx: RequestContext, a: EntryScope, row: Row, answer: unknown, created: boolean): void {
  const hub = webhooksOf(ctx.store);
  if (!hub) return;
  const event = created ? 'entry.create' : 'entry.update';
  if (ctx.major === 4) {
    hub.emit(event, () => entryInfo(a.model, flattenV4(a.content.registry, a.model, answer)));
    return;
  }
  const published = a.model.draftAndPublish && row.publishedAt !== null;
  const written = published ? (draftOf(a, row) ?? row) : row;
  hub.emit(event, () => entryInfo(a.model, entryV5(a.presenter, a.content.registry, a.model, written as Rec, true)));
  if (published) hub.emit('entry.publish', () => entryInfo(a.model, entryV5(a.presenter, a.content.registry, a.model, row as Rec, true)));
}

/** After a delete: v5 `rows` are the versions removed; v4 `answer` is the deleted entity as answered. */
export function entriesDeleted(ctx: RequestContext, a: EntryScope, rows: readonly Row[], answer: unknown): void {
  const hub = webhooksOf(ctx.store);
  if (!hub) return;
  if (ctx.major === 4) {
    hub.emit('entry.delete', () => entryInfo(a.model, flattenV4(a.content.registry, a.model, answer)));
    return;
  }
  for (const row of [...rows].sort((x, y) => x.id - y.id)) hub.emit('entry.delete', () => entryInfo(a.model, entryV5(a.presenter, a.content.registry, a.model, row as Rec, false)));
}

/** After the upload plugin wrote or removed a file. */
export function mediaChanged(ctx: RequestContext, event: 'media.create' | 'media.update' | 'media.delete', file: FileRecord, content: Content): void {
  const hub = webhooksOf(ctx.store);
  if (!hub) return;
  const row = file as unknown as Json & { id: number };
  // v4's first content-API upload creates the "API Uploads" folder through the entity service
  // (observed on 4.26.2: entry.create, model "folder", before media.create). File ids are never
  // reused, so the file with id 1 is the first upload since the seed.
  if (event === 'media.create' && ctx.major === 4 && file.id === 1) {
    hub.emit('entry.create', () => ({ model: 'folder', uid: 'plugin::upload.folder', entry: { id: 1, name: 'API Uploads', pathId: 1, path: '/1', createdAt: file.createdAt, updatedAt: file.createdAt } }));
  }
  if (event === 'media.update' && ctx.major === 4) hub.emit('entry.update', () => entryInfo(content.registry.get(FILE), mediaInfo(4, row).media));
  hub.emit(event, () => mediaInfo(ctx.major, row));
}
