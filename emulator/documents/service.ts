// The document service (v5) and entity service (v4) over the content state: which rows a
// read sees, and creating, updating, publishing and deleting rows the way each major does.
//  v5, draft & publish: a document is a draft row plus, once published, a published row
//    cloned from it (new row id, new component ids, the draft's createdAt/updatedAt). Every
//    write lands on the draft; status=published (the default) then republishes — the old
//    published row goes, a new one (new id) comes. Deleting removes every version.
//  v5 without draft & publish: one row, published on every write.
//  v4: one row per entry; publishedAt null is a draft (draft & publish types only).
// Every operation validates everything first and writes last; component id counters are
// rolled back when it fails half-way, so a failed request leaves no trace.
import { ValidationError } from '../http/errors.js';
import { Links, type Rec, asList } from './links.js';
import type { ModelDef } from './models.js';
import type { Content, Row } from './state.js';
import { KeyedLock } from '../store/keyed-lock.js';
import type { Mode } from './validate.js';
import { Writer } from './write.js';
import { defaultLocale } from '../i18n/locales.js';
import { inLocale } from '../i18n/query.js';

export type ReadScope = {
  /** v5: draft rows instead of published ones (ignored for types without draft & publish). */
  draft?: boolean;
  /** v4: publicationState=preview — drafts too. */
  preview?: boolean;
  /** One locale, several, or (undefined / null) every locale. */
  locale?: string | readonly string[] | null;
};

export class DocumentService {
  readonly links: Links;
  readonly writer: Writer;
  /**
   * The last visible-row list per content type and scope, until its table changes: list
   * requests between writes (most of them) skip the scan of every row.
   */
  private readonly visible = new Map<string, { version: number; rows: readonly Row[] }>();
  /**
   * Writes to one content type, one at a time: the unique and uid checks run on what is stored,
   * and a write awaits between its check and its last insert (v5 stores the draft, then the
   * published version). Writes to other content types go on meanwhile.
   */
  private readonly writes = new KeyedLock();

  constructor(readonly content: Content) {
    this.links = new Links(content);
    this.writer = new Writer(content, this.links);
  }

  get major() {
    return this.content.major;
  }

  /** The rows a read sees, by ascending id (sqlite's order without ORDER BY). Frozen: copy before changing. */
  rows(model: ModelDef, scope: ReadScope): readonly Row[] {
    const table = this.content.table(model.uid);
    const key = `${model.uid}|${scope.draft ? 1 : 0}|${scope.preview ? 1 : 0}|${scope.locale ?? ''}`;
    const cached = this.visible.get(key);
    if (cached && cached.version === table.version) return cached.rows;
    const rows = Object.freeze(table.where((row) => this.sees(model, scope, row)));
    this.visible.set(key, { version: table.version, rows });
    return rows;
  }

  private sees(model: ModelDef, scope: ReadScope, row: Row): boolean {
    if (model.localized && !inLocale(scope.locale, row.locale)) return false;
    if (!model.draftAndPublish) return true;
    if (this.major === 5) return (row.publishedAt === null) === !!scope.draft;
    return scope.preview ? true : row.publishedAt !== null;
  }

  /** v5: the version of a document a read sees; v4: the entry (drafts included, as findOne does). */
  findOne(model: ModelDef, key: string, scope: ReadScope): Row | undefined {
    if (this.major === 5) return this.content.table(model.uid).by('documentId', key).find((row) => this.sees(model, scope, row));
    if (!/^\d+$/.test(key)) return undefined;
    const row = this.content.table(model.uid).get(Number(key));
    if (!row) return undefined;
    if (model.localized && !inLocale(scope.locale, row.locale)) return undefined;
    return row;
  }

  /** The single type's row (any version), if it was ever written. */
  singleTypeRow(model: ModelDef): Row | undefined {
    return this.content.table(model.uid).all()[0];
  }

  private async atomically<T>(model: ModelDef, fn: () => Promise<T>): Promise<T> {
    return this.writes.hold([model.uid], () => this.rollingBack(fn));
  }

  private async rollingBack<T>(fn: () => Promise<T>): Promise<T> {
    const counters = this.content.snapshotComponentIds();
    const inverseOrder = this.content.snapshotInverseOrder();
    try {
      return await fn();
    } catch (error) {
      this.content.restoreComponentIds(counters);
      this.content.restoreInverseOrder(inverseOrder);
      throw error;
    }
  }

  /** Records, for the inverse sides, which targets an owner row's relations gained or lost. */
  private noteLinks(model: ModelDef, before: Row | undefined, after: Row): void {
    const ref = this.links.refOf(model.uid, after);
    for (const [name, attr] of Object.entries(model.attributes)) {
      if (attr.type !== 'relation' || typeof attr.mappedBy === 'string' || !attr.target) continue;
      this.content.noteOwnerLinks(model.uid, name, ref, before ? (asList(before[name]) as Array<number | string>) : [], asList(after[name]) as Array<number | string>);
    }
  }

  private stamps(): string {
    return this.content.now();
  }

