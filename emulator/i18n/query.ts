// The `locale` of a content-API request, as each major reads it (checked on real 5.54.0 and
// 4.26.2 with a localized collection type and a localized single type):
//  v5 (document service: defaultLocale, then multiLocaleToLookup / localeToLookup / localeToData)
//   - missing or empty → the default locale; the code is never checked against the locales
//     (`?locale=xx` lists nothing, and a write creates an `xx` version);
//   - find and delete: `*` → every locale, `locale[0]=fr&locale[1]=de` → those, an object
//     (`locale[$eq]=fr`) → a filter on the locale column;
//   - findOne: a list or object → 400 "Invalid locale param fr provided. Document locales must
//     be strings."; `*` looks up a locale named `*` (404);
//   - create and update: the same 400 for a list or an object, and for `*`.
//  v4 (the i18n entity-service decorator):
//   - find: missing or empty → the default locale, `all` → every locale, a list → those;
//   - findOne, update and delete of a collection type ignore it (the id says which entry);
//   - create reads `data.locale` (not the query): an unknown code → 400 ApplicationError
//     "This locale doesn't exist"; single types find, update and delete in `?locale=`.
import type { RequestContext } from '../http/context.js';
import { isObject } from '../http/context.js';
import { ApplicationError, ValidationError } from '../http/errors.js';
import type { ModelDef } from '../documents/models.js';
import { defaultLocale, localesOf } from './locales.js';

/** Which locales a request reads or writes: one code, several, or all (undefined), plus a filter on the column. */
export type LocaleSelection = { locale?: string | string[]; filter?: Record<string, unknown> };

export type LocaleUse = 'find' | 'findOne' | 'write' | 'delete';

const empty = (v: unknown) => v === undefined || v === null || v === '';

function notStrings(raw: unknown): never {
  throw new ValidationError(`Invalid locale param ${String(raw)} provided. Document locales must be strings.`);
}

/** The locales a request on a localized content type selects (undefined for other types). */
export function requestLocale(ctx: RequestContext, model: ModelDef, use: LocaleUse): LocaleSelection | undefined {
  if (!model.localized) return undefined;
  const raw = ctx.query.locale;
  const fallback = defaultLocale(ctx.store);
  if (ctx.major === 4) {
    const single = model.kind === 'singleType';
    if (!single && (use === 'findOne' || use === 'write' || use === 'delete')) return {};
    if (empty(raw)) return { locale: fallback };
    if (typeof raw === 'string') return raw === 'all' && use === 'find' ? {} : { locale: raw };
    if (Array.isArray(raw)) return { locale: raw.map(String) };
    return isObject(raw) ? { filter: { locale: raw } } : { locale: fallback };
  }
  if (empty(raw)) return { locale: fallback };
  if (use === 'find' || use === 'delete') {
    if (raw === '*') return {};
    if (typeof raw === 'string') return { locale: raw };
    if (Array.isArray(raw)) {
      const codes = raw.filter((c): c is string => typeof c === 'string' && c !== '');
      return codes.length ? { locale: codes } : { locale: fallback };
    }
    return isObject(raw) ? { filter: { locale: raw } } : { locale: fallback };
  }
  if (typeof raw !== 'string') notStrings(raw);
  if (use === 'write' && raw === '*') notStrings(raw);
  return { locale: raw };
}

/** v4 create: the locale of `data.locale`, which must be one of the locales. */
export function dataLocale(ctx: RequestContext, data: Record<string, unknown>): string {
  const value = data.locale;
  if (empty(value)) return defaultLocale(ctx.store);
  const locales = localesOf(ctx.store);
  if (typeof value !== 'string' || (locales ? !locales.has(value) : value !== 'en')) throw new ApplicationError("This locale doesn't exist");
  return value;
}

/** Does a row's locale match a selection (undefined: every locale)? */
export function inLocale(locale: string | readonly string[] | null | undefined, rowLocale: unknown): boolean {
  if (locale === undefined || locale === null) return true;
  return typeof locale === 'string' ? rowLocale === locale : locale.includes(rowLocale as string);
}
