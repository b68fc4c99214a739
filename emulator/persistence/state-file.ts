// The state file of `--data FILE`: one JSON document holding the whole store snapshot (the
// uploaded bytes as base64, like GET /_emulator/snapshot) plus what lives beside the store
// and must survive a restart too: the clock offset and the users-permissions jwtSecret
// (Strapi writes a generated JWT_SECRET to .env for the same reason: tokens outlive restarts).
// Writes are atomic: a temp file in the same folder, fsync, rename over the target, fsync
// the folder — a crash leaves either the old file or the new one, never a mix.
import { open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Major } from '../config.js';
import type { StoreSnapshot } from '../store/store.js';
import { isObject } from '../http/context.js';

export const stateFormat = 'strapi-emulator-state';
export const stateVersion = 1;

export type StateFile = {
  format: typeof stateFormat;
  version: typeof stateVersion;
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
  if (parsed.version !== stateVersion) throw new StateFileError(file, `state file version ${String(parsed.version)} is not supported (this emulator reads version ${stateVersion})`);
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
const errnoText = (e: NodeJS.ErrnoException) => (e.code && !e.message.startsWith(e.code) ? `${e.code}: ${e.message}` : e.message);

const tempPrefix = (file: string) => `.${basename(file)}.`;
const tempName = (file: string) => join(dirname(file), `${tempPrefix(file)}${process.pid}.tmp`);

/** Writes `text` to `file` atomically and durably (see the header). */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = tempName(file);
  try {
    // 0o600: the file holds password hashes, API token keys and the jwtSecret.
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const e = error as NodeJS.ErrnoException;
    throw new StateFileError(file, `cannot be written (${errnoText(e)})`, e.code);
  }
  // The rename is durable only once the folder's entry is on disk.
  try {
    const folder = await open(dirname(file), 'r');
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
    throw new StateFileError(file, `cannot be made durable (${errnoText(e)})`, e.code, true);
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
