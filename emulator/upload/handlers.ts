// The upload plugin's content API: POST /api/upload (multipart `files`, one or many, with
// `fileInfo`, and `ref`/`refId`/`field` to link the new files to an entry; `?id=` replaces a
// file or updates its info), GET /api/upload/files (a bare array: pagination ignored, filters,
// sort, fields, top-level start/limit and populate=related honoured), GET and DELETE
// /api/upload/files/:id ("file.notFound"), and the bytes served back under /uploads.
import type { ResponseHeaders } from '../http/app.js';
import type { UploadedFile } from '../http/body.js';
import { type Handler, type Reply, type RequestContext, bodyObject, json, isObject } from '../http/context.js';
import { NotFoundError, ValidationError, YupValidationError, insteadOfStrapiCrash } from '../http/errors.js';
import { type Json, formatFile, formatUser } from '../http/format.js';
import { compileFilters, fail, fieldList, sortRows, validateQuery } from '../http/query.js';
import { printValue } from '../http/yup.js';
import { pagination, queryEnvFor } from '../documents/handlers.js';
import { type Rec, asList } from '../documents/links.js';
import { FILE, type ModelDef, USER } from '../documents/models.js';
import { documentService } from '../documents/service.js';
import { type Content, type Row, contentOf } from '../documents/state.js';
import type { Store } from '../store/store.js';
import { newDocumentId, toId } from '../users-permissions/user-service.js';
import type { UserRecord } from '../store/records.js';
import { type FileInfo, type Prepared, contentTypeOf, prepareFile } from './files.js';
import type { FileRecord } from './store.js';
import { mediaChanged } from '../webhooks/emit.js';


function ctxOf(ctx: RequestContext) {
  const content = contentOf(ctx.store);
  const service = documentService(content);
  const model = content.registry.get(FILE);
  return { content, service, model, env: queryEnvFor(ctx, content, service, model) };
}

// ---------- fileInfo ----------

/** A fileInfo string that is not JSON: yup's object() casts it to null, and null is refused. */
class UncastInfo {
  constructor(readonly text: string) {}
}

/** yup's object() cast of a JSON string. */
function parseInfo(value: unknown, v5: boolean): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    // v5 JSON.parses fileInfo itself before validating: in real Strapi a syntax error is a 500.
    if (v5) throw insteadOfStrapiCrash('fileInfo must be valid JSON');
    return new UncastInfo(value);
  }
}

/** validateUploadBody: `fileInfo` (an object, or a list of them for several files). */
function fileInfos(ctx: RequestContext, count: number, multi: boolean): FileInfo[] {
  const body = bodyObject(ctx.body);
  const v5 = ctx.major === 5;
  let raw: unknown = body.fileInfo;
  if (Array.isArray(raw)) raw = raw.map((r) => parseInfo(r, v5));
  else raw = parseInfo(raw, v5);
  // v5 unwraps a one-element list for a single file.
  if (v5 && Array.isArray(raw) && raw.length === 1 && !multi) raw = raw[0];
  const issues: Array<{ path: string[]; message: string; name: 'ValidationError'; value?: unknown }> = [];
  const check = (info: unknown, path: string): FileInfo => {
    if (info === undefined || info === null) return {};
    if (info instanceof UncastInfo) {
      // Compared with real 4.26.2: "fileInfo must be a `object` type, but the final value was: `null` (cast from the value `"{bad"`)."
      issues.push({ path: path.split('.'), message: `${path} must be a \`object\` type, but the final value was: \`null\` (cast from the value \`${printValue(info.text)}\`).`, name: 'ValidationError' });
      return {};
    }
    if (!isObject(info)) {
      issues.push({ path: path.split('.'), message: `${path} must be a \`object\` type, but the final value was: \`${printValue(info)}\`.`, name: 'ValidationError' });
      return {};
    }
    // noUnknown() does not refuse here: unknown keys are dropped (validateYupSchema with strict: false).
    const out: FileInfo = {};
    for (const key of ['name', 'alternativeText', 'caption'] as const) {
      const v = info[key];
      if (v === undefined) continue;
      if (v !== null && typeof v === 'object') issues.push({ path: [...path.split('.'), key], message: `${path}.${key} must be a \`string\` type, but the final value was: \`${printValue(v)}\`.`, name: 'ValidationError' });
      else out[key] = v === null ? null : String(v);
    }
    if (v5 && info.focalPoint !== undefined) out.focalPoint = info.focalPoint as FileInfo['focalPoint'];
    return out;
  };
  let infos: FileInfo[];
  if (multi) {
    if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
      issues.push({ path: ['fileInfo'], message: `fileInfo must be a \`array\` type, but the final value was: \`${printValue(raw)}\`.`, name: 'ValidationError' });
      infos = [];
    } else infos = asList(raw).map((r, i) => check(r, `fileInfo[${i}]`));
  } else infos = [check(raw, 'fileInfo')];
  if (issues.length) throw new YupValidationError(issues.map((i) => (v5 ? i : { path: i.path, message: i.message, name: i.name })));
  while (infos.length < count) infos.push({});
  return infos;
}

