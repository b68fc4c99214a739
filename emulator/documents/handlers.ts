// The content API of every content type (Strapi's core controllers, bound through
// `x-strapi-content-type`): collection types at /api/{plural}[/{id}], single types at
// /api/{singular}. v5 answers create with 201 and delete with 204; v4 with 200 and the
// deleted entry. The query (filters, sort, fields, populate, pagination, status /
// publicationState, locale) is validated and applied as each major does it.
import { type Handler, type RequestContext, bodyObject, json, noContent, isObject } from '../http/context.js';
import { NotFoundError, PaginationError, ValidationError, insteadOfStrapiCrash } from '../http/errors.js';
import { can } from '../http/permissions.js';
import { type QueryEnv, compileFilters, fieldList, sortRows, validateQuery } from '../http/query.js';
import type { Rec } from './links.js';
import { FILE, type ModelDef, ROLE, USER } from './models.js';
import { Presenter } from './output.js';
import { type PopulateTree, parsePopulate } from './populate.js';
import { type DocumentService, documentService, type ReadScope } from './service.js';
import { type Content, type RestConfig, type Row, contentOf } from './state.js';
import { checkInputKeys, checkRestrictedRelations, dropRestrictedRelations } from './write.js';
import { entriesDeleted, entryWritten, updatesExisting } from '../webhooks/emit.js';
import { pluginLinks } from '../users-permissions/users.js';
import { type LocaleUse, dataLocale, inLocale, requestLocale } from '../i18n/query.js';
import { copyNonLocalizedFields, firstRow, syncDocumentLocales, syncEntryLocalizations } from '../i18n/sync.js';

type Api = { content: Content; model: ModelDef; service: DocumentService; env: QueryEnv; presenter: Presenter };

/** The action a caller needs to read a model (media are always readable when populated). */
export function readAction(uid: string): string | undefined {
  if (uid === FILE) return undefined;
  if (uid === USER) return 'plugin::users-permissions.user.find';
  if (uid === ROLE) return 'plugin::users-permissions.role.find';
  return `${uid}.find`;
}

export function queryEnvFor(ctx: RequestContext, content: Content, service: DocumentService, model: ModelDef): QueryEnv {
  return {
    major: ctx.major,
    model,
    getModel: content.registry.lookup,
    related: (record, attribute, m) => service.links.one(record, m as ModelDef, attribute),
    // Populate reads links through the presenter; filters and sorts also join users-permissions' own relations.
    relatedAll: (record, attribute, m) => pluginLinks(ctx.store, m.uid, attribute, record) ?? service.links.linked(record, m as ModelDef, attribute),
    canRead: (uid) => {
      const action = readAction(uid);
      return action === undefined || can(ctx.caller, action);
    },
  };
}

/** `findOne`: v4's entityService.findOne keeps only fields and populate of the query, so its populated relations include drafts whatever publicationState says. */
function api(ctx: RequestContext, opts: { findOne?: boolean } = {}): Api {
  const content = contentOf(ctx.store);
  const uid = ctx.operation['x-strapi-content-type'] as string;
  const model = content.registry.get(uid);
  const service = documentService(content);
  const env = queryEnvFor(ctx, content, service, model);
  const preview = ctx.major === 4 && (ctx.query.publicationState === 'preview' || opts.findOne === true);
  const presenter = new Presenter(service.links, { env, registry: content.registry }, preview);
  // v4 answers a write with its localizations drafts included (the entity service's populate, no publicationState).
  presenter.draftLocalizations = ctx.major === 4 && ctx.method !== 'GET';
  return { content, model, service, env, presenter };
}


// ---------- the query ----------

type ReadQuery = { fields?: string[]; populate: PopulateTree; scope: ReadScope; localeFilter?: Record<string, unknown> };

