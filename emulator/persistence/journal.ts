// The journal beside the state file: `FILE.journal.<generation>`, append-only, one line per
// record, each framed as `<bytes> <checksum> <json>\n` (the JSON's length in bytes and the
// first 16 hex digits of its sha256). The first line is the header naming the generation;
// every other line is one group commit's change (sections.ts), applied on top of the
// snapshot whose `generation` is the journal's (and of the journals before it).
//
// A record is acknowledged only once appended and fdatasync'ed; a crash in between leaves a
// torn last record (short, or failing its checksum), which reading detects and drops: it was
// never acknowledged. A damaged record with data after it is not a crash's doing: refused.
import { createHash } from 'node:crypto';
import { type FileHandle, open, readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { StateFileError, errnoText, readWhole, syncFolder } from './state-file.js';

export const journalFormat = 'strapi-emulator-journal';
export const journalVersion = 1;

export const journalPath = (file: string, generation: number) => `${file}.journal.${generation}`;

/** The journals beside `file`, by generation (ascending). */
export async function listJournals(file: string): Promise<number[]> {
  const prefix = `${basename(file)}.journal.`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .map((n) => Number(n.slice(prefix.length)))
    .sort((a, b) => a - b);
}

const checksum = (json: string) => createHash('sha256').update(json).digest('hex').slice(0, 16);

/** One record as it is appended. */
export function frame(value: unknown): Buffer {
  const json = JSON.stringify(value);
  return Buffer.from(`${Buffer.byteLength(json)} ${checksum(json)} ${json}\n`);
}

export type JournalRead = {
  generation: number;
  records: unknown[];
  /** Bytes up to the end of the last whole record (where the next append goes). */
  length: number;
  /** Bytes dropped after it: a torn last record (0 when none). */
  torn: number;
};

/**
 * Parses a journal's bytes (`limit`: only that many, the durable part of a journal being
 * appended to). Throws a StateFileError for a journal that is not one or is damaged in the middle.
 */
export function parseJournal(path: string, bytes: Buffer, expected: number): JournalRead {
  const records: unknown[] = [];
  let at = 0;
  let torn = 0;
  while (at < bytes.length) {
    const start = at;
    const bad = (why: string): never => {
      throw new StateFileError(path, `record ${records.length} (at byte ${start}) is damaged (${why}) and the journal goes on after it: this is not a write cut short by a crash. Move the journal away to start from the state file alone, or restore a backup`);
    };
    const space = bytes.indexOf(0x20, at);
    const lengthText = bytes.subarray(at, space === -1 ? Math.min(bytes.length, at + 20) : space).toString('latin1');
    const newline = bytes.indexOf(0x0a, at);
    if (space === -1 || space - at > 12 || !/^\d+$/.test(lengthText)) {
      // No whole frame start: a torn tail when no line follows, damage otherwise.
      if (newline === -1) {
        torn = bytes.length - start;
        break;
      }
      bad('no length');
    }
    const length = Number(lengthText);
    const jsonStart = space + 1 + 16 + 1;
    const end = jsonStart + length;
    if (end + 1 > bytes.length) {
      // Cut short: only a crash during the last append does that.
      torn = bytes.length - start;
      break;
    }
    const sum = bytes.subarray(space + 1, space + 17).toString('latin1');
    const json = bytes.subarray(jsonStart, end).toString('utf8');
    const whole = bytes[end] === 0x0a && bytes[space + 17] === 0x20 && sum === checksum(json);
    if (!whole) {
      if (end + 1 >= bytes.length || isZeros(bytes.subarray(end + 1))) {
        torn = bytes.length - start;
        break;
      }
      bad('its checksum does not match');
    }
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      bad(`not JSON: ${(error as Error).message}`);
    }
    at = end + 1;
    if (records.length === 0 && start === 0) {
      const h = value as { format?: unknown; version?: unknown; generation?: unknown };
      if (h?.format !== journalFormat) throw new StateFileError(path, `not an emulator journal (its first line is not {"format": "${journalFormat}", …})`);
      if (h.version !== journalVersion) throw new StateFileError(path, `journal version ${String(h.version)} is not supported (this emulator reads version ${journalVersion})`);
      if (h.generation !== expected) throw new StateFileError(path, `its header says generation ${String(h.generation)}, its name ${expected}`);
      records.push(value);
      continue;
    }
    records.push(value);
  }
  if (records.length === 0) {
    // Not even a header: a crash while it was being created (nothing was ever appended to it).
    return { generation: expected, records: [], length: 0, torn };
  }
  return { generation: expected, records: records.slice(1), length: at, torn };
}

const isZeros = (b: Buffer) => b.every((x) => x === 0);

