// The files of `--data FILE` and how they change together, so that a crash at any moment
// leaves the last acknowledged world:
//
//   FILE                 the snapshot: a state file (state-file.ts) of generation g;
//   FILE.journal.<n>     for n = g, g+1, …: the changes since, one record per commit (journal.ts).
//
// The world is FILE with its journals applied in order. A commit appends one record to the
// last journal and fdatasyncs it. Compaction, once the journal outgrows the snapshot (and a
// floor): at a commit, the world is captured (the frozen rows by reference), a journal of the
// next generation is created for the commits that follow, and the captured world is written
// as FILE of that generation in the background (temp file, fsync, rename); then the older
// journals are deleted. A crash in between leaves FILE of generation g with both journals:
// still the world. Journals older than FILE's generation are leftovers of a compaction that
// finished: ignored and deleted.
//
// A failed write rolls the world back to what the disk holds, read through the files' open
// handles (the durable length of each journal), so that a file renamed or deleted meanwhile
// does not matter. When the files are gone (their folder deleted) or an append left bytes it
// could not cut, the next commit writes the whole world as a new generation instead.
import type { FileHandle } from 'node:fs/promises';
import { open, stat, unlink } from 'node:fs/promises';
import type { Emulator } from '../index.js';
import { SnapshotError } from '../store/snapshot-schema.js';
import { Journal, type JournalRead, frame, journalPath, listJournals, readJournal } from './journal.js';
import { RecordError, Replay, Sections, type World, unknownParts } from './sections.js';
import { type StateFile, StateFileError, parseStateFile, readStateFile, readWhole, stateFilePieces, stateFormat, stateVersion, writeAtomicallyKeeping } from './state-file.js';
import type { StoreSnapshot } from '../store/store.js';

/** One disk write, as the fault-test seam sees it. */
export type DiskOp = { kind: 'append' | 'snapshot'; path: string };
type Io = (op: DiskOp, write: () => Promise<void>) => Promise<void>;

const defaultCompactBytes = 8 << 20;

type Found = { state: StateFile | { bare: StoreSnapshot }; world: World; reads: JournalRead[]; stale: number[]; records: number };

/** Reads FILE and its journals and applies them (nothing is checked against the store here); undefined when there is no FILE. */
async function readDurable(file: string): Promise<Found | undefined> {
  const state = await readStateFile(file);
  if (!state) return undefined;
  if ('bare' in state) return { state, world: { clockOffset: 0, snapshot: state.bare }, reads: [], stale: [], records: 0 };
  const all = await listJournals(file);
  const generations = all.filter((g) => g >= state.generation);
  generations.forEach((g, i) => {
    if (g !== state.generation + i) throw new StateFileError(journalPath(file, state.generation + i), `is missing, and the journals after it need it (the state file is generation ${state.generation}): restore it, or move the later journals away to start from the state file alone`);
  });
  const replay = new Replay({ clockOffset: state.clockOffset, snapshot: state.snapshot });
  const reads: JournalRead[] = [];
  let records = 0;
  for (const generation of generations) {
    const path = journalPath(file, generation);
    const read = await readJournal(path, generation);
    read.records.forEach((record, i) => {
      try {
        replay.apply(record as never);
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        throw new StateFileError(path, `record ${i + 1} cannot be applied: ${error.message}. Nothing was loaded`);
      }
    });
    records += read.records.length;
    reads.push(read);
  }
  return { state, world: replay.finish(), reads, stale: all.filter((g) => g < state.generation), records };
}

/** The world `--data FILE` holds (the snapshot with its journals applied), as a restart would load it; undefined when there is no FILE. */
export async function readDurableState(file: string): Promise<(World & { generation: number; journals: Array<{ generation: number; records: number; torn: number }> }) | undefined> {
  const found = await readDurable(file);
  if (!found) return undefined;
  return { ...found.world, generation: 'bare' in found.state ? 0 : found.state.generation, journals: found.reads.map((r) => ({ generation: r.generation, records: r.records.length, torn: r.torn })) };
}

async function load(emulator: Emulator, file: string, found: Found): Promise<void> {
  const { state, world } = found;
  if (!('bare' in state) && state.strapi !== emulator.major) throw new StateFileError(file, `holds a Strapi ${state.strapi} world and this emulator is Strapi ${emulator.major} (start it with --strapi ${state.strapi}, or use another file)`);
  const before = emulator.store.snapshot();
  try {
    await emulator.store.restore(world.snapshot);
  } catch (error) {
    await emulator.store.restore(before, { trusted: true });
    const why = error instanceof SnapshotError ? SnapshotError.describe(error.issues, 'bare' in state ? [] : ['snapshot']) : (error as Error).message;
    throw new StateFileError(file, `cannot be restored: ${why}${found.records ? ` (the snapshot with the ${found.records} records of its journal applied; nothing was loaded)` : ''}`);
  }
  if (!('bare' in state)) {
    emulator.store.clock.resetOffset();
    emulator.store.clock.advance(world.clockOffset);
  }
}

