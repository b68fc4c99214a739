// What an entry or media event carries, per major (both sanitized by Strapi's
// defaultSanitizeOutput: private attributes and passwords removed, everything else kept):
//  v5 (@strapi/core dist/services/document-service/events.js): {model, uid, entry}, the entry
//    read again after the write with getDeepPopulate(uid) — every relation (its target's
//    columns), every media, components and dynamic zones all the way down — except for
//    entry.delete and entry.unpublish, which carry the row as it was, unpopulated.
//  v4 (@strapi/strapi dist/services/entity-service/index.js, emitEvent): {model, uid, entry},
//    the entity the entity service returned, i.e. selected and populated as the REST request
//    asked (`fields`, `populate`), flat — no `{data: {id, attributes}}` envelopes.
//  media (@strapi/upload dist/server/services/upload.js, @strapi/plugin-upload
//    server/services/upload.js, emitEvent): {media}, the file's row, unpopulated.
// `model` is the model's modelName (its singularName: "article", "file").
import type { Major } from '../config.js';
import { type Json, formatFile } from '../http/format.js';
import type { Rec } from '../documents/links.js';
import { FILE, type ModelDef, type Registry, isHidden } from '../documents/models.js';
import type { Presenter } from '../documents/output.js';
import type { PopulateTree } from '../documents/populate.js';
import { isObject } from '../http/context.js';


/**
 * Strapi 5's getDeepPopulate(uid): relations and media one level (the target's own columns),
 * components and dynamic-zone components recursively. Private links are left out: the
 * sanitizer would remove them anyway.
 */
export function deepPopulate(registry: Registry, model: ModelDef, seen: ReadonlySet<string> = new Set()): PopulateTree {
  const tree: PopulateTree = {};
  const inner = new Set([...seen, model.uid]);
  const of = (uid: string) => {
    const m = registry.models.get(uid);
    return m && !inner.has(uid) ? deepPopulate(registry, m, inner) : {};
  };
  for (const [name, a] of Object.entries(model.attributes)) {
    if (isHidden(a)) continue;
    // i18n's `localizations` is virtual on v5 (unstable_virtual): getDeepPopulate leaves it out.
    if (a.type === 'relation' && a.target && !(name === 'localizations' && model.localized)) tree[name] = {};
    else if (a.type === 'media') tree[name] = {};
    else if (a.type === 'component' && a.component) tree[name] = { populate: of(a.component) };
    else if (a.type === 'dynamiczone') tree[name] = { on: Object.fromEntries((a.components ?? []).map((uid) => [uid, { populate: of(uid) }])) };
  }
  return tree;
}

/** v5: an entry as the event carries it (deep-populated unless `populated` is false). */
export function entryV5(presenter: Presenter, registry: Registry, model: ModelDef, row: Rec, populated: boolean): Json {
  return presenter.entity(model, row, undefined, populated ? deepPopulate(registry, model) : {});
}

/**
 * v4: the REST answer's `data` without its envelopes — `{id, attributes}` becomes
 * `{id, ...attributes}` and `{data: …}` around relations and media goes — guided by the
 * schema, so a JSON attribute that happens to hold `data` is left alone.
 */
export function flattenV4(registry: Registry, model: ModelDef | undefined, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => flattenV4(registry, model, v));
  if (!isObject(value)) return value;
  if (isObject(value.attributes) && 'id' in value) return { id: value.id, ...flatAttributes(registry, model, value.attributes) };
  return flatAttributes(registry, model, value);
}

function flatAttributes(registry: Registry, model: ModelDef | undefined, attributes: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [name, v] of Object.entries(attributes)) {
    const a = model?.attributes[name];
    if (a && (a.type === 'relation' || a.type === 'media') && isObject(v) && 'data' in v) {
      // The REST answer's {data: null} for an empty multiple media is its response transform; the entity itself holds [].
      const data = a.type === 'media' && a.multiple && v.data === null ? [] : v.data;
      out[name] = flattenV4(registry, registry.models.get(a.type === 'media' ? FILE : (a.target ?? '')), data);
    } else if (a?.type === 'component') {
      out[name] = flattenV4(registry, registry.models.get(a.component ?? ''), v);
    } else if (a?.type === 'dynamiczone' && Array.isArray(v)) {
      out[name] = v.map((item) => (isObject(item) ? flattenV4(registry, registry.models.get(String(item.__component)), item) : item));
    } else out[name] = v;
  }
  return out;
}

/** `{model, uid, entry}` for an entry event. */
export function entryInfo(model: ModelDef, entry: unknown): Json {
  return { model: model.info.singularName, uid: model.uid, entry };
}

/** `{media}` for a media event: the file's row (no `related`, no private folder fields). */
export function mediaInfo(major: Major, file: Json & { id: number }): Json {
  return { media: formatFile(major, file) };
}
