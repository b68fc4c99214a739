// The content of one emulator: the rows of every content type (a Table each, ids from their
// own counter like sqlite's AUTOINCREMENT — never reused), the id counters of the component
// tables, and the media library. Registered with the store as the "content" extension, so
// snapshot/restore/reset cover it.
//
// A row is what Strapi keeps in the content type's table, with its links inline:
//   {id, documentId, createdAt, updatedAt, publishedAt, locale?, ...attributes}
//   - scalars as Strapi answers them (biginteger as a string, time as HH:mm:ss.SSS);
//   - a relation: the target's documentId on v5 when the target is a content type (each
//     version of a document links to the same version of the target), else the target's id;
//     a list of them for relations to many;
//   - a media: file id(s); a component: {id, ...attributes} (a list when repeatable); a
//     dynamic zone: [{id, __component, ...attributes}].
// Rows of a v5 draft & publish document come in two versions (publishedAt null = draft).
import * as z from 'zod/mini';
import type { StrapiSchemas } from '../../spec/content-types.js';
import type { Major } from '../config.js';
import type { StoreExtension, Store } from '../store/store.js';
import { TrackedMap } from '../store/changes.js';
import { Table, type TableSnapshot } from '../store/table.js';
import { type Blob, FileStore, type FilesSnapshot } from '../upload/store.js';
import { Registry } from './models.js';
import { contentSchema, userExtensionSchema } from './snapshot-schema.js';

export type Row = { id: number; documentId: string; createdAt: string; updatedAt: string; publishedAt: string | null; locale?: string | null; [attribute: string]: unknown };
export type ComponentValue = { id: number; __component?: string; [attribute: string]: unknown };

const rowSchema = z.looseObject({
  id: z.int(),
  documentId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.nullable(z.string()),
});

export type RowTable = Table<typeof rowSchema, Row>;

type DocumentsSnapshot = { tables: Record<string, TableSnapshot<Row>>; componentIds: Record<string, number>; inverseOrder?: Record<string, Array<number | string>> };
type Ref = number | string;
export type ContentSnapshot = { documents: DocumentsSnapshot; upload: FilesSnapshot };

/** config/api.js `rest`: list defaults, as create-strapi-app writes them (maxLimit null: no cap). */
export type RestConfig = { defaultLimit: number; maxLimit: number | null; withCount: boolean };
export type ContentOptions = { major: Major; schemas: StrapiSchemas; rest?: Partial<RestConfig> };

export class Content implements StoreExtension {
  readonly registry: Registry;
  readonly files = new FileStore();
  readonly major: Major;
  readonly rest: RestConfig;
  private readonly tables = new Map<string, RowTable>();
  private componentIds = new Map<string, number>();
  /**
   * The inverse side's own order of its links (Strapi's inverse order column): for
   * `<owner uid>.<attribute>|<target ref>`, the owners' refs, first linked first — or as the
   * inverse side last set them (real 4.26.2 / 5.54.0 list the inverse side in that order).
   * Lists are replaced, never edited in place (the journal of `--data` notes the keys written).
   */
  readonly inverseOrder = new TrackedMap<string, Ref[]>();
  /** Its snapshots hold the tables' frozen rows and fresh copies of the rest (see StoreExtension). */
  readonly freshSnapshots = true;
  /** The seed's counters and inverse order (the tables keep their own marks). */
  private marked: { componentIds: Map<string, number>; inverseOrder: Map<string, Ref[]>; blobs: Map<string, Blob> } | undefined;

  constructor(
    readonly store: Store,
    opts: ContentOptions,
  ) {
    this.major = opts.major;
    this.registry = new Registry(opts.major, opts.schemas);
    this.rest = { defaultLimit: opts.rest?.defaultLimit ?? 25, maxLimit: opts.rest?.maxLimit === undefined ? 100 : opts.rest.maxLimit, withCount: opts.rest?.withCount ?? true };
    if (!Number.isInteger(this.rest.defaultLimit) || this.rest.defaultLimit < 1) throw new TypeError(`rest.defaultLimit must be a positive integer, got ${String(opts.rest?.defaultLimit)}`);
    if (this.rest.maxLimit !== null && (!Number.isInteger(this.rest.maxLimit) || this.rest.maxLimit < 1)) throw new TypeError(`rest.maxLimit must be a positive integer or null, got ${String(opts.rest?.maxLimit)}`);
    for (const ct of this.registry.contentTypes) this.tables.set(ct.uid, new Table(ct.uid, rowSchema, ['documentId']) as unknown as RowTable);
  }

  table(uid: string): RowTable {
    const table = this.tables.get(uid);
    if (!table) throw new Error(`no content type ${uid}`);
    return table;
  }

