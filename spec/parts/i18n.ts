// The i18n plugin's content-API routes, as real Strapi 4.26.2 and 5.54.0 answer them:
// GET /api/i18n/locales (action plugin::i18n.locales.listLocales, granted to no role by
// default; a read-only API token is refused too), and on v4 the routes that create a
// localization of an entry of a localized type (POST /api/{plural}/{id}/localizations,
// POST /api/{singular}/localizations; action <uid>.createLocalization). v5 has no such route:
// a new locale is written with PUT ?locale=.
import { errors } from './errors.js';
import { anyCaller } from './users-permissions.js';
import { type ContentType, type StrapiSchemas, camel } from '../content-types.js';
import { documentIdParam } from '../format.js';
import { type Major, type Operation, type Part, type Schema, bool, dateTime, int, jsonBody, jsonContent, object, ref, str } from '../openapi.js';
import { documentSchemaName } from './documents.js';

const localized = (ct: ContentType) => !!ct.pluginOptions?.i18n?.localized;

function localeSchema(major: Major): Schema {
  // v5 locales are documents too (documentId, publishedAt); the key order is real Strapi's.
  const props: Record<string, Schema> =
    major === 5
      ? { id: int, documentId: str, name: str, code: str, createdAt: dateTime, updatedAt: dateTime, publishedAt: dateTime, isDefault: bool }
      : { id: int, name: str, code: str, createdAt: dateTime, updatedAt: dateTime, isDefault: bool };
  return object(props, undefined, { description: 'A locale of the i18n plugin (Settings → Internationalization).' });
}

/** v4: the flat entry POST …/localizations answers (no `{data: {id, attributes}}`), its localizations flat too. */
function localizationSchemas(ct: ContentType): Record<string, Schema> {
  const name = documentSchemaName(ct);
  const flat = { type: 'object', properties: { id: int }, required: ['id'], description: 'An entry as its attributes, flat (v4 i18n answers without envelopes).' };
  return {
    [`${name}Localization`]: { ...flat, properties: { id: int, locale: str, localizations: { type: 'array', items: flat } }, required: ['id', 'locale', 'localizations'] },
    [`${name}LocalizationRequest`]: {
      type: 'object',
      description: 'The new localization: its attributes, flat (no `data` wrapper), and `locale` (one of the locales, not yet used by the entry). Non-localized attributes left out are copied from the entry; unknown keys are dropped.',
      properties: { locale: str, publishedAt: { type: ['string', 'null'], format: 'date-time' } },
    },
  };
}

function localizationPath(ct: ContentType): Part['paths'] {
  const name = documentSchemaName(ct);
  const single = ct.kind === 'singleType';
  const base = single ? camel(ct.info.singularName) : camel(ct.info.pluralName);
  const op: Operation = {
    operationId: `${base}CreateLocalization`,
    summary: `Create a localization of ${single ? `the ${ct.info.singularName} single type` : `a ${ct.info.singularName}`} (v4)`,
    tags: ['documents'],
    security: anyCaller,
    'x-strapi-action': `${ct.uid}.createLocalization`,
    'x-strapi-content-type': ct.uid,
    ...(single ? {} : { parameters: [documentIdParam(4)] }),
    requestBody: jsonBody(ref(`${name}LocalizationRequest`)),
    responses: { 200: jsonContent(ref(`${name}Localization`), 'The new entry (a draft unless `publishedAt` is given), with its localizations.'), ...errors([400, 401, 403, 404, 413]) },
  };
  return { [single ? `/api/${ct.info.singularName}/localizations` : `/api/${ct.info.pluralName}/{id}/localizations`]: { post: op } };
}

/** /_emulator/locales: the locales an admin would manage in Settings → Internationalization. */
function controlPaths(): Part['paths'] {
  const op = (operationId: string, summary: string, rest: Partial<Operation>): Operation => ({ operationId, summary, tags: ['emulator'], security: [], 'x-emulator-control': true, responses: {}, ...rest });
  const list = jsonContent(object({ locales: { type: 'array', items: ref('I18nLocale') } }), 'The locales, by id.');
  return {
    '/_emulator/locales': {
      get: op('emulatorLocales', 'The i18n locales', { responses: { 200: list } }),
      post: op('emulatorLocaleAdd', 'Add a locale', { requestBody: jsonBody(ref('EmulatorLocaleSeed')), responses: { 201: jsonContent(ref('I18nLocale'), 'The locale.'), ...errors([400]) } }),
    },
    '/_emulator/locales/{code}': {
      delete: op('emulatorLocaleRemove', 'Delete a locale (its documents stay; the default locale cannot go)', {
        parameters: [{ name: 'code', in: 'path', required: true, schema: str, description: 'The locale code.' }],
        responses: { 200: list, ...errors([400, 404]) },
      }),
    },
  };
}

export function i18n(major: Major, schemas: StrapiSchemas): Part {
  const part: Part = {
    schemas: { I18nLocale: localeSchema(major) },
    paths: {
      '/api/i18n/locales': {
        get: {
          operationId: 'i18nLocalesFind',
          summary: 'List the locales',
          tags: ['i18n'],
          security: anyCaller,
          'x-strapi-action': 'plugin::i18n.locales.listLocales',
          responses: { 200: jsonContent({ type: 'array', items: ref('I18nLocale') }, 'Every locale, by id.'), ...errors([401, 403]) },
        },
      },
    },
  };
  Object.assign(part.paths, controlPaths());
  Object.assign(part.schemas, {
    EmulatorLocaleSeed: {
      type: 'object',
      description: 'A locale to add: `name` defaults to Strapi\'s ("French (fr)"); `isDefault: true` makes it the default locale.',
      properties: { code: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }, name: str, isDefault: bool },
      required: ['code'],
      additionalProperties: false,
    },
  });
  if (major === 4) {
    for (const ct of schemas.contentTypes.filter(localized)) {
      Object.assign(part.schemas, localizationSchemas(ct));
      Object.assign(part.paths, localizationPath(ct));
    }
  }
  return part;
}