// ---------- answers ----------

function present(ctx: RequestContext, file: FileRecord, opts: { fields?: string[]; related?: boolean; signed?: boolean } = {}): Json {
  const out = formatFile(ctx.major, file as unknown as Json & { id: number }, { fields: opts.fields, signed: false });
  if (opts.related) {
    // v4 leaves an empty morph relation out of the answer (real 4.26.2); v5 answers [].
    const links = related(ctx, file);
    if (links.length || ctx.major === 5) out.related = links;
  }
  if (opts.signed !== false && ctx.major === 5) out.isUrlSigned = false;
  return out;
}

/** populate=related: every (entry version, field) that links the file, with `__type`. */
function related(ctx: RequestContext, file: FileRecord): Json[] {
  const { content } = ctxOf(ctx);
  const out: Json[] = [];
  for (const model of content.registry.contentTypes) {
    const presenter = (row: Row) => {
      const flat: Json = { id: row.id, ...(ctx.major === 5 ? { documentId: row.documentId } : {}) };
      for (const [name, a] of Object.entries(model.attributes)) if (a.type !== 'relation' && a.type !== 'media' && a.type !== 'component' && a.type !== 'dynamiczone' && !a.private && a.type !== 'password') flat[name] = row[name] ?? null;
      return ctx.major === 5 ? { ...flat, __type: model.uid } : { __type: model.uid, ...flat };
    };
    for (const row of content.table(model.uid).all()) {
      for (const [name, a] of Object.entries(model.attributes)) {
        if (a.type === 'media' && asList(row[name]).includes(file.id)) out.push(presenter(row));
      }
      // v4 also lists the components whose media holds the file (their scalar attributes); v5 does not (real 5.54.0: []).
      if (ctx.major === 4) componentsLinking(content, model, row as Rec, file.id, out);
    }
  }
  // Users whose extension's media hold the file (a picture linked with ref=plugin::users-permissions.user).
  const userMedia = Object.entries(content.registry.userExtras()).filter(([, a]) => a.type === 'media').map(([name]) => name);
  for (const user of userMedia.length ? ctx.store.users.all() : []) {
    if (!userMedia.some((name) => asList((user as Rec)[name]).includes(file.id))) continue;
    const flat = formatUser(ctx.major, user, { names: content.registry.userFields() });
    out.push(ctx.major === 5 ? { ...flat, __type: USER } : { __type: USER, ...flat });
  }
  return out;
}

function componentsLinking(content: Content, model: ModelDef, value: Rec, fileId: number, out: Json[]): void {
  for (const [name, attr] of Object.entries(model.attributes)) {
    if (attr.type !== 'component' && attr.type !== 'dynamiczone') continue;
    for (const item of asList(value[name]) as Rec[]) {
      if (!isObject(item)) continue;
      const uid = attr.type === 'component' ? (attr as { component?: string }).component : (item.__component as string);
      const component = uid ? content.registry.models.get(uid) : undefined;
      if (!component) continue;
      if (Object.entries(component.attributes).some(([n, a]) => a.type === 'media' && asList(item[n]).includes(fileId))) {
        const flat: Json = { __type: component.uid, id: item.id as number };
        for (const [n, a] of Object.entries(component.attributes)) if (!['relation', 'media', 'component', 'dynamiczone', 'password'].includes(a.type) && !a.private) flat[n] = (item[n] as Json) ?? null;
        out.push(flat);
      }
      componentsLinking(content, component, item, fileId, out);
    }
  }
}