  /** The next id of a component table (one counter per component, like its own sqlite table). */
  nextComponentId(uid: string): number {
    const id = this.componentIds.get(uid) ?? 1;
    this.componentIds.set(uid, id + 1);
    return id;
  }

  /** The component id counters (to roll back an operation that failed half-way). */
  snapshotComponentIds(): Map<string, number> {
    return new Map(this.componentIds);
  }

  restoreComponentIds(saved: Map<string, number>): void {
    this.componentIds = new Map(saved);
  }

  /** The owners' refs in the inverse side's order (undefined: none recorded). */
  inverseList(owner: string, attribute: string, target: Ref): readonly Ref[] | undefined {
    return this.inverseOrder.get(`${owner}.${attribute}|${target}`);
  }

  /** An owner's links changed from `before` to `after`: new targets list it last, dropped ones forget it. */
  noteOwnerLinks(owner: string, attribute: string, ownerRef: Ref, before: readonly Ref[], after: readonly Ref[]): void {
    for (const target of after) {
      if (before.includes(target)) continue;
      const key = `${owner}.${attribute}|${target}`;
      const list = this.inverseOrder.get(key) ?? [];
      if (!list.includes(ownerRef)) this.inverseOrder.set(key, [...list, ownerRef]);
    }
    for (const target of before) {
      if (after.includes(target)) continue;
      const key = `${owner}.${attribute}|${target}`;
      const list = this.inverseOrder.get(key);
      if (list) this.inverseOrder.set(key, list.filter((r) => r !== ownerRef));
    }
  }

  /** A write on the inverse side sets its whole list, in the order given. */
  setInverseList(owner: string, attribute: string, target: Ref, owners: readonly Ref[]): void {
    this.inverseOrder.set(`${owner}.${attribute}|${target}`, [...owners]);
  }

  snapshotInverseOrder(): Map<string, Ref[]> {
    return new Map(this.inverseOrder);
  }

  restoreInverseOrder(saved: Map<string, Ref[]>): void {
    this.inverseOrder.replace(saved);
  }

  now(): string {
    return this.store.now();
  }

  snapshot(): ContentSnapshot {
    return {
      documents: { tables: Object.fromEntries([...this.tables].map(([uid, t]) => [uid, t.snapshot()])), componentIds: Object.fromEntries(this.componentIds), inverseOrder: Object.fromEntries([...this.inverseOrder].map(([key, refs]) => [key, [...refs]])) },
      upload: this.files.snapshot(),
    };
  }

  schema() {
    return contentSchema(this.registry);
  }

  ownTables() {
    return [...this.tables.values(), this.files.files];
  }

  /** A user extension's attributes in users rows (the store's snapshot schema adds them). */
  userAttributes() {
    return userExtensionSchema(this.registry);
  }

  async restore(snapshot: unknown): Promise<void> {
    const s = snapshot as ContentSnapshot | undefined;
    if (s !== undefined && (typeof s !== 'object' || s === null || typeof s.documents !== 'object' || s.documents === null)) throw new Error('snapshot: the content state is malformed');
    for (const [uid, table] of this.tables) {
      const t = s?.documents.tables?.[uid];
      if (t) await table.restore(t);
      else table.clear();
    }
    this.componentIds = new Map(Object.entries(s?.documents.componentIds ?? {}));
    this.inverseOrder.replace(Object.entries(s?.documents.inverseOrder ?? {}).map(([key, refs]) => [key, [...refs]] as const));
    await this.files.restore(s?.upload);
  }

  markSeed(): void {
    for (const table of this.tables.values()) table.mark();
    this.files.files.mark();
    // The lists and blobs are replaced, never changed in place (noteOwnerLinks, setInverseList, uploads): sharing them is safe.
    this.marked = { componentIds: new Map(this.componentIds), inverseOrder: new Map(this.inverseOrder), blobs: new Map(this.files.blobs) };
  }

  async rewind(): Promise<void> {
    const marked = this.marked;
    if (!marked) throw new Error('content: no mark to rewind to');
    for (const table of this.tables.values()) await table.rewind();
    await this.files.files.rewind();
    this.componentIds = new Map(marked.componentIds);
    this.inverseOrder.replace(marked.inverseOrder);
    this.files.blobs.clear();
    for (const [path, blob] of marked.blobs) this.files.blobs.set(path, blob);
  }
}

/** Creates the content state of an emulator and registers it with its store. */
export function installContent(store: Store, opts: ContentOptions): Content {
  return store.extend('content', new Content(store, opts));
}

/** The content state of the emulator a request runs in. */
export function contentOf(store: Store): Content {
  const content = store.extension<Content>('content');
  if (!content) throw new Error('the emulator has no content state (installContent was not called)');
  return content;
}
