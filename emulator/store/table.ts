// One collection of records, kept in @msw/data Collections (schema validation on every write;
// the store of record) with our own indexes beside them, which every read goes through.
//
// Why several Collections per table: @msw/data keeps a Collection's records in one array and
// finds a record to update or delete by scanning it (62 ms for an update at 200k rows, see
// bench/results/report.md "Growth"). The table is cut into shards of SHARD ids, each its own
// Collection, so a write scans at most one shard: the cost of a write no longer grows with
// the table. Shards are by id range, which also gives the ascending-id order (the order sqlite
// gives without ORDER BY) without sorting.
//
// One object per record: the Collection's own record, deep-frozen, is what reads hand out
// (a list request used to copy every visible row; a second frozen copy doubled the memory).
// Freezing keeps the store safe from a caller that would mutate what it read: that throws
// (ES modules are strict). @msw/data never edits a stored record in place (an update produces
// a new one), so freezing it is safe.
//
// mark()/rewind(): the seed a reset goes back to. After mark(), each write first remembers
// the record its id had at the mark (an undo log), so rewinding costs the changes since the
// mark, not the size of the table; a rewind after more changes than that (a restore of a
// whole other snapshot) rebuilds from the marked rows instead.
//
// restore() does not hand each row to Collection.create: a restored row was checked already
// (the whole snapshot, before anything changed) or is this table's own frozen record (the
// seed, a rollback), and create's copy and second check of every row were two thirds of
// seeding 100k documents (bench/results/hot-spots.md). A restored row sits in its shard
// "outside" its Collection until its first update, which first adopts it (Collection.create,
// unchecked) so @msw/data applies the update; deleting an outside row needs no Collection.
// The same holds for rows inserted while a world is loading (Store.loading: a seed file):
// checked with the table's schema, as create would, then placed outside. Other inserts and
// every update are the Collection's own.
import { Collection } from '@msw/data';
import type * as z from 'zod/mini';
import { ChangeSet } from './changes.js';

export type TableSnapshot<T> = { nextId: number; rows: T[] };

/** Ids per shard (one @msw/data Collection each): the most rows one write scans. */
const SHARD = 512;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** `outside[i]`: rows[i] was restored and is not in the Collection yet (adopted on its first update). */
type Shard<S extends z.ZodMiniObject, T> = { collection: Collection<S>; rows: Array<T | undefined>; size: number; outside?: Uint8Array };

/** What mark() remembers: the rows then (frozen, shared with the table) and the id counter. */
type Mark<T> = { nextId: number; rows: T[] };

/** Lookup values: one record, or several by ascending id (most values have one: a Map each would triple the memory). */
type Found<T> = T | T[];

export class Table<S extends z.ZodMiniObject, T extends { id: number } = z.infer<S> & { id: number }> {
  private shards = new Map<number, Shard<S, T>>();
  /** The shard numbers, ascending. */
  private order: number[] = [];
  private rowCount = 0;
  private nextId = 1;
  /** field → value → record(s): lookups built on first use, then kept up to date by every write. */
  private lookups = new Map<string, Map<unknown, Found<T>>>();
  private marked: Mark<T> | undefined;
  /** Since mark(): id → its record at the mark (undefined: it had none). null: too many changes, rewind rebuilds. */
  private undo: Map<number, T | undefined> | null = new Map();
  /** Bumped by every write, so callers can cache what they derive from the table. */
  version = 0;
  /** Above 0 while a world is loading (Store.loading): inserts are checked and placed outside the Collections. */
  loading = 0;
  /** Set only while an adoption calls Collection.create (see `gate`). */
  private adopting = false;
  /** Adoptions under way, by id: a second update of the row waits for the same one. */
  private adoptions = new Map<number, Promise<void>>();
  /** What the Collections validate with: the table's schema, except for a row being adopted (checked before). */
  private readonly gate: S;
  private readonly check: S['~standard']['validate'];
  /** The ids written since the journal (`--data`) last took them: every write below notes its id. */
  readonly changes = new ChangeSet<number>();

