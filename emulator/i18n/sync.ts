// Non-localized attributes (an attribute of a localized type whose `pluginOptions.i18n.localized`
// is not true, and that is no relation nor uid — Strapi's isLocalizedAttribute) hold one value
// for every locale of a document. How each major keeps them in step (read from @strapi/i18n
// 5.54.0 / @strapi/plugin-i18n 4.26.2 and checked on both):
//  v5: a new locale version starts from the non-localized values of an existing version (the
//    published one first); after a create or update whose result differs from the document's
//    first row (lowest id, read before the write) in those values, every version of the
//    document in the same status (published or draft) and another locale gets them, and a new
//    updatedAt. So a published update leaves the other locales' drafts as they were.
//  v4: entries link to their localizations (`localizations`, a stored relation). After a write
//    whose answer populates `localizations` (always for POST /:id/localizations; a create or
//    update only with `populate=localizations`), every linked entry gets the non-localized
//    scalar values and the linked list of the others, and a new updatedAt.
import { type Attribute, type ModelDef, isScalar } from '../documents/models.js';
import type { Rec } from '../documents/links.js';
import type { Content, Row } from '../documents/state.js';
import { asList } from '../documents/links.js';
import { documentService } from '../documents/service.js';

const localizedOption = (a: Attribute) => (a.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized === true;

/** The attributes of a localized type that every locale shares. */
export function nonLocalizedAttributes(model: ModelDef): string[] {
  if (!model.localized) return [];
  return model.writable.filter((name) => {
    const a = model.attributes[name];
    return !(localizedOption(a) || a.type === 'relation' || a.type === 'uid');
  });
}

/** A stored value without component ids, as a write's input (i18n's removeIds). */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object') {
    const { id: _id, ...rest } = value as Rec;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withoutIds(v)]));
  }
  return value;
}

const comparable = (value: unknown) => JSON.stringify(withoutIds(value) ?? null);

/** v5: the row Strapi compares a write's result with (the document's first row). */
export function firstRow(content: Content, model: ModelDef, documentId: string): Row | undefined {
  if (!model.localized || content.major !== 5) return undefined;
  const rows = content.table(model.uid).by('documentId', documentId);
  return rows.reduce<Row | undefined>((low, r) => (!low || r.id < low.id ? r : low), undefined);
}

/** v5: the non-localized values a new locale version of a document starts from (input format), for those `data` leaves out. */
export function copyNonLocalizedFields(content: Content, model: ModelDef, documentId: string, data: Record<string, unknown>): Record<string, unknown> {
  const names = nonLocalizedAttributes(model);
  if (!names.length) return data;
  const rows = content.table(model.uid).by('documentId', documentId);
  const source = rows.find((r) => r.publishedAt !== null) ?? rows[0];
  if (!source) return data;
  const out = { ...data };
  for (const name of names) if ((out[name] === undefined || out[name] === null) && source[name] !== undefined) out[name] = withoutIds(source[name]);
  return out;
}

async function patchRows(content: Content, model: ModelDef, names: string[], source: Row, targets: Row[], extra: (row: Row) => Partial<Row> = () => ({})): Promise<void> {
  const table = content.table(model.uid);
  const writer = documentService(content).writer;
  for (const row of targets) {
    // Components are copied with their own new ids, as Strapi's updateComponents creates them.
    const cloned = writer.cloneComponents(model, Object.fromEntries(names.map((n) => [n, source[n] ?? null]))) as Rec;
    const patch: Partial<Row> = { ...Object.fromEntries(names.map((n) => [n, cloned[n] ?? null])), ...extra(row), updatedAt: content.now() };
    await table.update(row.id, patch);
  }
}

/** v5, after a create or update of a localized document: copies its non-localized values to the other locales in the same status. */
export async function syncDocumentLocales(content: Content, model: ModelDef, result: Row, original: Row | undefined): Promise<void> {
  const names = nonLocalizedAttributes(model);
  if (!names.length || content.major !== 5) return;
  if (original && names.every((n) => comparable(original[n]) === comparable(result[n]))) return;
  const published = result.publishedAt !== null;
  const others = content.table(model.uid).by('documentId', result.documentId).filter((r) => r.locale !== result.locale && (r.publishedAt !== null) === published);
  await patchRows(content, model, names, result, others);
}

/** v4, after a write whose answer populated `localizations`: links and non-localized values go to every linked entry. */
export async function syncEntryLocalizations(content: Content, model: ModelDef, entry: Row): Promise<void> {
  if (!model.localized || content.major !== 4) return;
  const table = content.table(model.uid);
  const linked = asList(entry.localizations).map((id) => table.get(id as number)).filter((r): r is Row => !!r);
  if (!linked.length) return;
  const all = [entry.id, ...linked.map((r) => r.id)];
  // The entry carries only what its write populated: scalars, unless components or media were asked for.
  const names = nonLocalizedAttributes(model).filter((n) => isScalar(model.attributes[n]));
  // Observed on 4.26.2: a list with the same entries keeps its order; a changed one takes the new order.
  const relink = (row: Row) => {
    const next = all.filter((id) => id !== row.id);
    const now = asList(row.localizations) as number[];
    return now.length === next.length && next.every((id) => now.includes(id)) ? {} : { localizations: next };
  };
  await patchRows(content, model, names, entry, linked, relink);
}