/** v5: `fields` must be a string or a list of strings. */
function readFields(ctx: RequestContext): string[] | undefined {
  const { fields } = ctx.query;
  if (fields === undefined || fields === '*') return undefined;
  const ok = typeof fields === 'string' || (Array.isArray(fields) && fields.every((f) => typeof f === 'string'));
  if (!ok) {
    const message = 'Invalid fields parameter. Expected a string or an array of strings';
    throw ctx.major === 5 ? new ValidationError(message) : insteadOfStrapiCrash(message);
  }
  if (ctx.major === 4 && typeof fields === 'string' && fields.includes(',')) throw new ValidationError(`Invalid parameter ${fields}`);
  return fieldList(fields);
}

/** The sort orders must be asc or desc (v5 says so; v4's query builder fails). */
function checkSortOrders(ctx: RequestContext, sort: unknown): void {
  const bad = (_order: string): never => {
    const message = 'Invalid order. order can only be one of asc|desc|ASC|DESC';
    throw ctx.major === 5 ? new ValidationError(message) : insteadOfStrapiCrash(message);
  };
  const visit = (s: unknown) => {
    if (typeof s === 'string') {
      for (const part of s.split(',')) {
        const order = part.split(':')[1];
        if (order !== undefined && !['asc', 'desc'].includes(order.trim().toLowerCase())) bad(order);
      }
    } else if (Array.isArray(s)) s.forEach(visit);
    else if (isObject(s)) {
      for (const v of Object.values(s)) {
        if (typeof v === 'string') {
          if (v.trim() && !['asc', 'desc'].includes(v.trim().toLowerCase())) bad(v);
        } else visit(v);
      }
    }
  };
  visit(sort);
}

function readQuery(ctx: RequestContext, a: Api, use: LocaleUse = 'find'): ReadQuery {
  const { filters, sort } = ctx.query;
  validateQuery(a.env, { filters, sort, fields: ctx.query.fields });
  const fields = readFields(ctx);
  const populate = parsePopulate({ env: a.env, registry: a.content.registry }, a.model, ctx.query.populate);
  if (sort !== undefined) checkSortOrders(ctx, sort);
  // Filters that are not an object: v5 says so, v4 hands them to the database, which fails.
  if (filters !== undefined && filters !== null && typeof filters !== 'object') {
    const message = 'The filters parameter must be an object or an array';
    throw ctx.major === 5 ? new ValidationError(message) : insteadOfStrapiCrash(message);
  }
  // v5 single types read with findFirst, whose locale is one string (`*` finds nothing).
  const locales = requestLocale(ctx, a.model, use === 'find' && a.model.kind === 'singleType' && ctx.major === 5 ? 'findOne' : use);
  // v5 merges the filters over the locale lookup: `filters[locale]` replaces it.
  const overridden = ctx.major === 5 && isObject(filters) && 'locale' in filters;
  return { fields, populate, scope: scope(ctx, a.model, overridden ? undefined : locales?.locale), localeFilter: locales?.filter };
}

function scope(ctx: RequestContext, model: ModelDef, locale: string | string[] | undefined): ReadScope {
  if (ctx.major === 5) {
    const status = ctx.query.status;
    return { draft: status !== undefined && status !== 'published', locale };
  }
  const state = ctx.query.publicationState;
  // Real Strapi 4 fails in the database with any other value (500).
  if (state !== undefined && state !== 'live' && state !== 'preview' && model.draftAndPublish) throw insteadOfStrapiCrash(`Invalid publicationState ${JSON.stringify(state)}: expected live or preview`);
  return { preview: state === 'preview', locale };
}

const numeric = ['integer', 'biginteger', 'float', 'decimal'];
const castOps = ['$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$in', '$notIn', '$between'];

/**
 * The database casts filter values of number columns: in real Strapi one that is not a number
 * fails the query (500, every comparison operator). Not `id`: a non-number there matches nothing
 * (200, empty list) — compared with real 4.26.2 and 5.54.0.
 */
