// The state file of `--data FILE`: one JSON document holding the whole store snapshot (the
// uploaded bytes as base64, like GET /_emulator/snapshot) plus what lives beside the store
// and must survive a restart too: the clock offset and the users-permissions jwtSecret
// (Strapi writes a generated JWT_SECRET to .env for the same reason: tokens outlive restarts).
// Version 2 adds `generation`: the journals (journal.ts) of that generation and later hold
// the changes made since it was written (durable.ts). Version 1 (no journal) still loads.
// Writes are atomic: a temp file in the same folder, fsync, rename over the target, fsync
// the folder — a crash leaves either the old file or the new one, never a mix.
import { type FileHandle, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Major } from '../config.js';
import type { StoreSnapshot } from '../store/store.js';
import { isObject } from '../http/context.js';

export const stateFormat = 'strapi-emulator-state';
export const stateVersion = 2;

export type StateFile = {
  format: typeof stateFormat;
  version: 1 | typeof stateVersion;
  /** The journals this snapshot is the base of (version 2; a version 1 file has none: 0). */
  generation: number;
  strapi: Major;
  savedAt: string;
  jwtSecret: string;
  /** The control clock's offset (POST /_emulator/clock), in ms. */
  clockOffset: number;
  snapshot: StoreSnapshot;
};

/** A state file that cannot be used: its path and the reason, for one line on stderr. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    /** The errno code of a failed write (ENOSPC, EROFS, …). */
    readonly code?: string,
    /** A write that failed after its rename: the file may hold the state it was writing. */
    readonly renamed = false,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'StateFileError';
  }
}


/** A bare snapshot, as GET /_emulator/snapshot answers it (accepted too, so a saved snapshot can seed a data file). */
function isSnapshot(v: unknown): v is StoreSnapshot {
  return isObject(v) && isObject(v.users) && Array.isArray(v.users.rows) && isObject(v.roles);
}

/** Parses a state file's text; every way it can be wrong is a StateFileError naming the file. */
export function parseStateFile(file: string, text: string): StateFile | { bare: StoreSnapshot } {
  if (text.trim() === '') throw new StateFileError(file, 'the file is empty (a crash cannot leave it so: it was truncated by something else). Delete it to start from the seed, or restore a backup');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(file, `not valid JSON (${(error as Error).message}): the file is truncated or damaged. Delete it to start from the seed, or restore a backup`);
  }
  if (isSnapshot(parsed)) return { bare: parsed };
  if (!isObject(parsed) || parsed.format !== stateFormat) throw new StateFileError(file, `not an emulator state file (expected {"format": "${stateFormat}", …} or a snapshot from GET /_emulator/snapshot)`);
  if (parsed.version !== stateVersion && parsed.version !== 1) throw new StateFileError(file, `state file version ${String(parsed.version)} is not supported (this emulator reads versions 1 and ${stateVersion})`);
  if (parsed.version === 1) parsed.generation = 0;
  else if (!Number.isInteger(parsed.generation) || (parsed.generation as number) < 0) throw new StateFileError(file, '"generation" must be a non-negative integer');
  if (parsed.strapi !== 4 && parsed.strapi !== 5) throw new StateFileError(file, `"strapi" must be 4 or 5, got ${JSON.stringify(parsed.strapi)}`);
  if (typeof parsed.jwtSecret !== 'string' || parsed.jwtSecret === '') throw new StateFileError(file, '"jwtSecret" must be a non-empty string');
  if (typeof parsed.clockOffset !== 'number' || !Number.isFinite(parsed.clockOffset)) throw new StateFileError(file, '"clockOffset" must be a number');
  if (!isSnapshot(parsed.snapshot)) throw new StateFileError(file, '"snapshot" is missing or is not a store snapshot (no users table)');
  return parsed as StateFile;
}

/** Reads a state file; `undefined` when there is none yet. */
export async function readStateFile(file: string): Promise<StateFile | { bare: StoreSnapshot } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return undefined;
    throw new StateFileError(file, `cannot be read (${errnoText(e)})`);
  }
  return parseStateFile(file, text);
}

/** Node's messages already start with the code (`EISDIR: illegal operation…`). */
export const errnoText = (e: NodeJS.ErrnoException) => (e.code && !e.message.startsWith(e.code) ? `${e.code}: ${e.message}` : e.message);

const tempPrefix = (file: string) => `.${basename(file)}.`;
const tempName = (file: string) => join(dirname(file), `${tempPrefix(file)}${process.pid}.tmp`);

/** Writes `text` to `file` atomically and durably (see the header). */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await (await writeAtomicallyKeeping(file, [text])).close();
}