/**
 * `ref=plugin::users-permissions.user&refId=<user id>&field=<media>`: links the new files to a
 * user extension's media, as real Strapi does (a single media takes the last file; the user's
 * updatedAt stays). A missing user or a field that is no media links nothing, without an error.
 */
async function linkUserMedia(ctx: RequestContext, content: Content, ids: number[]): Promise<void> {
  const { ref, refId, field } = bodyObject(ctx.body);
  if (ref !== USER || typeof field !== 'string') return;
  const attr = content.registry.userExtras()[field];
  const id = toId(refId);
  const user = id === undefined ? undefined : ctx.store.users.get(id);
  if (!user || attr?.type !== 'media') return;
  const current = asList((user as Rec)[field]) as number[];
  await ctx.store.users.update(user.id, { [field]: attr.multiple ? [...current, ...ids] : ids[ids.length - 1] } as Partial<UserRecord>);
}

// ---------- upload ----------

function uploadedFiles(ctx: RequestContext): UploadedFile[] {
  return ctx.files.filter((f) => f.field === 'files');
}

async function toIncoming(f: UploadedFile) {
  return { filename: f.file.name, declaredType: f.file.type, data: await f.file.bytes() };
}

/** Links new files to an entry: `ref` (content type uid), `refId` (a row id), `field` (a media attribute). */
function linkTarget(ctx: RequestContext, content: Content): Link | undefined {
  const body = bodyObject(ctx.body);
  const { ref, refId, field } = body;
  if (!ref || !refId || !field) return undefined;
  const model = typeof ref === 'string' ? content.registry.models.get(ref) : undefined;
  const idText = String(refId);
  // The morph link stores refId in an integer column: in real Strapi a documentId makes the database fail (500).
  if (!/^\d+$/.test(idText)) throw insteadOfStrapiCrash(`refId must be the numeric id of the entry (got ${JSON.stringify(idText)})`);
  if (!model || typeof field !== 'string' || model.attributes[field]?.type !== 'media') return undefined;
  if (model.modelType === 'component') return componentLink(content, model, Number(idText), field);
  if (model.modelType !== 'contentType') return undefined;
  const row = content.table(model.uid).get(Number(idText));
  return row ? { model, row, field } : undefined;
}

type Link = { model: ModelDef; row: Row; field: string; table?: string; set?: (next: unknown) => Row };

/**
 * `ref=<component uid>`, `refId=<component id>`: real Strapi links the file to that component
 * row (a component's media field), wherever it sits — a component field, a repeatable one or a
 * dynamic zone, nested at any depth, in a draft or a published row (each has its own components).
 */
function componentLink(content: Content, component: ModelDef, id: number, field: string): Link | undefined {
  for (const uid of content.registry.models.keys()) {
    const owner = content.registry.models.get(uid)!;
    if (owner.modelType !== 'contentType') continue;
    const table = content.table(uid);
    for (const row of table.all()) {
      let found: Rec | undefined;
      // Rebuilds the row with the component's field replaced (rows are immutable).
      const walk = (m: ModelDef, value: Rec, next: unknown): Rec | undefined => {
        for (const [name, attr] of Object.entries(m.attributes)) {
          const v = value[name];
          if (v == null || (attr.type !== 'component' && attr.type !== 'dynamiczone')) continue;
          const items = Array.isArray(v) ? v : [v];
          let changed = false;
          const out = items.map((item: Rec) => {
            const uidOf = attr.type === 'component' ? (attr as { component?: string }).component : (item.__component as string);
            const model = uidOf ? content.registry.models.get(uidOf) : undefined;
            if (!model || !isObject(item)) return item;
            if (uidOf === component.uid && item.id === id) {
              found = item;
              changed = true;
              return { ...item, [field]: next };
            }
            const inner = walk(model, item, next);
            if (inner) changed = true;
            return inner ?? item;
          });
          if (changed) return { ...value, [name]: Array.isArray(v) ? out : out[0] };
        }
        return undefined;
      };
      if (walk(owner, row as Rec, undefined) && found) {
        return { model: component, row: found as unknown as Row, field, table: uid, set: (next) => walk(owner, row as Rec, next) as unknown as Row };
      }
    }
  }
  return undefined;
}