function checkCasts(a: Api, filters: unknown, model: ModelDef): void {
  const bad = (v: unknown): boolean => (Array.isArray(v) ? v.some(bad) : typeof v === 'string' && v.trim() !== '' && Number.isNaN(Number(v)));
  const visit = (f: unknown, m: ModelDef) => {
    if (Array.isArray(f)) return f.forEach((x) => visit(x, m));
    if (!isObject(f)) return;
    for (const [key, value] of Object.entries(f)) {
      if (['$or', '$and', '$not'].includes(key)) {
        visit(value, m);
        continue;
      }
      if (key === 'id') continue;
      const attr = m.attributes[key];
      if (!attr) continue;
      const target = attr.type === 'relation' ? a.content.registry.models.get((attr as { target?: string }).target ?? '') : attr.type === 'component' ? a.content.registry.models.get((attr as { component?: string }).component ?? '') : attr.type === 'media' ? a.content.registry.models.get(FILE) : undefined;
      if (target) {
        visit(isObject(value) && Object.keys(value).some((k) => !k.startsWith('$')) ? value : { id: value }, target);
        continue;
      }
      if (!numeric.includes(attr.type)) continue;
      const operands = isObject(value) ? Object.entries(value).filter(([op]) => castOps.includes(op)).map(([, v]) => v) : [value];
      if (operands.some(bad)) throw insteadOfStrapiCrash(`Invalid filter on ${key}: ${JSON.stringify(value)} is not a number`);
    }
  };
  visit(filters, model);
}

function filtered(a: Api, rows: readonly Row[], given: unknown, q?: ReadQuery): readonly Row[] {
  // `locale[$eq]=fr` and the like: the document service puts an object locale in the where clause.
  const filters = q?.localeFilter ? (given === undefined || given === null ? q.localeFilter : { $and: [given, q.localeFilter] }) : given;
  if (filters === undefined || filters === null || typeof filters !== 'object') return rows;
  checkCasts(a, filters, a.model);
  const test = compileFilters(a.env, filters, a.model);
  const out: Row[] = [];
  for (const row of rows) if (test(row as Rec)) out.push(row);
  return out;
}

// ---------- pagination ----------

export type Page = { start: number; limit: number | undefined; meta: Record<string, number> | ((total: number | undefined) => Record<string, number>); count: boolean };

const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined && o[k] !== null;

function shouldCount(p: Record<string, unknown>, rest: RestConfig): boolean {
  if (!('withCount' in p)) return rest.withCount;
  const w = p.withCount;
  if (typeof w === 'boolean') return w;
  if (w === undefined) return false;
  if (['true', 't', '1', 1].includes(w as never)) return true;
  if (['false', 'f', '0', 0].includes(w as never)) return false;
  throw new ValidationError('Invalid withCount parameter. Expected "t","1","true","false","0","f"');
}

/**
 * Strapi 5's getPaginationInfo + withDefaultPagination + the query layer's start/limit checks.
 * The query's values are strings and are used as such, so JS coercion decides (`limit=-1`
 * ends up as 1, `page=abc` as a NaN start that the query layer refuses).
 */