/**
 * Writes the pieces to `file` atomically and durably, yielding to the event loop between
 * them (a big snapshot written in the background does not stall requests). Answers the new
 * file's handle, open for reading: a rollback reads it back even if the file is renamed or
 * deleted meanwhile. `renamed` is called just before the rename with the temp file's inode.
 */
export async function writeAtomicallyKeeping(file: string, pieces: Iterable<string> | AsyncIterable<string>, renamed?: (ino: number) => void): Promise<FileHandle> {
  const temp = tempName(file);
  let handle: FileHandle | undefined;
  let reader: FileHandle | undefined;
  try {
    // 0o600: the file holds password hashes, API token keys and the jwtSecret.
    handle = await open(temp, 'w', 0o600);
    let at = 0;
    let pending: string[] = [];
    let size = 0;
    const flush = async () => {
      const bytes = Buffer.from(pending.join(''));
      pending = [];
      size = 0;
      let written = 0;
      while (written < bytes.length) written += (await handle!.write(bytes, written, bytes.length - written, at + written)).bytesWritten;
      at += bytes.length;
    };
    for await (const piece of pieces) {
      pending.push(piece);
      size += piece.length;
      if (size >= 1 << 20) await flush();
    }
    await flush();
    await handle.sync();
    renamed?.((await handle.stat()).ino);
    // Kept open for reading only: a handle open for writing would hold the file system busy.
    reader = await open(temp, 'r');
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await reader?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    const e = error as NodeJS.ErrnoException;
    throw error instanceof StateFileError ? error : new StateFileError(file, `cannot be written (${errnoText(e)})`, e.code);
  }
  // The rename is durable only once the folder's entry is on disk.
  try {
    await syncFolder(file);
  } catch (error) {
    await reader!.close().catch(() => undefined);
    throw new StateFileError(file, (error as StateFileError).reason, (error as StateFileError).code, true);
  }
  return reader!;
}

/** Makes a new name (a rename, a created file) in `path`'s folder durable. */
export async function syncFolder(path: string): Promise<void> {
  try {
    const folder = await open(dirname(path), 'r');
    try {
      await folder.sync();
    } catch (error) {
      // Some file systems refuse fsync on a directory (EINVAL/EISDIR); the rename is then as durable as they make it.
      if (!['EINVAL', 'EISDIR', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    } finally {
      await folder.close();
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new StateFileError(path, `cannot be made durable (${errnoText(e)})`, e.code);
  }
}

/** Removes temp files left by processes that died mid-write (a live process's are its own). */
export async function removeStaleTemps(file: string): Promise<void> {
  const prefix = tempPrefix(file);
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (!m || alive(Number(m[1]))) continue;
    await unlink(join(dirname(file), name)).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A state file's header (everything but the world). */
export type StateHeader = Pick<StateFile, 'format' | 'version' | 'strapi' | 'savedAt' | 'generation' | 'jwtSecret'>;

/**
 * The state file's text in pieces of about 256 KB, yielding to the event loop between them,
 * so a snapshot of a big world is written without stalling requests. `world` may hold the
 * stored records themselves (they are frozen) and values with toJSON (uploaded bytes).
 */
export async function* stateFilePieces(header: StateHeader, world: { clockOffset: number; snapshot: unknown }): AsyncGenerator<string> {
  const chunk = 1 << 18;
  // Arrays (the rows) are written element by element into chunks of about 256 KB, each chunk
  // one yield and one turn of the event loop; objects above them are walked key by key.
  async function* pieces(value: unknown, depth: number): AsyncGenerator<string> {
    if (Array.isArray(value)) {
      let out = '[';
      for (let i = 0; i < value.length; i++) {
        out += (i ? ',' : '') + (JSON.stringify(value[i]) ?? 'null');
        if (out.length >= chunk) {
          yield out;
          out = '';
          await new Promise((r) => setImmediate(r));
        }
      }
      yield `${out}]`;
      return;
    }
    if (depth < 8 && isObject(value) && typeof value.toJSON !== 'function') {
      let first = true;
      yield '{';
      for (const [key, inner] of Object.entries(value)) {
        if (inner === undefined || typeof inner === 'function') continue;
        yield `${first ? '' : ','}${JSON.stringify(key)}:`;
        first = false;
        yield* pieces(inner, depth + 1);
      }
      yield '}';
      return;
    }
    yield JSON.stringify(value) ?? 'null';
  }
  yield* pieces({ ...header, clockOffset: world.clockOffset, snapshot: world.snapshot }, 0);
}

/** A whole file through a handle, by position (the handle's own position may be anywhere). */
export async function readWhole(handle: FileHandle, limit?: number): Promise<Buffer> {
  const size = limit ?? (await handle.stat()).size;
  const bytes = Buffer.alloc(size);
  let read = 0;
  while (read < size) {
    const { bytesRead } = await handle.read(bytes, read, size - read, read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return bytes.subarray(0, read);
}