  /** v5 create: a draft, published unless status=draft. v4 create: one row (published unless `publishedAt: null`). */
  create(model: ModelDef, data: Record<string, unknown>, opts: { publish: boolean; locale?: string | null; publishedAt?: unknown; documentId?: string }): Promise<Row> {
    return this.atomically(model, async () => {
      const now = this.stamps();
      const table = this.content.table(model.uid);
      const v5 = this.major === 5;
      // v5 i18n: a new locale version joins its document (`documentId`).
      const documentId = opts.documentId ?? this.writer.newDocumentId();
      const locale = model.localized ? (opts.locale ?? defaultLocale(this.content.store)) : undefined;
      let publishedAt: string | null;
      if (v5) publishedAt = model.draftAndPublish ? null : now;
      else if (!model.draftAndPublish) publishedAt = null;
      else publishedAt = opts.publishedAt === undefined ? now : opts.publishedAt === null ? null : parsePublishedAt(opts.publishedAt);
      const isDraft = v5 ? model.draftAndPublish : model.draftAndPublish && publishedAt === null;
      const { stored, inverse } = this.writer.prepare(model, data, { mode: 'creation', isDraft, self: { documentId }, locale });
      const base: Omit<Row, 'id'> = { documentId, ...stored, createdAt: now, updatedAt: now, publishedAt, ...(locale !== undefined ? { locale } : {}) };
      if (v5 && model.draftAndPublish && opts.publish) {
        // Validate the published version before anything is written.
        this.writer.validatePublished(model, base, locale);
        const draft = await table.insert(base);
        this.noteLinks(model, undefined, draft);
        await this.writer.applyInverse(inverse, this.links.refOf(model.uid, draft));
        await this.writer.takeExclusive(model, draft);
        return this.publishRow(model, draft);
      }
      const row = await table.insert(base);
      this.noteLinks(model, undefined, row);
      await this.writer.applyInverse(inverse, this.links.refOf(model.uid, row));
      await this.writer.takeExclusive(model, row);
      return row;
    });
  }

  /** Clones a v5 draft into its (new) published version. */
  private async publishRow(model: ModelDef, draft: Row): Promise<Row> {
    const table = this.content.table(model.uid);
    for (const old of table.by('documentId', draft.documentId)) if (old.publishedAt !== null && (!model.localized || old.locale === draft.locale)) table.delete(old.id);
    const { id: _id, ...rest } = this.writer.cloneComponents(model, draft) as Row;
    return table.insert({ ...rest, publishedAt: this.stamps() });
  }

  /**
   * Updates an entry (v4: by id) or a document (v5: its draft, then republished unless
   * status=draft). Returns undefined when there is nothing to update.
   */
  update(model: ModelDef, target: Row, data: Record<string, unknown>, opts: { publish: boolean; publishedAt?: unknown; hasPublishedAt?: boolean }): Promise<Row> {
    return this.atomically(model, async () => {
      const now = this.stamps();
      const table = this.content.table(model.uid);
      const v5 = this.major === 5;
      let current = target;
      if (v5 && model.draftAndPublish) {
        const draft = table.by('documentId', target.documentId).find((r) => r.publishedAt === null && (!model.localized || r.locale === target.locale));
        if (draft) current = draft;
      }
      const isDraft = v5 ? model.draftAndPublish : model.draftAndPublish && current.publishedAt === null;
      const mode: Mode = 'update';
      const { stored, inverse } = this.writer.prepare(model, data, { mode, isDraft, current, self: { id: current.id, documentId: current.documentId }, locale: current.locale });
      const patch: Partial<Row> = { ...stored, updatedAt: now };
      if (v5 && !model.draftAndPublish) patch.publishedAt = now;
      if (!v5 && model.draftAndPublish && opts.hasPublishedAt) patch.publishedAt = opts.publishedAt === null ? null : parsePublishedAt(opts.publishedAt);
      const next = { ...current, ...patch } as Row;
      if (v5 && model.draftAndPublish && opts.publish) this.writer.validatePublished(model, next, current.locale);
      let row: Row;
      if (v5 && model.draftAndPublish && current.publishedAt !== null) {
        // A document without a draft (only when written behind Strapi's back): start one.
        const { id: _id, ...rest } = next;
        row = await table.insert({ ...rest, publishedAt: null });
      } else {
        row = await replace(table, next);
      }
      this.noteLinks(model, current, row);
      await this.writer.applyInverse(inverse, this.links.refOf(model.uid, row));
      await this.writer.takeExclusive(model, row);
      if (v5 && model.draftAndPublish && opts.publish) return this.publishRow(model, row);
      return row;
    });
  }

  /** Deletes an entry (v4) or every version of a document (v5); returns what was deleted. */
  delete(model: ModelDef, target: Row): Row[] {
    const table = this.content.table(model.uid);
    const victims = this.major === 5 ? table.by('documentId', target.documentId).filter((r) => !model.localized || r.locale === target.locale) : [target];
    for (const v of victims) table.delete(v.id);
    return victims;
  }
}

const services = new WeakMap<Content, DocumentService>();

/** The document service of an emulator's content (one per emulator, like Strapi's). */
export function documentService(content: Content): DocumentService {
  let service = services.get(content);
  if (!service) services.set(content, (service = new DocumentService(content)));
  return service;
}

async function replace(table: ReturnType<Content['table']>, row: Row): Promise<Row> {
  const { id, ...rest } = row;
  const updated = await table.update(id, rest as Partial<Row>);
  // Table.update only sets keys; attributes cleared to undefined do not occur (null is stored).
  return updated ?? row;
}

function parsePublishedAt(value: unknown): string {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new ValidationError('Invalid format, expected a timestamp or an ISO date');
  return date.toISOString();
}

export type { Rec };