  /** `indexed`: fields looked up on every request (documentId, username…): indexed from the first insert, not built on first use. */
  constructor(
    readonly name: string,
    schema: S,
    indexed: ReadonlyArray<NoInfer<keyof T & string>> = [],
  ) {
    for (const field of indexed) this.lookups.set(field, new Map());
    const own = schema['~standard'];
    this.check = own.validate;
    this.gate = { '~standard': { ...own, validate: (value: unknown) => (this.adopting ? { value } : own.validate(value)) } } as unknown as S;
  }

  /** Creates a record; `id` is assigned unless given (then it must be free). */
  async insert(data: Omit<T, 'id'> & { id?: number }): Promise<T> {
    const id = data.id ?? this.nextId;
    if (!Number.isInteger(id) || id < 1) throw new Error(`${this.name}: id must be a positive integer, got ${id}`);
    if (this.get(id)) throw new Error(`${this.name}: id ${id} is already taken`);
    const shard = this.shardOf(id, true)!;
    const outside = this.loading > 0;
    const created = deepFreeze((outside ? await this.checked({ ...data, id }) : await shard.collection.create({ ...data, id } as never)) as unknown as T);
    // The create awaited: a concurrent insert may have taken the id meanwhile.
    if (this.get(id)) {
      if (!outside) shard.collection.delete(created as never);
      throw new Error(`${this.name}: id ${id} is already taken`);
    }
    this.remember(id, undefined);
    shard.rows[id % SHARD] = created;
    if (outside) (shard.outside ??= new Uint8Array(SHARD))[id % SHARD] = 1;
    shard.size++;
    this.rowCount++;
    this.nextId = Math.max(this.nextId, id + 1);
    this.indexLookups(created);
    this.version++;
    this.changes.note(id);
    return created;
  }