async function storeFile(content: Content, now: string, p: Prepared): Promise<FileRecord> {
  const record = await content.files.files.insert({
    documentId: newDocumentId(),
    name: p.name,
    alternativeText: p.alternativeText ?? null,
    caption: p.caption ?? null,
    focalPoint: p.focalPoint ?? null,
    width: p.width,
    height: p.height,
    formats: p.formats,
    hash: p.hash,
    ext: p.ext,
    mime: p.mime,
    size: p.size,
    url: `/uploads/${p.hash}${p.ext}`,
    previewUrl: null,
    provider: 'local',
    provider_metadata: null,
    folderPath: '/1',
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
  });
  for (const b of p.blobs) content.files.blobs.set(b.path, { mime: b.mime, data: b.data, modified: now });
  return record;
}

export const upload: Handler = async (ctx) => {
  const { content } = ctxOf(ctx);
  const files = uploadedFiles(ctx);
  const id = ctx.query.id;
  const empty = files.length === 0 || (files.length === 1 && files[0].file.size === 0);
  if (empty) {
    if (id !== undefined && id !== '') return updateFileInfo(ctx, content, id);
    throw new ValidationError('Files are empty');
  }
  if (id !== undefined && id !== '') return replaceFile(ctx, content, id, files);
  const infos = fileInfos(ctx, files.length, files.length > 1);
  const incoming = await Promise.all(files.map(toIncoming));
  // Everything is checked before anything is stored.
  const prepared: Prepared[] = [];
  for (const [i, file] of incoming.entries()) prepared.push(await prepareFile(ctx.major, file, infos[i] ?? {}));
  const link = linkTarget(ctx, content);
  const now = ctx.store.now();
  const records: FileRecord[] = [];
  for (const p of prepared) records.push(await storeFile(content, now, p));
  if (link) {
    const attr = link.model.attributes[link.field];
    const current = asList(link.row[link.field]) as number[];
    const ids = records.map((r) => r.id);
    const next = attr.multiple ? [...current, ...ids] : ids[ids.length - 1];
    if (link.set && link.table) {
      const row = link.set(next);
      await content.table(link.table).update(row.id, row as Partial<Row>);
    } else await content.table(link.model.uid).update(link.row.id, { [link.field]: next } as Partial<Row>);
  } else await linkUserMedia(ctx, content, records.map((r) => r.id));
  for (const r of records) mediaChanged(ctx, 'media.create', r, content);
  return json(records.map((r) => present(ctx, r)), ctx.major === 5 ? 201 : 200);
};

function singleId(ctx: RequestContext, id: unknown): string {
  if (typeof id !== 'string' && typeof id !== 'number') {
    if (ctx.major === 5) throw new ValidationError('File id is required and must be a single value');
    throw new NotFoundError('Entity not found');
  }
  return String(id);
}

function fileById(content: Content, id: string): FileRecord | undefined {
  return /^\d+$/.test(id) ? content.files.files.get(Number(id)) : undefined;
}

async function updateFileInfo(ctx: RequestContext, content: Content, rawId: unknown): Promise<Reply> {
  const [info] = fileInfos(ctx, 1, false);
  const id = singleId(ctx, rawId);
  const file = fileById(content, id);
  if (!file) throw new NotFoundError('Entity not found');
  const keep = <T>(next: T | null | undefined, old: T) => (next === null || next === undefined ? old : next);
  const updated = await content.files.files.update(file.id, {
    name: keep(info.name, file.name),
    alternativeText: keep(info.alternativeText, file.alternativeText),
    caption: keep(info.caption, file.caption),
    focalPoint: keep(info.focalPoint, file.focalPoint),
    updatedAt: ctx.store.now(),
  });
  mediaChanged(ctx, 'media.update', updated!, content);
  return json(present(ctx, updated!));
}