function pageV5(p: Record<string, unknown>, rest: RestConfig): Page {
  const usePage = has(p, 'page') || has(p, 'pageSize');
  const useOffset = has(p, 'start') || has(p, 'limit');
  const isPaged = usePage || !useOffset;
  const maxLimit = rest.maxLimit ?? -1;
  const ensure = ({ start, limit }: { start: unknown; limit: unknown }) => {
    const s = Math.max(start as number, 0);
    let l: number = limit === -1 ? -1 : Math.max(limit as number, 1);
    if (!(maxLimit === -1 || l < maxLimit)) l = maxLimit;
    return { start: s, limit: l };
  };
  let info: { start: number; limit: number };
  if (usePage && useOffset) throw new PaginationError('Cannot use both page & offset pagination in the same query');
  if (!usePage && !useOffset) info = ensure({ start: 0, limit: rest.defaultLimit });
  else {
    let pagination: { start: unknown; limit: unknown } = { start: 0, limit: 0 };
    if (useOffset) pagination = { start: p.start ?? 0, limit: p.limit ?? rest.defaultLimit };
    if (usePage) {
      const pageSize = has(p, 'pageSize') ? Math.max(1, p.pageSize as number) : rest.defaultLimit;
      const page = p.page ?? 1;
      const pageLimit = ensure({ start: 0, limit: pageSize }).limit;
      pagination = { start: ((page as number) - 1) * pageLimit, limit: pageLimit };
    }
    if (pagination.limit === -1) pagination.limit = maxLimit;
    info = ensure(pagination);
  }
  const start = Number(info.start);
  if (!Number.isInteger(start) || start < 0) throw new ValidationError(`convertStartQueryParams expected a positive integer got ${start}`);
  const limit = Number(info.limit);
  if (!Number.isInteger(limit) || (limit !== -1 && limit < 0)) throw new ValidationError(`convertLimitQueryParams expected a positive integer got ${limit}`);
  const count = shouldCount(p, rest);
  return {
    start,
    limit: limit === -1 ? undefined : limit,
    count,
    meta: (total) => {
      const t = total ?? 0;
      const m: Record<string, number> = isPaged
        ? limit === -1
          ? { page: 1, pageSize: t, pageCount: 1, total: t }
          : { page: Math.floor(start / limit) + 1, pageSize: limit, pageCount: limit > 0 ? Math.ceil(t / limit) : 0, total: t }
        : { start, limit, total: t };
      if (total === undefined) {
        delete m.total;
        delete m.pageCount;
      }
      return m;
    },
  };
}

/** Strapi 4's getPaginationInfo (NaN reaches the database and fails: 500). */
function pageV4(p: Record<string, unknown>, rest: RestConfig): Page {
  const isPaged = 'page' in p || 'pageSize' in p;
  const isOffset = 'start' in p || 'limit' in p;
  if (isPaged && isOffset) throw new ValidationError('Invalid pagination parameters. Expected either start/limit or page/pageSize');
  const num = (v: unknown) => (v === null ? 0 : Number(v));
  const { defaultLimit, maxLimit } = rest;
  const capped = (limit: number, paged: boolean) => (!paged && limit === -1) || (maxLimit !== null && limit > maxLimit);
  let info: Record<string, number>;
  let start: number;
  let limit: number | undefined;
  if (!isPaged && !isOffset) {
    info = { page: 1, pageSize: defaultLimit };
    start = 0;
    limit = defaultLimit;
  } else if (isPaged) {
    const size = p.pageSize === undefined ? defaultLimit : Math.max(1, num(p.pageSize));
    const page = Math.max(1, num(p.page || 1));
    const pageSize = maxLimit !== null && capped(size, true) ? maxLimit : Math.max(1, size);
    info = { page, pageSize };
    start = (page - 1) * pageSize;
    limit = pageSize;
  } else {
    const l = p.limit === undefined ? defaultLimit : num(p.limit);
    start = Math.max(0, num(p.start || 0));
    const lim = capped(l, false) ? (maxLimit ?? -1) : Math.max(1, l);
    info = { start, limit: lim };
    limit = lim === -1 ? undefined : lim;
  }
  // NaN or a fraction reaches the database and fails there (500 on real v4).
  if (!Number.isInteger(start) || (limit !== undefined && !Number.isInteger(limit))) throw insteadOfStrapiCrash('Invalid pagination parameters: page, pageSize, start and limit must be integers');
  const count = shouldCount(p, rest);
  return {
    start,
    limit,
    count,
    meta: (total) => (total === undefined ? info : 'page' in info ? { ...info, pageCount: Math.ceil(total / info.pageSize), total } : { ...info, total }),
  };
}

