// The i18n plugin's locales (Settings → Internationalization): Strapi's `plugin::i18n.locale`
// table. A fresh Strapi has one locale, `en` "English (en)", the default; the admin adds
// others. Here they come from createEmulator({ locales }), the seed file, `--locales` and the
// control API (/_emulator/locales). Registered with the store as the "i18n" extension, so
// snapshot/restore/reset cover them.
import * as z from 'zod/mini';
import type { Major } from '../config.js';
import { isObject } from '../http/context.js';
import type { Store, StoreExtension } from '../store/store.js';
import { newDocumentId } from '../users-permissions/user-service.js';

export type LocaleSeed = { code: string; name?: string; isDefault?: boolean };
export type LocaleRecord = { id: number; documentId: string; name: string; code: string; createdAt: string; updatedAt: string; publishedAt: string; isDefault: boolean };

type LocalesSnapshot = { locales: LocaleRecord[]; nextId: number };

export class LocaleError extends Error {}

// Strapi's own check on locale codes (i18n's validation of a new locale, and the document
// service's BCP 47 check): letters, digits and dashes.
const codeFormat = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** "French (fr)", "English (United States) (en-US)": Strapi's name for a locale from its ISO list. */
export function localeName(code: string): string {
  let language: string | undefined;
  try {
    language = new Intl.DisplayNames(['en'], { type: 'language', languageDisplay: 'standard' }).of(code);
  } catch {
    language = undefined;
  }
  return `${language && language !== code ? language : code} (${code})`;
}

/** Checks locale seeds (option, seed file, flag, control API); throws a LocaleError naming the mistake. */
export function checkLocaleSeed(seed: unknown): LocaleSeed {
  const value = typeof seed === 'string' ? { code: seed } : seed;
  if (!isObject(value)) throw new LocaleError('a locale must be a code like "fr" or an object like {code, name?, isDefault?}');
  const extra = Object.keys(value).filter((k) => !['code', 'name', 'isDefault'].includes(k));
  if (extra.length) throw new LocaleError(`unknown locale keys: ${extra.join(', ')}`);
  const { code, name, isDefault } = value;
  if (typeof code !== 'string' || !codeFormat.test(code)) throw new LocaleError(`code must be a locale code like "fr" or "en-US", got ${JSON.stringify(code)}`);
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new LocaleError('name must be a non-empty string');
  if (isDefault !== undefined && typeof isDefault !== 'boolean') throw new LocaleError('isDefault must be a boolean');
  return { code, ...(name !== undefined ? { name } : {}), ...(isDefault !== undefined ? { isDefault } : {}) };
}

export class Locales implements StoreExtension {
  private records: LocaleRecord[] = [];
  private nextId = 1;

  constructor(
    readonly store: Store,
    readonly major: Major,
    seeds: LocaleSeed[] = [{ code: 'en' }],
  ) {
    const checked = seeds.map(checkLocaleSeed);
    if (!checked.length) throw new LocaleError('locales: give at least one locale (the first is the default unless one says isDefault)');
    const codes = checked.map((l) => l.code);
    const twice = codes.find((c, i) => codes.indexOf(c) !== i);
    if (twice) throw new LocaleError(`locales: "${twice}" is listed twice`);
    if (checked.filter((l) => l.isDefault).length > 1) throw new LocaleError('locales: only one locale can be the default');
    const defaultCode = (checked.find((l) => l.isDefault) ?? checked[0]).code;
    for (const l of checked) this.add({ ...l, isDefault: l.code === defaultCode });
  }

  list(): LocaleRecord[] {
    return this.records.map((l) => ({ ...l }));
  }

  has(code: string): boolean {
    return this.records.some((l) => l.code === code);
  }

  /** The default locale's code (Strapi's i18n getDefaultLocale). */
  defaultCode(): string {
    return (this.records.find((l) => l.isDefault) ?? this.records[0])?.code ?? 'en';
  }

