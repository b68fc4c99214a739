// The world of `--data`, cut into the parts the journal records: what a write changed, taken
// from the store's change sets (store/changes.ts) in O(change), and how a journal record is
// applied to a plain snapshot (the JSON of store.snapshot()) when the file is loaded.
//
//   tables  every Table (users, roles, permissions, apiTokens, sessions, each content type's
//           rows `content:<uid>`, the media library's `files`): the rows written or deleted
//           since the last record, and the id counter — or the whole table after a restore;
//   maps    the uploaded bytes by URL path (`blobs`) and the inverse sides' order
//           (`inverseOrder`): the entries written or deleted;
//   outbox  the mails sent since (or the whole outbox when it was emptied);
//   values  the small parts written whole when they differ from the last record (rate-limit
//           windows, settings, email templates, component id counters, the clock offset,
//           and every other store extension: webhooks, i18n, any added later).
//
// One part of the world not named here would be lost at a restart, so attach checks that
// the store's snapshot has no top-level part this file does not know (`unknownParts`).
import type { Mail, Store, StoreSnapshot } from '../store/store.js';
import type { Table, TableSnapshot } from '../store/table.js';
import { TrackedMap } from '../store/changes.js';
import { type Content } from '../documents/state.js';
import type { Blob } from '../upload/store.js';
import { isObject } from '../http/context.js';

/** What the state file holds beside the store snapshot and changes with writes. */
export type World = { clockOffset: number; snapshot: StoreSnapshot };

export type TableDelta = { nextId: number; all?: true; put: Array<{ id: number }>; del: number[] };
export type MapDelta = { all?: true; put: Array<[string, unknown]>; del: string[] };
/** One journal record's change (the journal adds `seq`). */
export type Delta = {
  tables?: Record<string, TableDelta>;
  maps?: Record<string, MapDelta>;
  /** Mails appended; with `outboxAll`, the whole outbox. */
  outbox?: Mail[];
  outboxAll?: true;
  values?: Record<string, unknown>;
};

const storeTables = ['users', 'roles', 'permissions', 'apiTokens', 'sessions'] as const;
const storeValues = ['rateLimit', 'advanced', 'emailTemplates'] as const;
const knownParts = new Set<string>([...storeTables, ...storeValues, 'outbox', 'extensions']);

type BlobJson = { mime: string; base64: string; modified?: string };
const blobJson = (b: Blob): BlobJson => ({ mime: b.mime, base64: b.data.toString('base64'), ...(b.modified ? { modified: b.modified } : {}) });

/** The store's top-level snapshot parts the journal would not record (must be none). */
export function unknownParts(snapshot: StoreSnapshot): string[] {
  return Object.keys(snapshot).filter((k) => !knownParts.has(k));
}

export class Sections {
  /** `get` is asked at every take: a table replaced by another object is recorded whole. */
  private readonly tables = new Map<string, { get: () => Table<never, { id: number }>; seen?: Table<never, { id: number }> }>();
  /** `get` is asked at every take: a map replaced by another object (or one that does not track) is recorded whole. */
  private readonly maps = new Map<string, { get: () => Map<string, unknown>; seen?: Map<string, unknown>; encode: (v: never) => unknown }>();
  private readonly values = new Map<string, () => unknown>();
  /** The JSON of each value as the journal last recorded it. */
  private readonly recorded = new Map<string, string>();
  private outbox: { array: Mail[]; length: number; last: Mail | undefined } = { array: [], length: 0, last: undefined };

  /** @param extensions the names of the store's extensions (its snapshot's `extensions` keys). */
  constructor(
    private readonly store: Store,
    extensions: string[],
  ) {
    for (const name of storeTables) this.tables.set(name, { get: () => store[name] as never });
    for (const name of storeValues) this.values.set(name, () => (name === 'rateLimit' ? [...store.rateLimit.entries()] : store[name]));
    this.values.set('clockOffset', () => store.clock.offset);
    const content = store.extension<Content>('content');
    if (content) {
      for (const ct of content.registry.contentTypes) this.tables.set(`content:${ct.uid}`, { get: () => content.table(ct.uid) as never });
      this.tables.set('files', { get: () => content.files.files as never });
      this.maps.set('blobs', { get: () => content.files.blobs as Map<string, unknown>, encode: blobJson as (v: never) => unknown });
      this.maps.set('inverseOrder', { get: () => content.inverseOrder as Map<string, unknown>, encode: (v: never) => v });
      this.values.set('componentIds', () => Object.fromEntries(content.snapshotComponentIds()));
    }
    // Every other extension (webhooks, i18n, …) is small: written whole when it changed.
    for (const name of extensions) if (name !== 'content') this.values.set(`extension:${name}`, () => store.extension(name)!.snapshot());
  }

  /** The world as it is now is what the journal holds: every change set starts empty. */
  baseline(): void {
    for (const section of this.tables.values()) {
      section.seen = section.get();
      section.seen.changes.track();
    }
    for (const section of this.maps.values()) {
      const map = section.get();
      section.seen = map;
      if (map instanceof TrackedMap) map.changes.track();
    }
    for (const [name, read] of this.values) this.recorded.set(name, JSON.stringify(read()));
    const outbox = this.store.outbox;
    this.outbox = { array: outbox, length: outbox.length, last: outbox.at(-1) };
  }