/** The `pagination` query as the major reads it (shared with upload's findPage). */
export function pagination(ctx: RequestContext, rest: RestConfig): Page {
  const raw = ctx.query.pagination;
  const p = isObject(raw) ? raw : {};
  return ctx.major === 5 ? pageV5(p, rest) : pageV4(p, rest);
}

// ---------- handlers ----------

function present(a: Api, row: Row, q: Pick<ReadQuery, 'fields' | 'populate'>) {
  return a.presenter.entity(a.model, row as Rec, q.fields, q.populate);
}

export const find: Handler = (ctx) => {
  const a = api(ctx);
  const q = readQuery(ctx, a);
  if (a.model.kind === 'singleType') return findSingle(ctx, a, q);
  const page = pagination(ctx, a.content.rest);
  let rows = filtered(a, a.service.rows(a.model, q.scope), ctx.query.filters, q);
  const total = rows.length;
  const end = page.limit === undefined ? undefined : page.start + page.limit;
  if (ctx.query.sort !== undefined) rows = sortRows(a.env, rows, ctx.query.sort, end);
  const slice = rows.slice(page.start, end);
  a.presenter.batch = new Set(slice.map((r) => r.id));
  const meta = typeof page.meta === 'function' ? page.meta(page.count ? total : undefined) : page.meta;
  return json({ data: slice.map((r) => present(a, r, q)), meta: { pagination: meta } });
};

function findSingle(ctx: RequestContext, a: Api, q: ReadQuery) {
  const [row] = filtered(a, a.service.rows(a.model, q.scope), ctx.query.filters, q);
  if (!row) throw new NotFoundError('Not Found');
  return json({ data: present(a, row, q), meta: {} });
}

export const findOne: Handler = (ctx) => {
  const a = api(ctx, { findOne: true });
  const q = readQuery(ctx, a, 'findOne');
  const row = a.service.findOne(a.model, ctx.params.id, q.scope);
  // v5 applies `filters` to findOne too; v4's entityService.findOne ignores them.
  const [match] = row ? (ctx.major === 5 ? filtered(a, [row], ctx.query.filters) : [row]) : [];
  if (!match) throw new NotFoundError('Not Found');
  return json({ data: present(a, match, q), meta: {} });
};

/** The `data` of a body, or Strapi's 400. */
function dataOf(ctx: RequestContext): Record<string, unknown> {
  const data = bodyObject(ctx.body).data;
  if (!isObject(data)) throw new ValidationError('Missing "data" payload in the request body');
  return data;
}

/** What the write sees of `data`: v5 refuses unknown keys; v4 drops them (and keeps publishedAt). */
function writableData(ctx: RequestContext, a: Api, data: Record<string, unknown>): { data: Record<string, unknown>; publishedAt: unknown; hasPublishedAt: boolean } {
  if (ctx.major === 5) {
    validateInput(ctx, a, data);
    const { publishedAt: _p, locale: _l, ...rest } = data;
    return { data: rest, publishedAt: undefined, hasPublishedAt: false };
  }
  const out: Record<string, unknown> = {};
  for (const key of a.model.writable) if (key in data) out[key] = data[key];
  return { data: dropRestrictedRelations(a.content, a.model, out, canFind(ctx)), publishedAt: data.publishedAt, hasPublishedAt: 'publishedAt' in data && a.model.draftAndPublish };
}

/** Relation inputs are checked against the caller's `find` on their target (media are not). */
const canFind = (ctx: RequestContext) => (uid: string) => can(ctx.caller, `${uid}.find`);

/** v5 validateInput: unknown keys over the whole payload first, then relations the caller may not read. */
function validateInput(ctx: RequestContext, a: Api, data: Record<string, unknown>): void {
  checkInputKeys(a.content, a.model, data);
  checkRestrictedRelations(a.content, a.model, data, canFind(ctx));
}

const publishes = (ctx: RequestContext) => (ctx.query.status ?? 'published') === 'published';

