// One collection of records: an @msw/data Collection (schema validation, predicate queries)
// with an id → record Map beside it for O(1) lookups. @msw/data does not enforce unique ids
// and its records are immutable, so every write goes through here: ids come from our own
// counter and the Map always holds the record that the last create/update returned.
import { Collection } from '@msw/data';
import type { z } from 'zod';

export type TableSnapshot<T> = { nextId: number; rows: T[] };

/** Copies a record into a plain object (no @msw/data internals), so callers can keep it. */
function plain<T>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}

export class Table<S extends z.ZodObject, T extends { id: number } = z.infer<S> & { id: number }> {
  private collection: Collection<S>;
  private index = new Map<number, T>();
  private nextId = 1;

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
    this.nextId = Math.max(this.nextId, id + 1);
    const created = (await this.collection.create({ ...data, id } as never)) as unknown as T;
    this.index.set(id, created);
    return plain(created);
  }

  get(id: number): T | undefined {
    const record = this.index.get(id);
    return record ? plain(record) : undefined;
  }

  has(id: number): boolean {
    return this.index.has(id);
  }

  /** Every record, by ascending id (the order sqlite gives without ORDER BY). */
  all(): T[] {
    return [...this.index.values()].sort((a, b) => a.id - b.id).map(plain);
  }

  /** Records matching a predicate, by ascending id. */
  where(predicate: (record: T) => boolean): T[] {
    return (this.collection.findMany((q) => q.where((r: unknown) => predicate(r as T))) as unknown as T[])
      .sort((a, b) => a.id - b.id)
      .map(plain);
  }

  first(predicate: (record: T) => boolean): T | undefined {
    return this.where(predicate)[0];
  }

  count(predicate?: (record: T) => boolean): number {
    return predicate ? this.where(predicate).length : this.index.size;
  }

  /** Applies a patch to one record; returns the new record, or undefined when it does not exist. */
  async update(id: number, patch: Partial<Omit<T, 'id'>>): Promise<T | undefined> {
    const current = this.index.get(id);
    if (!current) return undefined;
    const next = (await this.collection.update(current as never, {
      data(draft: Record<string, unknown>) {
        for (const [key, value] of Object.entries(patch)) if (value !== undefined) draft[key] = value;
      },
    } as never)) as unknown as T | undefined;
    if (!next) throw new Error(`${this.name}: record ${id} vanished from the collection`);
    this.index.set(id, next);
    return plain(next);
  }

  /** Deletes one record; returns what was deleted. */
  delete(id: number): T | undefined {
    const current = this.index.get(id);
    if (!current) return undefined;
    this.collection.delete(current as never);
    this.index.delete(id);
    return plain(current);
  }

  clear(): void {
    // A new collection, not Collection.clear(): that deletes record by record with an index scan
    // each (quadratic: 176 s for 100k rows, see bench/results/hot-spots.md).
    this.collection = new Collection({ schema: this.schema });
    this.index.clear();
    this.nextId = 1;
  }

  snapshot(): TableSnapshot<T> {
    return { nextId: this.nextId, rows: this.all() };
  }

  async restore(snapshot: TableSnapshot<T>): Promise<void> {
    this.clear();
    for (const row of snapshot.rows) await this.insert(row);
    this.nextId = Math.max(snapshot.nextId, this.nextId);
  }
}