  /** What changed since the last take (or baseline); `undefined` when nothing did. */
  take(): Delta | undefined {
    const delta: Delta = {};
    for (const [name, section] of this.tables) {
      const table = section.get();
      const same = table === section.seen;
      if (same && table.changes.empty) continue;
      const { all, keys } = same ? table.changes.take() : { all: true, keys: [] };
      if (!same) {
        section.seen = table;
        table.changes.track();
      }
      if (all) {
        const { nextId, rows } = table.snapshot();
        (delta.tables ??= {})[name] = { nextId, all: true, put: rows, del: [] };
        continue;
      }
      const put: Array<{ id: number }> = [];
      const del: number[] = [];
      for (const id of keys) {
        const row = table.get(id);
        if (row) put.push(row);
        else del.push(id);
      }
      (delta.tables ??= {})[name] = { nextId: table.nextFreeId, put, del };
    }
    for (const [name, section] of this.maps) {
      const map = section.get();
      const tracked = map === section.seen && map instanceof TrackedMap;
      if (tracked && map.changes.empty) continue;
      const { all, keys } = tracked ? map.changes.take() : { all: true, keys: [] };
      if (!tracked) {
        section.seen = map;
        if (map instanceof TrackedMap) map.changes.track();
      }
      const encode = section.encode;
      const put: Array<[string, unknown]> = [];
      const del: string[] = [];
      for (const key of all ? map.keys() : keys) {
        if (map.has(key)) put.push([key, encode(map.get(key) as never)]);
        else del.push(key);
      }
      (delta.maps ??= {})[name] = { ...(all ? { all: true as const } : {}), put, del };
    }
    const outbox = this.store.outbox;
    const was = this.outbox;
    const appended = outbox === was.array && outbox.length >= was.length && outbox[was.length - 1] === was.last;
    if (!appended) {
      delta.outbox = [...outbox];
      delta.outboxAll = true;
    } else if (outbox.length > was.length) delta.outbox = outbox.slice(was.length);
    this.outbox = { array: outbox, length: outbox.length, last: outbox.at(-1) };
    for (const [name, read] of this.values) {
      const json = JSON.stringify(read());
      if (json === this.recorded.get(name)) continue;
      this.recorded.set(name, json);
      (delta.values ??= {})[name] = JSON.parse(json);
    }
    return Object.keys(delta).length ? delta : undefined;
  }

  /**
   * The whole world as it is now, for a snapshot written in the background: the tables' rows
   * are the stored (frozen) records themselves and the bytes are encoded as they are written,
   * so taking it costs a list of references, not a copy. Right after take(): the values are
   * the ones it recorded.
   */
  capture(): World {
    const s = this.store;
    const value = (name: string) => JSON.parse(this.recorded.get(name) ?? JSON.stringify(this.values.get(name)!()));
    const snapshot: Record<string, unknown> = {};
    for (const name of storeTables) snapshot[name] = s[name].snapshot();
    snapshot.outbox = [...s.outbox];
    for (const name of storeValues) snapshot[name] = value(name);
    const extensions: Record<string, unknown> = {};
    for (const name of this.values.keys()) if (name.startsWith('extension:')) extensions[name.slice('extension:'.length)] = value(name);
    const content = s.extension<Content>('content');
    if (content) {
      extensions.content = {
        documents: {
          tables: Object.fromEntries(content.registry.contentTypes.map((ct) => [ct.uid, content.table(ct.uid).snapshot()])),
          componentIds: value('componentIds'),
          inverseOrder: Object.fromEntries(content.inverseOrder),
        },
        upload: { files: content.files.files.snapshot(), blobs: [...content.files.blobs].map(([path, b]) => ({ path, toJSON: () => ({ path, ...blobJson(b) }) })) },
      };
    }
    snapshot.extensions = extensions;
    return { clockOffset: value('clockOffset') as number, snapshot: snapshot as StoreSnapshot };
  }
}

/** A journal record's shape is wrong: the reason, for the error naming the record. */
export class RecordError extends Error {}

/**
 * Applies journal records to a plain world (parsed from the snapshot file), in order. The
 * rows are gathered by id while applying and put back in id order by `finish()`; nothing is
 * checked against the store's schema here: the caller restores the result, which checks it
 * whole (snapshot-schema.ts) before anything changes.
 */
export class Replay {
  private readonly rows = new Map<string, { table: TableSnapshot<{ id: number }>; byId: Map<number, { id: number }> }>();
  private blobs: Map<string, unknown> | undefined;

  constructor(readonly world: World) {}

