// Check-then-write sections that must not interleave across an await (a password hash, an
// insert): two requests that claim one unique value run one after the other, in the order
// they arrived (the first wins, as on real Strapi, whose database serialises them); requests
// with no key in common run side by side.

export class KeyedLock {
  /** key → the section that claimed it last (it settles when that section ends). */
  private tails = new Map<string, Promise<void>>();

  async hold<T>(keys: Iterable<string>, section: () => Promise<T> | T): Promise<T> {
    const claimed = [...new Set(keys)];
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    // Every key is claimed before the first await, so a section only ever waits for earlier ones: no deadlock.
    const earlier = claimed.map((key) => this.tails.get(key)).filter((p) => p !== undefined);
    for (const key of claimed) this.tails.set(key, mine);
    try {
      if (earlier.length) await Promise.all(earlier);
      return await section();
    } finally {
      release();
      for (const key of claimed) if (this.tails.get(key) === mine) this.tails.delete(key);
    }
  }

  /** Keys that are claimed right now (for tests: nothing is left behind). */
  get size(): number {
    return this.tails.size;
  }
}
