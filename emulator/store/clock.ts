// Time for one emulator: an injectable source plus an offset the control API can move.
// Token expiry, rate-limit windows and timestamps all read `now()` from here, so tests can
// jump forward without waiting.

export type TimeSource = () => number | Date;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** The current time as Strapi writes it (`2024-01-01T00:00:00.000Z`). */
  iso(): string;
  /** Moves time forward (or back, with a negative value). */
  advance(ms: number): void;
  /** Jumps to an absolute instant. */
  set(at: number | Date | string): void;
  /** Undoes every advance/set. */
  resetOffset(): void;
  readonly offset: number;
}

export function createClock(source: TimeSource = Date.now): Clock {
  let offset = 0;
  // Many writes share a millisecond (a seed of 100k documents stamps each row twice): printed once.
  let printedAt = NaN;
  let printed = '';
  const base = () => {
    const v = source();
    return typeof v === 'number' ? v : v.getTime();
  };
  return {
    now: () => base() + offset,
    iso() {
      const at = this.now();
      if (at !== printedAt) {
        printed = new Date(at).toISOString();
        printedAt = at;
      }
      return printed;
    },
    advance(ms: number) {
      if (!Number.isFinite(ms)) throw new TypeError(`clock.advance expects a finite number of milliseconds, got ${ms}`);
      offset += ms;
    },
    set(at: number | Date | string) {
      const target = typeof at === 'number' ? at : new Date(at).getTime();
      if (!Number.isFinite(target)) throw new TypeError(`clock.set expects a date, got ${String(at)}`);
      offset = target - base();
    },
    resetOffset() {
      offset = 0;
    },
    get offset() {
      return offset;
    },
  };
}