/** Reads the durable part of a journal through its handle (`limit` bytes) or, without one, the whole file. */
export async function readJournal(path: string, generation: number, from?: { handle: FileHandle; limit: number }): Promise<JournalRead> {
  let bytes: Buffer;
  try {
    if (from) bytes = await readWhole(from.handle, from.limit);
    else {
      const handle = await open(path, 'r');
      try {
        bytes = await handle.readFile();
      } finally {
        await handle.close();
      }
    }
  } catch (error) {
    throw new StateFileError(path, `cannot be read (${errnoText(error as NodeJS.ErrnoException)})`, (error as NodeJS.ErrnoException).code);
  }
  return parseJournal(path, bytes, generation);
}

const ioError = (path: string, what: string, error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  return new StateFileError(path, `cannot be ${what} (${errnoText(e)})`, e.code);
};

/** How long the write handle stays open after an append (a burst reuses it; a pause lets it go). */
const idleCloseMs = 100;

/**
 * A journal being appended to: `length` is its durable size (what an acknowledged write
 * covers). It stays open for reading (a rollback reads it back even if it is deleted
 * meanwhile); the handle it is written through is closed once the writes pause, so that the
 * emulator does not hold the file system busy while idle (a read-only remount is refused
 * while a file is open for writing).
 */
export class Journal {
  private writer: FileHandle | undefined;
  private idle: NodeJS.Timeout | undefined;

  private constructor(
    readonly path: string,
    readonly generation: number,
    readonly handle: FileHandle,
    public length: number,
    /** Set when an append failed: bytes past `length` may be there; cut before the next one. */
    public dirty = false,
  ) {}

  private static async writing<T>(path: string, flags: string, fn: (w: FileHandle) => Promise<T>): Promise<T> {
    // 0o600 like the state file: records hold password hashes and token keys.
    const w = await open(path, flags, 0o600);
    try {
      return await fn(w);
    } finally {
      await w.close();
    }
  }

  private static async header(w: FileHandle, generation: number): Promise<number> {
    const header = frame({ format: journalFormat, version: journalVersion, generation });
    await w.truncate(0);
    await w.write(header, 0, header.length, 0);
    await w.datasync();
    return header.length;
  }

  /** Creates the journal of a generation (its header durable, and its name in the folder). */
  static async create(file: string, generation: number): Promise<Journal> {
    const path = journalPath(file, generation);
    try {
      const length = await Journal.writing(path, 'wx', (w) => Journal.header(w, generation));
      await syncFolder(path);
      return new Journal(path, generation, await open(path, 'r'), length);
    } catch (error) {
      throw error instanceof StateFileError ? error : ioError(path, 'created', error);
    }
  }

  /** Opens an existing journal to append after its last whole record (a torn tail is cut off first). */
  static async reopen(file: string, read: JournalRead): Promise<Journal> {
    const path = journalPath(file, read.generation);
    try {
      const length = await Journal.writing(path, 'r+', async (w) => {
        // Not even a header (a crash while creating it): written now.
        if (read.length === 0) return Journal.header(w, read.generation);
        if (read.torn) {
          await w.truncate(read.length);
          await w.datasync();
        }
        return read.length;
      });
      return new Journal(path, read.generation, await open(path, 'r'), length);
    } catch (error) {
      throw ioError(path, 'opened for appending', error);
    }
  }

  /** Appends one framed record, durably; on failure nothing past `length` counts (and is cut before the next). */
  async append(record: Buffer): Promise<void> {
    clearTimeout(this.idle);
    try {
      this.writer ??= await open(this.path, 'r+');
      const w = this.writer;
      if (this.dirty) await this.cutWith(w);
      this.dirty = true;
      let written = 0;
      while (written < record.length) written += (await w.write(record, written, record.length - written, this.length + written)).bytesWritten;
      await w.datasync();
    } catch (error) {
      await this.release();
      throw ioError(this.path, 'written', error);
    }
    this.length += record.length;
    this.dirty = false;
    this.idle = setTimeout(() => void this.release(), idleCloseMs).unref();
  }

  private async release(): Promise<void> {
    clearTimeout(this.idle);
    const w = this.writer;
    this.writer = undefined;
    await w?.close().catch(() => undefined);
  }

  private async cutWith(w: FileHandle): Promise<void> {
    await w.truncate(this.length);
    await w.datasync();
    this.dirty = false;
  }

  /** Cuts what a failed append left (best effort: the next append does it too). */
  async cut(): Promise<void> {
    if (!this.dirty) return;
    await Journal.writing(this.path, 'r+', (w) => this.cutWith(w)).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.release();
    await this.handle.close().catch(() => undefined);
  }
}
