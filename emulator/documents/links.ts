// Reading links: what a relation, a media or a component of a row leads to, the way Strapi's
// joins answer it. On v5, a relation to a draft & publish content type stores the target's
// documentId and each version of a document sees the same version of its targets (a draft
// sees drafts, a published version sees published ones — an unpublished target is absent).
// A relation declared with `mappedBy` is the inverse side: its links are read from the
// owning side's rows.
import type { Major } from '../config.js';
import type { Store } from '../store/store.js';
import { FILE, type ModelDef, ROLE, type Registry, USER, holdsMany } from './models.js';
import type { Content, Row } from './state.js';

export type Rec = Record<string, unknown>;

/** Marks component values (and links read through them) with the version of their document. */
const DRAFT = Symbol('draft');

/** Is this record (a row, or something read through one) part of a draft version? */
export function isDraft(record: Rec): boolean {
  const mark = (record as { [DRAFT]?: boolean })[DRAFT];
  if (mark !== undefined) return mark;
  return record.publishedAt === null;
}

function marked<T extends Rec>(record: T, draft: boolean): T {
  const copy = { ...record };
  Object.defineProperty(copy, DRAFT, { value: draft, enumerable: false });
  return copy;
}

export const asList = (v: unknown): unknown[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);

export class Links {
  readonly major: Major;
  readonly registry: Registry;
  readonly store: Store;

  constructor(readonly content: Content) {
    this.major = content.major;
    this.registry = content.registry;
    this.store = content.store;
  }

  rows(uid: string): Row[] {
    return this.content.table(uid).all();
  }

  /** The version of a document a reader sees: v5 drafts see drafts, everything else the published version. */
  version(model: ModelDef, documentId: string, draft: boolean, locale?: string | null): Row | undefined {
    const rows = this.content.table(model.uid).by('documentId', documentId);
    const inLocale = model.localized && locale ? rows.filter((r) => r.locale === locale) : rows;
    const pool = inLocale.length ? inLocale : rows;
    if (!model.draftAndPublish) return pool[0];
    return pool.find((r) => (r.publishedAt === null) === draft);
  }

  /** The record a stored reference points at (a row, a user, a role, a file), seen from a `draft` or published version. */
  deref(target: string, ref: unknown, draft: boolean, locale?: string | null): Rec | undefined {
    if (ref === null || ref === undefined) return undefined;
    if (target === USER) return typeof ref === 'number' ? this.store.users.get(ref) : undefined;
    if (target === ROLE) return typeof ref === 'number' ? this.store.roles.get(ref) : undefined;
    if (target === FILE) return typeof ref === 'number' ? this.content.files.files.get(ref) : undefined;
    const model = this.registry.models.get(target);
    if (!model || model.modelType !== 'contentType') return undefined;
    if (this.major === 5) return typeof ref === 'string' ? this.version(model, ref, draft, locale) : undefined;
    return typeof ref === 'number' ? this.content.table(target).get(ref) : undefined;
  }

  /** What a row stores to point at `record` of model `target` (v5 documentId for content types, else the id). */
  refOf(target: string, record: Rec): number | string {
    return this.major === 5 && this.registry.isContentType(target) ? (record.documentId as string) : (record.id as number);
  }

  /**
   * Every record `name` links `record` (of `model`) to, in link order: related rows, users,
   * files, or component values. Links to what no longer exists are skipped.
   */
  linked(record: Rec, model: ModelDef, name: string): Rec[] {
    const attr = model.attributes[name];
    if (!attr) return [];
    const draft = isDraft(record);
    const locale = (record.locale as string | undefined) ?? null;
    switch (attr.type) {
      case 'media':
        return asList(record[name])
          .map((id) => this.deref(FILE, id, draft))
          .filter((r): r is Rec => !!r);
      case 'component':
        return asList(record[name]).map((v) => marked(v as Rec, draft));
      case 'dynamiczone':
        return asList(record[name]).map((v) => marked(v as Rec, draft));
      case 'relation': {
        if (!attr.target) return [];
        if (typeof attr.mappedBy === 'string') return this.inverse(record, model, attr.target, attr.mappedBy, draft);
        return asList(record[name])
          .map((ref) => this.deref(attr.target!, ref, draft, locale))
          .filter((r): r is Rec => !!r)
          .map((r) => (this.registry.isContentType(attr.target) ? r : marked(r, draft)));
      }
      default:
        return [];
    }
  }

  /** The inverse side of a bidirectional relation: the owner's rows that point at `record`. */
  private inverse(record: Rec, model: ModelDef, target: string, ownerAttr: string, draft: boolean): Rec[] {
    const owner = this.registry.models.get(target);
    if (!owner || !model) return [];
    const ref = this.refOf(model.uid, record);
    // A user extension owns this relation (e.g. badge.holders mappedBy user.badges).
    if (target === USER) return this.store.users.where((u) => asList((u as Rec)[ownerAttr]).includes(ref)).map((u) => marked(u as Rec, draft));
    if (owner.modelType !== 'contentType') return [];
    const rows = this.rows(target);
    const linked = rows.filter((row) => {
      if (this.major === 5 && owner.draftAndPublish && (row.publishedAt === null) !== draft) return false;
      return asList(row[ownerAttr]).includes(ref);
    });
    // The inverse side has its own order: first linked first, or as it was last set from this side
    // (a republished v5 owner keeps its place). Links it has no record of come last, by id.
    const order = this.content.inverseList(target, ownerAttr, ref);
    if (!order) return linked;
    const at = (row: Rec) => {
      const i = order.indexOf(this.refOf(target, row));
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return linked.map((row, i) => ({ row, i, at: at(row) })).sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.row);
  }

  /** The one record of a to-one link (or null). */
  one(record: Rec, model: ModelDef, name: string): Rec | null {
    return this.linked(record, model, name)[0] ?? null;
  }

  holdsMany(model: ModelDef, name: string): boolean {
    const attr = model.attributes[name];
    if (!attr) return false;
    if (attr.type === 'component') return !!attr.repeatable;
    if (attr.type === 'dynamiczone') return true;
    return holdsMany(attr);
  }
}
