// The i18n plugin's routes: GET /api/i18n/locales, v4's POST …/localizations, and the
// control API's /_emulator/locales.
import { type Handler, bodyObject, json } from '../http/context.js';
import { ApplicationError, NotFoundError, ValidationError } from '../http/errors.js';
import { type Rec, asList } from '../documents/links.js';
import { type ModelDef, isScalar } from '../documents/models.js';
import { documentService } from '../documents/service.js';
import { type Row, contentOf } from '../documents/state.js';
import type { Major } from '../config.js';
import type { Store } from '../store/store.js';
import { LocaleError, type LocaleRecord, type Locales, localesOf } from './locales.js';
import { nonLocalizedAttributes, syncEntryLocalizations } from './sync.js';

function locales(store: Store): Locales {
  const l = localesOf(store);
  if (!l) throw new Error('this emulator has no locales (createEmulator installs them)');
  return l;
}

/** A locale as the content API answers it: v4 has no documentId nor publishedAt. */
function formatLocale(major: Major, l: LocaleRecord): Record<string, unknown> {
  if (major === 5) return { id: l.id, documentId: l.documentId, name: l.name, code: l.code, createdAt: l.createdAt, updatedAt: l.updatedAt, publishedAt: l.publishedAt, isDefault: l.isDefault };
  return { id: l.id, name: l.name, code: l.code, createdAt: l.createdAt, updatedAt: l.updatedAt, isDefault: l.isDefault };
}

const listOf = (ctx: Parameters<Handler>[0]) => locales(ctx.store).list().map((l) => formatLocale(ctx.major, l));

/** GET /api/i18n/locales: a bare array, by id. */
export const listLocales: Handler = (ctx) => json(listOf(ctx));

export const controlList: Handler = (ctx) => json({ locales: listOf(ctx) });

export const controlAdd: Handler = (ctx) => {
  try {
    return json(formatLocale(ctx.major, locales(ctx.store).add(ctx.body)), 201);
  } catch (error) {
    if (error instanceof LocaleError) throw new ValidationError(error.message);
    throw error;
  }
};

export const controlRemove: Handler = (ctx) => {
  let removed: boolean;
  try {
    removed = locales(ctx.store).remove(ctx.params.code);
  } catch (error) {
    if (error instanceof LocaleError) throw new ValidationError(error.message);
    throw error;
  }
  if (!removed) throw new NotFoundError(`No locale ${ctx.params.code}`);
  return json({ locales: listOf(ctx) });
};

/** A v4 entry flat (`{id, …attributes}`), as the i18n controller answers it. */
function flat(model: ModelDef, row: Rec, names: string[]): Record<string, unknown> {
  return { id: row.id, ...Object.fromEntries(names.map((n) => [n, row[n] ?? null])) };
}

/**
 * v4 POST /api/{plural}/{id}/localizations (and /api/{singular}/localizations): a new entry in
 * another locale, linked to the entry and its localizations. The body is the attributes, flat;
 * non-localized scalars it leaves out come from the entry; it is a draft unless it says
 * `publishedAt`. Answered flat, with its localizations as they were before the sync.
 */
export const createLocalization: Handler = async (ctx) => {
  const content = contentOf(ctx.store);
  const model = content.registry.get(ctx.operation['x-strapi-content-type'] as string);
  const service = documentService(content);
  const table = content.table(model.uid);
  const entry = model.kind === 'singleType' ? table.all()[0] : /^\d+$/.test(ctx.params.id ?? '') ? table.get(Number(ctx.params.id)) : undefined;
  if (!entry) throw new NotFoundError('Entity not found');
  const body = bodyObject(ctx.body);
  const locale = body.locale;
  if (locale === undefined || locale === null) throw new ApplicationError('locale is missing');
  if (typeof locale !== 'string' || !locales(ctx.store).has(locale)) throw new ApplicationError('locale is invalid');
  const linked = asList(entry.localizations).map((id) => table.get(id as number)).filter((r): r is Row => !!r);
  if (entry.locale === locale || linked.some((l) => l.locale === locale)) throw new ApplicationError('locale is already used');
  // The entry is read without populate: only its scalar non-localized attributes are copied.
  const copied = Object.fromEntries(nonLocalizedAttributes(model).filter((n) => isScalar(model.attributes[n]) && entry[n] !== undefined).map((n) => [n, entry[n]]));
  const given = Object.fromEntries(model.writable.filter((n) => n in body).map((n) => [n, body[n]]));
  // The entity service validates it as published (required attributes) yet stores no publishedAt unless given.
  const row = await service.create(model, { ...copied, ...given }, { publish: false, locale, publishedAt: 'publishedAt' in body ? body.publishedAt : undefined });
  const links = [entry.id, ...linked.map((l) => l.id)];
  await table.update(row.id, { localizations: links, ...(model.draftAndPublish && !('publishedAt' in body) ? { publishedAt: null } : {}) });
  const names = scalarColumns(model);
  const answer = { ...flat(model, table.get(row.id)!, names), localizations: links.map((id) => table.get(id)).filter((r): r is Row => !!r).map((r) => flat(model, r, names)) };
  await syncEntryLocalizations(content, model, table.get(row.id)!);
  return json(answer);
};

/** The columns of a v4 answer: visible scalar attributes, then the timestamps and locale. */
function scalarColumns(model: ModelDef): string[] {
  const own = model.writable.filter((n) => isScalar(model.attributes[n]) && !model.attributes[n].private && model.attributes[n].type !== 'password');
  return [...own, ...['createdAt', 'updatedAt', 'publishedAt', 'locale'].filter((n) => n in model.attributes)];
}