async function replaceFile(ctx: RequestContext, content: Content, rawId: unknown, files: UploadedFile[]): Promise<Reply> {
  if (files.length > 1) throw new ValidationError('Cannot replace a file with multiple ones');
  const id = singleId(ctx, rawId);
  const [info] = fileInfos(ctx, 1, false);
  const file = fileById(content, id);
  if (!file) throw new NotFoundError('Entity not found');
  const incoming = await toIncoming(files[0]);
  const p = await prepareFile(ctx.major, incoming, info, { hash: file.hash, ext: file.ext });
  for (const path of [file.url, ...Object.values(file.formats ?? {}).map((f) => f.url)]) content.files.blobs.delete(path);
  const updated = await content.files.files.update(file.id, {
    name: p.name,
    alternativeText: p.alternativeText ?? file.alternativeText,
    caption: p.caption ?? file.caption,
    focalPoint: p.focalPoint ?? file.focalPoint,
    width: p.width,
    height: p.height,
    formats: p.formats ?? {},
    mime: p.mime,
    size: p.size,
    updatedAt: ctx.store.now(),
  });
  for (const b of p.blobs) content.files.blobs.set(b.path, { mime: b.mime, data: b.data, modified: updated!.updatedAt });
  mediaChanged(ctx, 'media.update', updated!, content);
  return json(present(ctx, updated!));
}

// ---------- find, findOne, destroy ----------

/** populate on files: only `related` (and `*`) exist; v5 refuses anything else. */
function wantsRelated(ctx: RequestContext): boolean {
  const populate = ctx.query.populate;
  if (populate === undefined || populate === null || populate === '') return false;
  const names = typeof populate === 'string' ? populate.split(',') : Array.isArray(populate) ? populate.flatMap((p) => String(p).split(',')) : isObject(populate) ? Object.keys(populate).filter((k) => !['false', false].includes(populate[k] as never)) : [];
  let out = false;
  for (const raw of names) {
    const name = raw.trim();
    if (name === '*' || name === 'related') out = true;
    else if (ctx.major === 5) fail(ctx, 'populate', name, isObject(populate) ? null : name);
  }
  return out;
}

export const find: Handler = (ctx) => {
  const { content, env } = ctxOf(ctx);
  validateQuery(env, { filters: ctx.query.filters, sort: ctx.query.sort, fields: ctx.query.fields });
  const withRelated = wantsRelated(ctx);
  let rows = content.files.files.all() as unknown as Rec[];
  if (ctx.query.filters && typeof ctx.query.filters === 'object') {
    const test = compileFilters(env, ctx.query.filters);
    rows = rows.filter((r) => test(r));
  }
  // Without a sort, sqlite's order (id order here; real v4 sometimes answers in an index's order).
  if (ctx.query.sort !== undefined) rows = sortRows(env, rows, ctx.query.sort);
  const int = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
  const start = int(ctx.query.start) ?? 0;
  const limit = int(ctx.query.limit);
  rows = rows.slice(start, limit === undefined ? undefined : start + limit);
  const fields = ctx.query.fields ? fieldList(ctx.query.fields).filter((f) => f !== '*') : undefined;
  return json(rows.map((r) => present(ctx, r as unknown as FileRecord, { fields: fields?.length ? fields : undefined, related: withRelated })));
};