export class Durable {
  private readonly sections: Sections;
  private snapshot!: { handle: FileHandle; generation: number; bytes: number; inos: Set<number> };
  /** Journals before the active one still needed (a compaction is running or failed). */
  private sealed: Journal[] = [];
  private active: Journal | undefined;
  private lastGeneration = 0;
  private compaction: Promise<void> | undefined;
  /** Journal bytes at which the next compaction starts. */
  private compactAt = 0;
  /** The next commit writes the whole world (the files are gone, or hold bytes that could not be cut). */
  private rewrite = false;
  private readonly io: Io;
  private readonly compactBytes: number;

  private constructor(
    private readonly emulator: Emulator,
    private readonly file: string,
    opts: { io?: Io; compactBytes?: number },
    extensions: string[],
  ) {
    this.io = opts.io ?? ((_, write) => write());
    this.compactBytes = opts.compactBytes ?? defaultCompactBytes;
    this.sections = new Sections(emulator.store, extensions);
  }

  /** Loads FILE (and its journals) into the emulator, or writes the world when there is none (or it is of an older format). */
  static async open(emulator: Emulator, file: string, opts: { io?: Io; compactBytes?: number }): Promise<Durable> {
    const shape = emulator.store.snapshot();
    const unknown = unknownParts(shape);
    if (unknown.length) throw new Error(`persistence: the store has parts the journal does not record (${unknown.join(', ')}): add them to persistence/sections.ts`);
    const d = new Durable(emulator, file, opts, Object.keys(shape.extensions ?? {}));
    const found = await readDurable(file);
    if (found) await load(emulator, file, found);
    d.sections.baseline();
    const state = found?.state;
    if (!state || 'bare' in state || state.version !== stateVersion) {
      // A new file, a bare snapshot or a version 1 file: written whole in this version's format.
      d.lastGeneration = Math.max(0, ...(await listJournals(file)));
      await d.writeWhole();
      return d;
    }
    try {
      const handle = await open(file, 'r');
      const st = await handle.stat();
      d.snapshot = { handle, generation: state.generation, bytes: st.size, inos: new Set([st.ino]) };
      const reads = found.reads;
      for (const read of reads.slice(0, -1)) d.sealed.push(await Journal.reopen(file, { ...read, torn: 0 }));
      const last = reads.at(-1);
      d.active = last ? await Journal.reopen(file, last) : await Journal.create(file, state.generation);
      d.lastGeneration = d.active.generation;
      for (const g of found.stale) await unlink(journalPath(file, g)).catch(() => undefined);
    } catch (error) {
      await d.close();
      throw error;
    }
    d.compactAt = Math.max(d.compactBytes, d.snapshot.bytes);
    return d;
  }

  private journalBytes(): number {
    return this.sealed.reduce((n, j) => n + j.length, 0) + (this.active?.length ?? 0);
  }

  /** Makes what changed since the last commit durable (or throws: then nothing of it is). */
  async commit(): Promise<void> {
    const delta = this.sections.take();
    if (!delta && !this.rewrite) return;
    if (this.rewrite || !this.active) return this.writeWhole();
    const world = !this.compaction && this.journalBytes() >= this.compactAt ? this.sections.capture() : undefined;
    const active = this.active;
    const record = frame(delta);
    // Whether the files are still there is asked during the append, not before it (one fsync's wait, not two).
    // An append to a journal nobody can read back any more (or one that failed because it is gone) is
    // followed by the whole world, written where the state file belongs.
    const appended = this.io({ kind: 'append', path: active.path }, () => active.append(record)).then(
      () => undefined,
      (error: unknown) => error ?? new Error('the append failed'),
    );
    const [lost, failed] = await Promise.all([this.lost(), appended]);
    if (lost) {
      try {
        return await this.writeWhole();
      } catch (error) {
        // Not durable after all: the record is not part of what a rollback reads back.
        if (!failed && this.active === active) {
          active.length -= record.length;
          active.dirty = true;
        }
        throw error;
      }
    }
    if (failed) throw failed;
    if (world) await this.rotate(world);
  }

  /** Whether the files this commit would append to are gone (deleted, replaced, their folder removed). */
  private async lost(): Promise<boolean> {
    const [file, journal] = await Promise.all([stat(this.file).catch(() => undefined), this.active!.handle.stat().catch(() => undefined)]);
    return !file || !this.snapshot.inos.has(file.ino) || !journal || journal.nlink === 0;
  }