function writeQuery(ctx: RequestContext, a: Api): ReadQuery {
  const q = readQuery(ctx, a, 'write');
  // The answer shows the version just written: v5 the published one unless status=draft.
  return { ...q, scope: { ...q.scope, draft: !publishes(ctx) } };
}

/** The locale a write lands in: v5 `?locale=`, v4 `data.locale` (checked against the locales). */
function writeLocale(ctx: RequestContext, a: Api, data: Record<string, unknown>): string | undefined {
  if (!a.model.localized) return undefined;
  return ctx.major === 4 ? dataLocale(ctx, data) : (requestLocale(ctx, a.model, 'write')!.locale as string);
}

/** `documentId`: v5 i18n's new locale version of that document (non-localized values copied from it). */
async function createRow(ctx: RequestContext, a: Api, data: Record<string, unknown>, documentId?: string): Promise<Row> {
  const w = writableData(ctx, a, data);
  const locale = writeLocale(ctx, a, data);
  const input = documentId ? copyNonLocalizedFields(a.content, a.model, documentId, w.data) : w.data;
  const original = documentId ? firstRow(a.content, a.model, documentId) : undefined;
  const row = await a.service.create(a.model, input, { publish: publishes(ctx), locale, publishedAt: w.hasPublishedAt ? w.publishedAt : undefined, documentId });
  if (documentId) await syncDocumentLocales(a.content, a.model, row, original);
  if (ctx.major === 4 && a.model.localized && Array.isArray(data.localizations)) return linkLocalizations(a, row, data.localizations);
  return row;
}

/** v4 create with `data.localizations`: the links are stored (one way) like any relation's. */
async function linkLocalizations(a: Api, row: Row, ids: unknown[]): Promise<Row> {
  const table = a.content.table(a.model.uid);
  const existing = ids.map(Number).filter((id) => Number.isInteger(id) && id !== row.id && table.get(id));
  return (await table.update(row.id, { localizations: [...new Set(existing)] })) ?? row;
}

/** v4: a write whose answer populates `localizations` hands the entry's links and non-localized values to its localizations (after the answer was read). */
async function afterV4Write(ctx: RequestContext, a: Api, row: Row, q: ReadQuery): Promise<void> {
  if (ctx.major === 4 && a.model.localized && q.populate.localizations) await syncEntryLocalizations(a.content, a.model, a.content.table(a.model.uid).get(row.id) ?? row);
}

export const create: Handler = async (ctx) => {
  const a = api(ctx);
  const q = writeQuery(ctx, a);
  const data = dataOf(ctx);
  const row = await createRow(ctx, a, data);
  const answer = present(a, row, q);
  await afterV4Write(ctx, a, row, q);
  entryWritten(ctx, a, row, answer, true);
  return json({ data: answer, meta: {} }, ctx.major === 5 ? 201 : 200);
};

async function updateRow(ctx: RequestContext, a: Api, target: Row, data: Record<string, unknown>): Promise<Row> {
  const w = writableData(ctx, a, data);
  const original = firstRow(a.content, a.model, target.documentId);
  const row = await a.service.update(a.model, target, w.data, { publish: publishes(ctx), publishedAt: w.publishedAt, hasPublishedAt: w.hasPublishedAt });
  await syncDocumentLocales(a.content, a.model, row, original);
  return row;
}

/** The document (v5, any version, in the request's locale) or entry (v4, by id) an update or delete addresses. */
function target(ctx: RequestContext, a: Api, use: LocaleUse = 'write'): Row | undefined {
  const locale = requestLocale(ctx, a.model, use)?.locale;
  if (ctx.major === 5) return a.content.table(a.model.uid).by('documentId', ctx.params.id).find((r) => !a.model.localized || r.locale === locale);
  return a.service.findOne(a.model, ctx.params.id, { preview: true });
}

