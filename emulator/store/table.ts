// One collection of records: an @msw/data Collection (schema validation on every write) with
// an id → record Map beside it that every read goes through. @msw/data does not enforce
// unique ids and its records are immutable, so every write goes through here: ids come from
// our own counter and the Map always holds the record that the last create/update returned.
//
// Reads hand out the stored records themselves, deep-frozen, instead of copies: a list
// request used to copy every visible row before filtering (half its CPU, see
// bench/results/hot-spots.md). Freezing keeps the store safe from a caller that would
// mutate what it read: that throws (ES modules are strict) instead of editing state behind
// the store's back.
import { Collection } from '@msw/data';
import type * as z from 'zod/mini';
import { ChangeSet } from './changes.js';

export type TableSnapshot<T> = { nextId: number; rows: T[] };

/** A deep-frozen plain copy (no @msw/data internals: JSON drops its symbols). */
function frozen<T>(record: T): T {
  return deepFreeze(JSON.parse(JSON.stringify(record)) as T);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export class Table<S extends z.ZodMiniObject, T extends { id: number } = z.infer<S> & { id: number }> {
  private collection: Collection<S>;
  private index = new Map<number, T>();
  /** id → the Collection's own record (update/delete need that object, not our frozen copy). */
  private raw = new Map<number, unknown>();
  /** False once an id was inserted below the highest one: the Map must be re-sorted before a scan. */
  private ordered = true;
  private highestId = 0;
  private nextId = 1;
  /** field → value → (id → record): lookups built on first use, then kept up to date by every write. */
  private lookups = new Map<string, Map<unknown, Map<number, T>>>();
  /** Bumped by every write, so callers can cache what they derive from the table. */
  version = 0;
  /** The ids written since the journal (`--data`) last took them: every write below notes its id. */
  readonly changes = new ChangeSet<number>();

  constructor(
    readonly name: string,
    private readonly schema: S,
  ) {
    this.collection = new Collection({ schema });
  }

  /** Creates a record; `id` is assigned unless given (then it must be free). */
  async insert(data: Omit<T, 'id'> & { id?: number }): Promise<T> {
    const id = data.id ?? this.nextId;
    if (!Number.isInteger(id) || id < 1) throw new Error(`${this.name}: id must be a positive integer, got ${id}`);
    if (this.index.has(id)) throw new Error(`${this.name}: id ${id} is already taken`);
    const stored = await this.collection.create({ ...data, id } as never);
    const created = frozen(stored as unknown as T);
    this.raw.set(id, stored);
    this.nextId = Math.max(this.nextId, id + 1);
    if (id < this.highestId) this.ordered = false;
    this.highestId = Math.max(this.highestId, id);
    this.index.set(id, created);
    this.indexLookups(created);
    this.version++;
    this.changes.note(id);
    return created;
  }

  get(id: number): T | undefined {
    return this.index.get(id);
  }

  has(id: number): boolean {
    return this.index.has(id);
  }

  get size(): number {
    return this.index.size;
  }

  /** The id the next insert gets (snapshot().nextId, without listing the rows). */
  get nextFreeId(): number {
    return this.nextId;
  }

  /** The records in ascending id order (the order sqlite gives without ORDER BY). */
  private rows(): IterableIterator<T> {
    if (!this.ordered) {
      this.index = new Map([...this.index].sort(([a], [b]) => a - b));
      this.ordered = true;
    }
    return this.index.values();
  }

  /** Every record, by ascending id. */
  all(): T[] {
    return [...this.rows()];
  }

  /** Records matching a predicate, by ascending id. */
  where(predicate: (record: T) => boolean): T[] {
    const out: T[] = [];
    for (const record of this.rows()) if (predicate(record)) out.push(record);
    return out;
  }

  first(predicate: (record: T) => boolean): T | undefined {
    for (const record of this.rows()) if (predicate(record)) return record;
    return undefined;
  }

  count(predicate?: (record: T) => boolean): number {
    if (!predicate) return this.index.size;
    let n = 0;
    for (const record of this.index.values()) if (predicate(record)) n++;
    return n;
  }

  /** The records whose `field` equals `value`, by ascending id, through an index (O(matches)). */
  by(field: keyof T & string, value: unknown): T[] {
    let lookup = this.lookups.get(field);
    if (!lookup) {
      lookup = new Map();
      this.lookups.set(field, lookup);
      for (const record of this.rows()) addTo(lookup, record[field], record);
    }
    const found = lookup.get(value);
    if (!found) return [];
    const rows = [...found.values()];
    return rows.length > 1 ? rows.sort((a, b) => a.id - b.id) : rows;
  }

  /** Applies a patch to one record; returns the new record, or undefined when it does not exist. */
  async update(id: number, patch: Partial<Omit<T, 'id'>>): Promise<T | undefined> {
    const current = this.index.get(id);
    if (!current) return undefined;
    const next = (await this.collection.update(this.raw.get(id) as never, {
      data(draft: Record<string, unknown>) {
        for (const [key, value] of Object.entries(patch)) if (value !== undefined) draft[key] = value;
      },
    } as never)) as unknown as T | undefined;
    if (!next) throw new Error(`${this.name}: record ${id} vanished from the collection`);
    const record = frozen(next);
    this.raw.set(id, next);
    this.unindexLookups(current);
    this.index.set(id, record);
    this.indexLookups(record);
    this.version++;
    this.changes.note(id);
    return record;
  }

  /** Deletes one record; returns what was deleted. */
  delete(id: number): T | undefined {
    const current = this.index.get(id);
    if (!current) return undefined;
    this.collection.delete(this.raw.get(id) as never);
    this.raw.delete(id);
    this.index.delete(id);
    this.unindexLookups(current);
    this.version++;
    this.changes.note(id);
    return current;
  }

  clear(): void {
    // A new collection, not Collection.clear(): that deletes record by record with an index scan
    // each (quadratic: 176 s for 100k rows, see bench/results/hot-spots.md).
    this.collection = new Collection({ schema: this.schema });
    this.index.clear();
    this.raw.clear();
    this.lookups.clear();
    this.ordered = true;
    this.highestId = 0;
    this.nextId = 1;
    this.version++;
    this.changes.noteAll();
  }

  snapshot(): TableSnapshot<T> {
    return { nextId: this.nextId, rows: this.all() };
  }

  async restore(snapshot: TableSnapshot<T>): Promise<void> {
    this.clear();
    this.changes.noteAll();
    for (const row of snapshot.rows) await this.insert(row);
    this.nextId = Math.max(snapshot.nextId, this.nextId);
  }

  private indexLookups(record: T): void {
    for (const [field, lookup] of this.lookups) addTo(lookup, record[field as keyof T], record);
  }

  private unindexLookups(record: T): void {
    for (const [field, lookup] of this.lookups) {
      const key = record[field as keyof T];
      const found = lookup.get(key);
      found?.delete(record.id);
      if (found?.size === 0) lookup.delete(key);
    }
  }
}

function addTo<T extends { id: number }>(lookup: Map<unknown, Map<number, T>>, key: unknown, record: T): void {
  let found = lookup.get(key);
  if (!found) lookup.set(key, (found = new Map()));
  found.set(record.id, record);
}