/** v5 GET /api/upload/files/page: `{data, meta: {pagination}}`, paginated like documents. */
export const findPage: Handler = (ctx) => {
  const { content, env } = ctxOf(ctx);
  validateQuery(env, { filters: ctx.query.filters, sort: ctx.query.sort, fields: ctx.query.fields });
  const withRelated = wantsRelated(ctx);
  const page = pagination(ctx, content.rest);
  let rows = content.files.files.all() as unknown as Rec[];
  if (ctx.query.filters && typeof ctx.query.filters === 'object') {
    const test = compileFilters(env, ctx.query.filters);
    rows = rows.filter((r) => test(r));
  }
  if (ctx.query.sort !== undefined) rows = sortRows(env, rows, ctx.query.sort);
  const total = rows.length;
  const slice = rows.slice(page.start, page.limit === undefined ? undefined : page.start + page.limit);
  const fields = ctx.query.fields ? fieldList(ctx.query.fields).filter((f) => f !== '*') : undefined;
  const meta = typeof page.meta === 'function' ? page.meta(page.count ? total : undefined) : page.meta;
  return json({ data: slice.map((r) => present(ctx, r as unknown as FileRecord, { fields: fields?.length ? fields : undefined, related: withRelated })), meta: { pagination: meta } });
};

export const findOne: Handler = (ctx) => {
  const { content, env } = ctxOf(ctx);
  validateQuery(env, { filters: ctx.query.filters, sort: ctx.query.sort, fields: ctx.query.fields });
  const withRelated = wantsRelated(ctx);
  const file = fileById(content, ctx.params.id);
  if (!file) throw new NotFoundError('file.notFound');
  return json(present(ctx, file, { related: withRelated }));
};

export const destroy: Handler = async (ctx) => {
  const { content } = ctxOf(ctx);
  const file = fileById(content, ctx.params.id);
  if (!file) throw new NotFoundError('file.notFound');
  await unlinkEverywhere(content, file.id);
  content.files.files.delete(file.id);
  for (const path of [file.url, ...Object.values(file.formats ?? {}).map((f) => f.url)]) content.files.blobs.delete(path);
  mediaChanged(ctx, 'media.delete', file, content);
  return json(present(ctx, file));
};

/** Deleting a file deletes its morph links: no entry (or component) points at it any more. */
async function unlinkEverywhere(content: Content, fileId: number): Promise<void> {
  const strip = (model: ModelDef, record: Rec): Rec | undefined => {
    let changed = false;
    const out: Rec = { ...record };
    for (const [name, a] of Object.entries(model.attributes)) {
      const v = record[name];
      if (a.type === 'media') {
        if (Array.isArray(v) && v.includes(fileId)) {
          out[name] = v.filter((x) => x !== fileId);
          changed = true;
        } else if (v === fileId) {
          out[name] = null;
          changed = true;
        }
      } else if ((a.type === 'component' && a.component) || a.type === 'dynamiczone') {
        const items = asList(v).map((item) => {
          const m = content.registry.models.get(a.type === 'component' ? a.component! : ((item as Rec).__component as string));
          const stripped = m ? strip(m, item as Rec) : undefined;
          if (stripped) changed = true;
          return stripped ?? item;
        });
        out[name] = Array.isArray(v) ? items : (items[0] ?? v);
      }
    }
    return changed ? out : undefined;
  };
  for (const model of content.registry.contentTypes) {
    const table = content.table(model.uid);
    for (const row of table.all()) {
      const next = strip(model, row);
      if (next) await table.update(row.id, next as Partial<Row>);
    }
  }
}

/**
 * GET/HEAD /uploads/<file>: what koa-static answers for Strapi's public folder (the bytes,
 * the content type of the extension, Last-Modified, `Cache-Control: max-age=0`), or
 * undefined when no file is there.
 */
export function serveUpload(store: Store, pathname: string, method: string, headers: ResponseHeaders): Response | undefined {
  if (!pathname.startsWith('/uploads/')) return undefined;
  const content = store.extension<Content>('content');
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const blob = content?.files.blobs.get(path);
  if (!blob) return undefined;
  headers['Accept-Ranges'] = 'bytes';
  headers['Content-Length'] = String(blob.data.length);
  if (blob.modified) headers['Last-Modified'] = new Date(blob.modified).toUTCString();
  headers['Cache-Control'] = 'max-age=0';
  headers['Content-Type'] = contentTypeOf(path);
  return new Response(method === 'HEAD' ? null : new Uint8Array(blob.data), { status: 200, headers });
}