  /** Writes the world as it is as a snapshot of a new generation (durable when it resolves), with a new journal. */
  private async writeWhole(): Promise<void> {
    await this.compacted();
    const generation = this.lastGeneration + 1;
    // What changed until now is in the world written: the change sets start over with it.
    this.sections.take();
    const handle = await this.writeSnapshot(this.sections.capture(), generation);
    // Durable from here on: whatever follows, the commit holds.
    this.lastGeneration = generation;
    this.rewrite = false;
    await this.switchTo(handle, generation);
    try {
      this.active = await Journal.create(this.file, generation);
    } catch (error) {
      this.rewrite = true;
      console.error(`[strapi-emulator] persistence: ${(error as Error).message}; the next write writes the whole state file again`);
    }
    this.compactAt = Math.max(this.compactBytes, this.snapshot.bytes);
  }

  private async writeSnapshot(world: World, generation: number): Promise<FileHandle> {
    const header = { format: stateFormat, version: stateVersion, strapi: this.emulator.major, savedAt: new Date().toISOString(), generation, jwtSecret: this.emulator.config.jwtSecret } as const;
    let handle: FileHandle | undefined;
    await this.io({ kind: 'snapshot', path: this.file }, async () => {
      handle = await writeAtomicallyKeeping(this.file, stateFilePieces(header, world), (ino) => this.snapshot?.inos.add(ino));
    });
    if (!handle) throw new StateFileError(this.file, 'cannot be written (the snapshot write did not run)');
    return handle;
  }

  /** FILE of `generation` is durable: read back through `handle` from now on; older journals go. */
  private async switchTo(handle: FileHandle, generation: number): Promise<void> {
    const old = this.snapshot;
    const st = await handle.stat();
    this.snapshot = { handle, generation, bytes: st.size, inos: new Set([st.ino]) };
    await old?.handle.close().catch(() => undefined);
    const gone = [...this.sealed, ...(this.active ? [this.active] : [])].filter((j) => j.generation < generation);
    this.sealed = this.sealed.filter((j) => j.generation >= generation);
    if (this.active && this.active.generation < generation) this.active = undefined;
    for (const j of gone) {
      await j.close();
      await unlink(j.path).catch(() => undefined);
    }
  }

  /** After the commit that `world` was captured at: new commits go to a new journal, the snapshot is rewritten in the background. */
  private async rotate(world: World): Promise<void> {
    const active = this.active!;
    let next: Journal;
    try {
      next = await Journal.create(this.file, active.generation + 1);
    } catch (error) {
      console.error(`[strapi-emulator] persistence: compaction postponed (${(error as Error).message})`);
      this.compactAt = this.journalBytes() + Math.max(this.compactBytes, this.snapshot.bytes);
      return;
    }
    this.sealed.push(active);
    this.active = next;
    this.lastGeneration = next.generation;
    this.compaction = this.compact(world, next.generation).finally(() => (this.compaction = undefined));
  }

  private async compact(world: World, generation: number): Promise<void> {
    try {
      await this.switchTo(await this.writeSnapshot(world, generation), generation);
      this.compactAt = this.journalBytes() + Math.max(this.compactBytes, this.snapshot.bytes);
    } catch (error) {
      // The journals still hold everything: compaction is tried again once the journal has grown as much again.
      this.compactAt = this.journalBytes() + Math.max(this.compactBytes, this.snapshot.bytes);
      console.error(`[strapi-emulator] persistence: compaction failed (${(error as Error).message}); the journal goes on and it is tried again later`);
    }
  }

  /** Resolves once no compaction is running. */
  async compacted(): Promise<void> {
    while (this.compaction) await this.compaction;
  }

  /** The world back to what the disk holds (after a failed commit; no writer is in). */
  async rollback(error: StateFileError | undefined): Promise<void> {
    await this.compacted();
    await this.active?.cut();
    if (this.active?.dirty) this.rewrite = true;
    const world = await this.readBack();
    const { store } = this.emulator;
    await store.restore(world.snapshot, { trusted: true });
    store.clock.resetOffset();
    store.clock.advance(world.clockOffset);
    this.sections.baseline();
    // A snapshot renamed into place but not made durable may be the refused one: write the durable world over it.
    if (error instanceof StateFileError && error.renamed) this.rewrite = true;
    if (this.rewrite) await this.writeWhole().catch(() => undefined);
  }

  /** The durable world, through the open handles (up to each journal's durable length). */
  private async readBack(): Promise<World> {
    const state = parseStateFile(this.file, (await readWhole(this.snapshot.handle)).toString('utf8')) as StateFile;
    const replay = new Replay({ clockOffset: state.clockOffset, snapshot: state.snapshot });
    for (const j of [...this.sealed, ...(this.active ? [this.active] : [])]) {
      if (j.generation < this.snapshot.generation) continue;
      const read = await readJournal(j.path, j.generation, { handle: j.handle, limit: j.length });
      for (const record of read.records) replay.apply(record as never);
    }
    return replay.finish();
  }

  async close(): Promise<void> {
    await this.compacted();
    await this.snapshot?.handle.close().catch(() => undefined);
    for (const j of [...this.sealed, ...(this.active ? [this.active] : [])]) await j.close();
  }
}
