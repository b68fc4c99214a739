// What changed since the journal of `--data` last looked (persistence/journal.ts): the seam
// by which a durable write costs the change, not the world. Every write point of the state
// the journal records in parts (a Table's rows, the uploaded bytes, the inverse sides' order)
// notes the key it wrote; a write that replaces the whole (clear, restore) notes `all`.
// Nothing is kept until the journal starts tracking, so an emulator without `--data` pays a
// branch per write and no memory.

export class ChangeSet<K> {
  private tracking = false;
  private keys = new Set<K>();
  private whole = false;

  note(key: K): void {
    if (this.tracking && !this.whole) this.keys.add(key);
  }

  noteAll(): void {
    if (!this.tracking) return;
    this.whole = true;
    this.keys.clear();
  }

  /** Starts (or restarts) tracking with nothing noted: the state as it is now is the journal's. */
  track(): void {
    this.tracking = true;
    this.keys.clear();
    this.whole = false;
  }

  /** What was noted since the last take (and forgets it). */
  take(): { all: boolean; keys: K[] } {
    const taken = { all: this.whole, keys: [...this.keys] };
    this.keys.clear();
    this.whole = false;
    return taken;
  }

  get empty(): boolean {
    return !this.whole && this.keys.size === 0;
  }
}

/** A Map whose writes are noted in `changes` (its values must be replaced, never edited in place). */
export class TrackedMap<K, V> extends Map<K, V> {
  readonly changes = new ChangeSet<K>();

  override set(key: K, value: V): this {
    // Map's constructor calls set() before the field exists.
    this.changes?.note(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.changes.note(key);
    return super.delete(key);
  }

  override clear(): void {
    this.changes.noteAll();
    super.clear();
  }

  /** Replaces every entry (a restore, a failed write's rollback), noting only the keys whose value is not the same one. */
  replace(entries: Iterable<readonly [K, V]>): void {
    const next = new Map(entries);
    for (const key of this.keys()) if (!next.has(key)) this.delete(key);
    for (const [key, value] of next) if (super.get(key) !== value || !super.has(key)) this.set(key, value);
  }
}