  /** Adds a locale (the admin's POST /i18n/locales); `isDefault` moves the default to it. */
  add(input: unknown): LocaleRecord {
    const seed = checkLocaleSeed(input);
    // The admin API's own message for a code that exists (400 ApplicationError on 4.26.2 and 5.54.0).
    if (this.has(seed.code)) throw new LocaleError('This locale already exists');
    const now = this.store.now();
    if (seed.isDefault) for (const l of this.records) l.isDefault = false;
    const record: LocaleRecord = { id: this.nextId++, documentId: newDocumentId(), name: seed.name ?? localeName(seed.code), code: seed.code, createdAt: now, updatedAt: now, publishedAt: now, isDefault: !!seed.isDefault || this.records.length === 0 };
    this.records.push(record);
    return { ...record };
  }

  makeDefault(code: string): void {
    for (const l of this.records) l.isDefault = l.code === code;
  }

  /** Deletes a locale (documents in it stay, as in Strapi); the default locale cannot go. */
  remove(code: string): boolean {
    const at = this.records.findIndex((l) => l.code === code);
    if (at < 0) return false;
    if (this.records[at].isDefault) throw new LocaleError('Cannot delete the default locale');
    this.records.splice(at, 1);
    return true;
  }

  /** A restored world must keep exactly one default locale and valid codes: the document routes read them on every request. */
  schema() {
    const locale = z.strictObject({
      id: z.int().check(z.minimum(1)),
      documentId: z.string().check(z.minLength(1)),
      name: z.string().check(z.minLength(1)),
      code: z.string().check(z.regex(codeFormat)),
      createdAt: z.string(),
      updatedAt: z.string(),
      publishedAt: z.string(),
      isDefault: z.boolean(),
    });
    return z.strictObject({ locales: z.array(locale), nextId: z.int().check(z.minimum(1)) }).check(
      z.superRefine((s, ctx) => {
        if (s.locales.filter((l) => l.isDefault).length !== 1) ctx.addIssue({ code: 'custom', path: ['locales'], message: 'exactly one locale must be the default' });
        const ids = new Set<number>();
        const codes = new Set<string>();
        s.locales.forEach((l, i) => {
          if (ids.has(l.id)) ctx.addIssue({ code: 'custom', path: ['locales', i, 'id'], message: `id ${l.id} appears twice` });
          if (codes.has(l.code)) ctx.addIssue({ code: 'custom', path: ['locales', i, 'code'], message: `"${l.code}" appears twice` });
          if (l.id >= s.nextId) ctx.addIssue({ code: 'custom', path: ['nextId'], message: `must be above every locale id (${l.id})` });
          ids.add(l.id);
          codes.add(l.code);
        });
      }),
    );
  }

  snapshot(): LocalesSnapshot {
    return { locales: this.list(), nextId: this.nextId };
  }

  restore(snapshot: unknown): void {
    if (snapshot === undefined) return;
    const s = snapshot as LocalesSnapshot;
    if (!isObject(s) || !Array.isArray(s.locales) || typeof s.nextId !== 'number') throw new Error('snapshot: the i18n state is malformed');
    this.records = s.locales.map((l) => ({ ...l }));
    this.nextId = s.nextId;
  }
}

/** Creates the locales of an emulator and registers them with its store. */
export function installLocales(store: Store, opts: { major: Major; locales?: Array<LocaleSeed | string> }): Locales {
  return store.extend('i18n', new Locales(store, opts.major, (opts.locales ?? ['en']).map(checkLocaleSeed)));
}

/** The locales of the emulator a request runs in (a store without them knows only `en`). */
export function localesOf(store: Store): Locales | undefined {
  return store.extension<Locales>('i18n');
}

/** The default locale of a store's emulator. */
export function defaultLocale(store: Store): string {
  return localesOf(store)?.defaultCode() ?? 'en';
}