/** A single type's row in the request's locale (any version), and whether the type has any row at all. */
function singleTarget(ctx: RequestContext, a: Api, use: LocaleUse): { row?: Row; any?: Row } {
  const any = a.service.singleTypeRow(a.model);
  if (!any || !a.model.localized) return { row: any, any };
  const locale = requestLocale(ctx, a.model, use)?.locale as string;
  return { row: a.content.table(a.model.uid).where((r) => r.locale === locale)[0], any };
}

export const update: Handler = async (ctx) => {
  const a = api(ctx);
  const q = writeQuery(ctx, a);
  if (a.model.kind === 'singleType') {
    const data = dataOf(ctx);
    const { row: existing, any } = singleTarget(ctx, a, 'write');
    // v4's createOrUpdate creates only when the type has no row at all (a new locale: POST /localizations).
    if (ctx.major === 4 && !existing && any) throw new ValidationError('singleType.alreadyExists');
    const created = !existing || !updatesExisting(ctx, a, existing);
    // v5: a new locale joins the single type's one document.
    const row = existing ? await updateRow(ctx, a, existing, data) : await createRow(ctx, a, data, ctx.major === 5 ? any?.documentId : undefined);
    const answer = present(a, row, q);
    await afterV4Write(ctx, a, row, q);
    entryWritten(ctx, a, row, answer, created);
    return json({ data: answer, meta: {} });
  }
  const data = dataOf(ctx);
  const entry = target(ctx, a);
  // v5: `?locale=` of a document that has no version in it yet creates that version.
  const other = !entry && ctx.major === 5 && a.model.localized ? a.content.table(a.model.uid).by('documentId', ctx.params.id)[0] : undefined;
  if (!entry && !other) {
    // v5 validates the input before looking the document up.
    if (ctx.major === 5) validateInput(ctx, a, data);
    throw new NotFoundError('Not Found');
  }
  const created = !entry || !updatesExisting(ctx, a, entry);
  const row = entry ? await updateRow(ctx, a, entry, data) : await createRow(ctx, a, data, other!.documentId);
  const answer = present(a, row, q);
  await afterV4Write(ctx, a, row, q);
  entryWritten(ctx, a, row, answer, created);
  return json({ data: answer, meta: {} });
};

export const destroy: Handler = (ctx) => {
  const a = api(ctx);
  // v4's single-type delete hands its query to the entity service unchecked: unknown filters are dropped.
  const unchecked = ctx.major === 4 && a.model.kind === 'singleType';
  const q = readQuery(unchecked ? { ...ctx, query: { ...ctx.query, filters: undefined } } : ctx, a, 'delete');
  // Real Strapi 5 crashes deleting with status=draft (500).
  if (ctx.major === 5 && ctx.query.status === 'draft' && a.model.draftAndPublish) throw insteadOfStrapiCrash('Delete the document without `status`: deleting only its draft is not supported');
  if (ctx.major === 5) {
    // v5 deletes the document's versions in the request's locales (`*`: all of them).
    const locales = requestLocale(ctx, a.model, 'delete');
    const documentId = a.model.kind === 'singleType' ? a.service.singleTypeRow(a.model)?.documentId : ctx.params.id;
    const rows = documentId ? a.content.table(a.model.uid).by('documentId', documentId) : [];
    const victims = locales ? filtered(a, rows, undefined, q).filter((r) => inLocale(locales.locale, r.locale)) : rows;
    // service.delete removes every version of the row's locale: one row per locale.
    const removed = victims.filter((r, i) => victims.findIndex((v) => v.locale === r.locale) === i).flatMap((entry) => a.service.delete(a.model, entry));
    entriesDeleted(ctx, a, removed, undefined);
    return noContent();
  }
  const entry = a.model.kind === 'singleType' ? singleTarget(ctx, a, 'delete').row : target(ctx, a);
  if (!entry) throw new NotFoundError('Not Found');
  // v4 answers with the deleted entry, read (and populated) before it goes.
  const answer = present(a, entry, q);
  const removed = a.service.delete(a.model, entry);
  entriesDeleted(ctx, a, removed, answer);
  return json({ data: answer, meta: {} });
};