  /** The table's schema applied as Collection.create applies it (its output is the record). */
  private async checked(data: unknown): Promise<unknown> {
    const result = await this.check(data);
    if (result.issues) throw new Error(`${this.name}: the record does not match the schema: ${result.issues.map((i) => `${(i.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)).join('.') || '(record)'}: ${i.message}`).join('; ')}`);
    return result.value;
  }

  get(id: number): T | undefined {
    if (!Number.isInteger(id) || id < 1) return undefined;
    return this.shards.get(Math.floor(id / SHARD))?.rows[id % SHARD];
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  get size(): number {
    return this.rowCount;
  }

  /** The id the next insert gets (snapshot().nextId, without listing the rows). */
  get nextFreeId(): number {
    return this.nextId;
  }

  /** The records in ascending id order. */
  private *rows(): IterableIterator<T> {
    for (const n of this.order) {
      const rows = this.shards.get(n)!.rows;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (row !== undefined) yield row;
      }
    }
  }

  /** Every record, by ascending id. */
  all(): T[] {
    const out: T[] = new Array(this.rowCount);
    let k = 0;
    for (const n of this.order) for (const row of this.shards.get(n)!.rows) if (row !== undefined) out[k++] = row;
    return out;
  }

  /** Records matching a predicate, by ascending id. */
  where(predicate: (record: T) => boolean): T[] {
    const out: T[] = [];
    for (const n of this.order) for (const row of this.shards.get(n)!.rows) if (row !== undefined && predicate(row)) out.push(row);
    return out;
  }

  first(predicate: (record: T) => boolean): T | undefined {
    for (const record of this.rows()) if (predicate(record)) return record;
    return undefined;
  }

  count(predicate?: (record: T) => boolean): number {
    if (!predicate) return this.rowCount;
    let n = 0;
    for (const record of this.rows()) if (predicate(record)) n++;
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
    return found === undefined ? [] : Array.isArray(found) ? [...found] : [found];
  }

  /** How many distinct values `field` holds (through its index). */
  distinct(field: keyof T & string): number {
    this.by(field, undefined);
    return this.lookups.get(field)!.size;
  }

  /** The first record (lowest id) whose `field` equals `value`. */

  one(field: keyof T & string, value: unknown): T | undefined {
    return this.by(field, value)[0];
  }

  /** Applies a patch to one record; returns the new record, or undefined when it does not exist. */
  async update(id: number, patch: Partial<Omit<T, 'id'>>): Promise<T | undefined> {
    await this.adopted(id);
    const current = this.get(id);
    if (!current) return undefined;
    const shard = this.shardOf(id, false)!;
    const next = (await shard.collection.update(current as never, {
      data(draft: Record<string, unknown>) {
        for (const [key, value] of Object.entries(patch)) if (value !== undefined) draft[key] = value;
      },
    } as never)) as unknown as T | undefined;
    if (!next) throw new Error(`${this.name}: record ${id} vanished from the collection`);
    // Two updates of one record that overlap: the later one's base is gone; the collection holds `next`.
    const record = deepFreeze(next);
    const now = this.get(id);
    if (now === undefined) {
      shard.collection.delete(record as never);
      return undefined;
    }
    this.remember(id, current);
    this.unindexLookups(now);
    shard.rows[id % SHARD] = record;
    this.indexLookups(record);
    this.version++;
    this.changes.note(id);
    return record;
  }

  /** Deletes one record; returns what was deleted. */
  delete(id: number): T | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    this.remember(id, current);
    const n = Math.floor(id / SHARD);
    const shard = this.shards.get(n)!;
    if (shard.outside?.[id % SHARD]) shard.outside[id % SHARD] = 0;
    else shard.collection.delete(current as never);
    shard.rows[id % SHARD] = undefined;
    if (--shard.size === 0) {
      this.shards.delete(n);
      this.order.splice(this.order.indexOf(n), 1);
    }
    this.rowCount--;
    this.unindexLookups(current);
    this.version++;
    this.changes.note(id);
    return current;
  }

  clear(): void {
    // New collections, not Collection.clear(): that deletes record by record with an index
    // scan each (quadratic: 176 s for 100k rows).
    if (this.rowCount > 0) this.undo = null;
    this.shards = new Map();
    this.order = [];
    this.rowCount = 0;
    // The lookups in use stay, emptied: a restore fills them as it inserts, instead of the first
    // read after it rebuilding one from the whole table (160 ms at 200k rows).
    for (const field of this.lookups.keys()) this.lookups.set(field, new Map());
    this.nextId = 1;
    this.version++;
    this.changes.noteAll();
  }

  /** The rows (frozen, shared: a snapshot costs an array of references) and the id counter. */
  snapshot(): TableSnapshot<T> {
    return { nextId: this.nextId, rows: this.all() };
  }

  /** Replaces the rows with a snapshot's: checked ones (a checked snapshot's, or this table's own), kept outside the Collections. */
  async restore(snapshot: TableSnapshot<T>): Promise<void> {
    this.clear();
    this.changes.noteAll();
    // Rows placed without the undo log: rewind rebuilds from the mark (not when rewind itself restores).
    if (this.undo) this.undo = null;
    for (const row of snapshot.rows) {
      const id = row.id;
      if (!Number.isInteger(id) || id < 1) throw new Error(`${this.name}: id must be a positive integer, got ${id}`);
      if (this.get(id)) throw new Error(`${this.name}: id ${id} is already taken`);
      const shard = this.shardOf(id, true)!;
      const record = deepFreeze(row);
      shard.rows[id % SHARD] = record;
      (shard.outside ??= new Uint8Array(SHARD))[id % SHARD] = 1;
      shard.size++;
      this.rowCount++;
      if (id >= this.nextId) this.nextId = id + 1;
      this.indexLookups(record);
    }
    this.version++;
    this.nextId = Math.max(snapshot.nextId, this.nextId);
  }

  /** Before an update: a restored row enters its Collection (once; concurrent updates wait for the same adoption). */
  private async adopted(id: number): Promise<void> {
    const shard = this.shardOf(id, false);
    if (!shard?.outside?.[id % SHARD]) return;
    let pending = this.adoptions.get(id);
    if (!pending) {
      pending = this.adopt(shard, id).finally(() => this.adoptions.delete(id));
      this.adoptions.set(id, pending);
    }
    await pending;
  }

  private async adopt(shard: Shard<S, T>, id: number): Promise<void> {
    const i = id % SHARD;
    const row = shard.rows[i]!;
    // The gate lets the row through unchecked: create calls validate before its first await.
    this.adopting = true;
    let creating: Promise<unknown>;
    try {
      creating = shard.collection.create(row as never);
    } finally {
      this.adopting = false;
    }
    const created = deepFreeze((await creating) as unknown as T);
    // Deleted, replaced or cleared meanwhile: the copy must not stay in the Collection.
    if (this.shards.get(Math.floor(id / SHARD)) !== shard || shard.rows[i] !== row) {
      shard.collection.delete(created as never);
      return;
    }
    shard.outside![i] = 0;
    shard.rows[i] = created;
    this.unindexLookups(row);
    this.indexLookups(created);
  }

  /** Remembers the current rows as what rewind() goes back to. */
  mark(): void {
    this.marked = { nextId: this.nextId, rows: this.all() };
    this.undo = new Map();
  }

  /** Back to the rows of the last mark(): undoes the changes since, or rebuilds when there were too many. */
  async rewind(): Promise<void> {
    const mark = this.marked;
    if (!mark) throw new Error(`${this.name}: no mark to rewind to`);
    const undo = this.undo;
    if (undo === null) {
      this.undo = undefined as never;
      await this.restore(mark);
    } else {
      this.undo = undefined as never; // the undoing itself is not logged
      for (const [id, was] of undo) {
        const now = this.get(id);
        if (now === was) continue;
        if (now !== undefined) this.delete(id);
        if (was !== undefined) await this.insert(was);
      }
    }
    this.nextId = mark.nextId;
    this.undo = new Map();
    this.version++;
  }

  /** Before the first change of `id` since the mark: what it held. */
  private remember(id: number, was: T | undefined): void {
    const undo = this.undo;
    if (!undo || undo.has(id)) return;
    // Past half the marked rows (and a shard's worth), rebuilding is as cheap as undoing.
    if (undo.size >= Math.max(SHARD, (this.marked?.rows.length ?? 0) / 2)) this.undo = null;
    else undo.set(id, was);
  }

  private shardOf(id: number, create: boolean): Shard<S, T> | undefined {
    const n = Math.floor(id / SHARD);
    let shard = this.shards.get(n);
    if (!shard && create) {
      shard = { collection: new Collection({ schema: this.gate }), rows: [], size: 0 };
      this.shards.set(n, shard);
      const order = this.order;
      if (order.length === 0 || order[order.length - 1] < n) order.push(n);
      else order.splice(lowerBound(order, n), 0, n);
    }
    return shard;
  }

  private indexLookups(record: T): void {
    for (const [field, lookup] of this.lookups) addTo(lookup, record[field as keyof T], record);
  }

  private unindexLookups(record: T): void {
    for (const [field, lookup] of this.lookups) {
      const key = record[field as keyof T];
      const found = lookup.get(key);
      if (found === undefined) continue;
      if (!Array.isArray(found)) {
        if (found.id === record.id) lookup.delete(key);
        continue;
      }
      const kept = found.filter((r) => r.id !== record.id);
      lookup.set(key, kept.length === 1 ? kept[0] : kept);
    }
  }
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function addTo<T extends { id: number }>(lookup: Map<unknown, Found<T>>, key: unknown, record: T): void {
  const found = lookup.get(key);
  if (found === undefined) lookup.set(key, record);
  else if (!Array.isArray(found)) lookup.set(key, found.id < record.id ? [found, record] : [record, found]);
  else {
    const at = found.findIndex((r) => r.id > record.id);
    if (at === -1) found.push(record);
    else found.splice(at, 0, record);
  }
}
