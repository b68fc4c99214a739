// Who may touch the world while a change is not yet durable (`--data`). Requests come in two
// kinds: readers and writers. The gate runs phases: any number of readers together, or any
// number of writers together (group commit: they share disk writes), never both. A writer
// leaves the gate only once its change is durable or refused, so a reader never sees a
// change the disk does not hold — it waits for the write phase to end, and when the write
// failed the phase ends with the rollback (`onDrained`). Phases alternate when both kinds
// wait, so neither starves: a waiting reader closes the write phase to new writers, a
// waiting writer closes the read phase to new readers.
export type Kind = 'read' | 'write';

export class Gate {
  private mode: Kind | undefined;
  private active = 0;
  private readonly waiting: Record<Kind, Array<() => void>> = { read: [], write: [] };
  /** Set while the current write phase must take no new writers (a write failed: it ends in a rollback). */
  private sealed = false;

  /** @param onDrained runs when the last writer of a phase leaves, before readers are let in. */
  constructor(private readonly onDrained: () => void | Promise<void>) {}

  /** Seals the current write phase: the writers in it finish, then it ends. */
  seal(): void {
    if (this.mode === 'write') this.sealed = true;
  }

  enter(kind: Kind): void | Promise<void> {
    if (this.mode === undefined || (this.mode === kind && this.open(kind))) {
      this.mode = kind;
      this.active++;
      return;
    }
    return new Promise((resolve) => this.waiting[kind].push(resolve));
  }

  private open(kind: Kind): boolean {
    const other: Kind = kind === 'read' ? 'write' : 'read';
    return this.waiting[other].length === 0 && !(kind === 'write' && this.sealed);
  }

  async leave(): Promise<void> {
    if (--this.active > 0) return;
    if (this.mode === 'write') {
      // Still in the write phase while it settles: nothing gets in until the rollback is done.
      const settling = this.onDrained();
      if (settling) await settling;
      this.sealed = false;
      if (this.active > 0) return;
    }
    const next: Kind | undefined = this.waiting[this.mode === 'read' ? 'write' : 'read'].length ? (this.mode === 'read' ? 'write' : 'read') : this.waiting[this.mode ?? 'read'].length ? this.mode : undefined;
    this.mode = next;
    if (!next) return;
    const admitted = this.waiting[next];
    this.waiting[next] = [];
    this.active += admitted.length;
    for (const resolve of admitted) resolve();
  }
}