  private content(): { documents: { tables: Record<string, TableSnapshot<{ id: number }>>; componentIds: Record<string, number>; inverseOrder: Record<string, unknown> }; upload: { files: TableSnapshot<{ id: number }>; blobs: Array<{ path: string }> } } {
    const extensions = ((this.world.snapshot as { extensions?: Record<string, unknown> }).extensions ??= {});
    const c = (extensions.content ??= {}) as Record<string, any>;
    c.documents ??= {};
    c.documents.tables ??= {};
    c.documents.componentIds ??= {};
    c.documents.inverseOrder ??= {};
    c.upload ??= {};
    c.upload.files ??= { nextId: 1, rows: [] };
    c.upload.blobs ??= [];
    return c as never;
  }

  private table(name: string): { table: TableSnapshot<{ id: number }>; byId: Map<number, { id: number }> } {
    let found = this.rows.get(name);
    if (found) return found;
    const snapshot = this.world.snapshot as unknown as Record<string, TableSnapshot<{ id: number }>>;
    let table: TableSnapshot<{ id: number }>;
    if ((storeTables as readonly string[]).includes(name)) table = snapshot[name] ??= { nextId: 1, rows: [] };
    else if (name === 'files') table = this.content().upload.files;
    else if (name.startsWith('content:')) table = this.content().documents.tables[name.slice('content:'.length)] ??= { nextId: 1, rows: [] };
    else throw new RecordError(`it names a table "${name}" this emulator does not have`);
    if (!isObject(table) || !Array.isArray(table.rows)) throw new RecordError(`the snapshot's table "${name}" is not a table`);
    found = { table, byId: new Map(table.rows.map((r) => [r?.id, r])) };
    this.rows.set(name, found);
    return found;
  }

  apply(delta: Delta): void {
    checkDelta(delta);
    for (const [name, d] of Object.entries(delta.tables ?? {})) {
      const t = this.table(name);
      if (d.all) t.byId.clear();
      for (const row of d.put) t.byId.set(row.id, row);
      for (const id of d.del) t.byId.delete(id);
      t.table.nextId = d.nextId;
    }
    for (const [name, d] of Object.entries(delta.maps ?? {})) {
      if (name === 'blobs') {
        this.blobs ??= new Map(this.content().upload.blobs.map((b) => [b.path, b]));
        if (d.all) this.blobs.clear();
        for (const [path, b] of d.put) this.blobs.set(path, { path, ...(b as object) });
        for (const path of d.del) this.blobs.delete(path);
      } else if (name === 'inverseOrder') {
        const c = this.content().documents;
        if (d.all) c.inverseOrder = {};
        for (const [key, list] of d.put) c.inverseOrder[key] = list;
        for (const key of d.del) delete c.inverseOrder[key];
      } else throw new RecordError(`it names a map "${name}" this emulator does not have`);
    }
    if (delta.outbox) {
      const s = this.world.snapshot as { outbox: Mail[] };
      s.outbox = delta.outboxAll ? delta.outbox : [...(s.outbox ?? []), ...delta.outbox];
    }
    for (const [name, value] of Object.entries(delta.values ?? {})) {
      if (name === 'clockOffset') {
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new RecordError('its clockOffset is not a number');
        this.world.clockOffset = value;
      } else if (name === 'componentIds') this.content().documents.componentIds = value as Record<string, number>;
      else if ((storeValues as readonly string[]).includes(name)) (this.world.snapshot as unknown as Record<string, unknown>)[name] = value;
      else if (name.startsWith('extension:')) (((this.world.snapshot as { extensions?: Record<string, unknown> }).extensions ??= {})[name.slice('extension:'.length)] = value);
      else throw new RecordError(`it names a part "${name}" this emulator does not have`);
    }
  }

  /** The world with every record applied. */
  finish(): World {
    for (const { table, byId } of this.rows.values()) table.rows = [...byId.values()].sort((a, b) => a.id - b.id);
    if (this.blobs) this.content().upload.blobs = [...this.blobs.values()] as Array<{ path: string }>;
    return this.world;
  }
}

/** The record's shape (what apply relies on); the values themselves are the snapshot check's. */
function checkDelta(delta: Delta): void {
  if (!isObject(delta)) throw new RecordError('it is not an object');
  const id = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
  for (const [name, d] of Object.entries(delta.tables ?? {})) {
    if (!isObject(d) || !id(d.nextId) || !Array.isArray(d.put) || !Array.isArray(d.del)) throw new RecordError(`its table "${name}" is not {nextId, put, del}`);
    if (!d.put.every((r) => isObject(r) && id(r.id))) throw new RecordError(`its table "${name}" puts a row without a positive integer id`);
    if (!d.del.every(id)) throw new RecordError(`its table "${name}" deletes an id that is not a positive integer`);
  }
  for (const [name, d] of Object.entries(delta.maps ?? {})) {
    if (!isObject(d) || !Array.isArray(d.put) || !Array.isArray(d.del)) throw new RecordError(`its map "${name}" is not {put, del}`);
    if (!d.put.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string') || !d.del.every((k) => typeof k === 'string')) throw new RecordError(`its map "${name}" has an entry that is not [key, value]`);
  }
  if (delta.outbox !== undefined && !Array.isArray(delta.outbox)) throw new RecordError('its outbox is not a list');
  if (delta.values !== undefined && !isObject(delta.values)) throw new RecordError('its values are not an object');
}
