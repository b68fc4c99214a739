// One emulator per state file. Two emulators on one file would each rename their own state over
// the other's, so acknowledged writes of one would vanish at the other's next write. attach
// therefore takes FILE.lock, created exclusively and naming its holder (pid, host). A lock
// whose process is gone (a crash, SIGKILL) is stale and taken over; one held by a live process
// is an error naming it.
import { closeSync, lstatSync, openSync, readFileSync, readlinkSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { StateFileError } from './state-file.js';

/**
 * The state file's real identity: the path every name of it (a symlink, `./x/../file`, a
 * relative path) leads to. The lock is taken there and the writes go there (a rename over a
 * symlink would replace the link with a file of its own). A file not written yet: its
 * folder's real path + its name (a dangling symlink: where it points).
 */
export function realStatePath(file: string): string {
  // Not path.resolve (nor fs.realpathSync, which starts with it): it drops `x/..` by the letters, where the kernel goes to the parent of where x leads.
  let path = isAbsolute(file) ? file : `${process.cwd()}/${file}`;
  for (let hops = 0; hops < 40; hops++) {
    try {
      return realpathSync.native(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new StateFileError(path, `cannot be resolved (${(error as Error).message})`);
    }
    let link: string | undefined;
    try {
      link = lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
    } catch {}
    if (link === undefined) {
      try {
        return join(realpathSync.native(dirname(path)), basename(path));
      } catch (error) {
        throw new StateFileError(path, `cannot be created: its folder ${dirname(path)} ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be resolved (${(error as Error).message})`}`);
      }
    }
    path = isAbsolute(link) ? link : `${dirname(path)}/${link}`;
  }
  throw new StateFileError(path, 'is a loop of symbolic links');
}

/**
 * A state file with another name (a hard link) would be split from it by the first write (a
 * rename makes a new file), so two emulators could each take a lock of their own: refused.
 */
export function refuseHardLinks(file: string): void {
  let links = 1;
  try {
    const stat = lstatSync(file);
    // A folder's links are its subfolders; reading it fails later with a clearer reason.
    if (!stat.isFile()) return;
    links = stat.nlink;
  } catch {
    return;
  }
  if (links > 1) throw new StateFileError(file, `has ${links} names (hard links): every write replaces the file, which would split it from its other names. Give the emulator one name of it (copy it, or use a symbolic link)`);
}

type Holder = { pid: number; host: string; since: string };

const lockPath = (file: string) => `${file}.lock`;

function readHolder(lock: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lock, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? (parsed as Holder) : undefined;
  } catch {
    // Unreadable or half-written (its writer died between create and write): nobody holds it.
    return undefined;
  }
}

/** Whether the holder may still be running: another host cannot be asked, so it counts as alive. */
function alive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes FILE.lock or throws a StateFileError naming its holder; returns the release. */
export function lockStateFile(file: string): () => void {
  const lock = lockPath(file);
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' || attempt > 2) throw new StateFileError(file, `cannot take its lock ${lock} (${(error as Error).message})`);
      const holder = readHolder(lock);
      if (holder && alive(holder)) {
        const who = holder.pid === process.pid && holder.host === me.host ? 'another emulator in this process' : `another emulator (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
        throw new StateFileError(file, `is in use by ${who}. Stop it or use another file; if no emulator uses it, delete ${lock}`);
      }
      try {
        unlinkSync(lock);
      } catch {}
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    break;
  }
  const onExit = () => release();
  process.once('exit', onExit);
  let released = false;
  function release() {
    if (released) return;
    released = true;
    process.removeListener('exit', onExit);
    const holder = readHolder(lock);
    // Only our own lock: a stale-lock takeover by another process must not be undone.
    if (holder && holder.pid === me.pid && holder.host === me.host && holder.since === me.since) {
      try {
        unlinkSync(lock);
      } catch {}
    }
  }
  return release;
}
