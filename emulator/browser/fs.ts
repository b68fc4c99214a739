// node:fs in the browser build (scripts/build.mjs): a read-only in-memory file system holding
// what the emulator reads at run time (the spec, the seed permissions, the default content
// types, bundled at build time), plus the files a page adds with addFiles() — so the emulator's
// own loaders run unchanged. Everything that writes is refused with Node's error shape.
import { files as bundled } from './bundled-files.js';

const files = new Map<string, string>(Object.entries(bundled));

const toPath = (p: string | URL) => (typeof p === 'string' ? p : decodeURIComponent(p.pathname)).replace(/\/+$/, '') || '/';

function enoent(syscall: string, path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, ${syscall} '${path}'`), { code: 'ENOENT', syscall, path });
}

function unsupported(name: string) {
  return () => {
    throw Object.assign(new Error(`${name} is not available in the browser build of strapi-emulator`), { code: 'ERR_BROWSER' });
  };
}

/** Adds files (path → text or parsed JSON) under their absolute paths; returns how many. */
export function addFiles(entries: Record<string, unknown>): number {
  for (const [path, content] of Object.entries(entries)) files.set(toPath(path.startsWith('/') ? path : `/${path}`), typeof content === 'string' ? content : JSON.stringify(content));
  return Object.keys(entries).length;
}

const isDir = (path: string) => {
  const prefix = path === '/' ? '/' : `${path}/`;
  for (const name of files.keys()) if (name.startsWith(prefix)) return true;
  return false;
};

export function existsSync(p: string | URL): boolean {
  const path = toPath(p);
  return files.has(path) || isDir(path);
}

export function readFileSync(p: string | URL, _encoding?: unknown): string {
  const path = toPath(p);
  const text = files.get(path);
  if (text === undefined) throw enoent('open', path);
  return text;
}

export function readdirSync(p: string | URL): string[] {
  const path = toPath(p);
  if (!isDir(path)) throw enoent('scandir', path);
  const prefix = path === '/' ? '/' : `${path}/`;
  const names = new Set<string>();
  for (const name of files.keys()) if (name.startsWith(prefix)) names.add(name.slice(prefix.length).split('/')[0]);
  return [...names].sort();
}

export function statSync(p: string | URL) {
  const path = toPath(p);
  const file = files.has(path);
  if (!file && !isDir(path)) throw enoent('stat', path);
  return { isDirectory: () => !file, isFile: () => file, mtimeMs: 0, size: file ? files.get(path)!.length : 0 };
}
export const lstatSync = statSync;
export const realpathSync = (p: string | URL) => toPath(p);

export const writeFileSync = unsupported('writeFileSync');
export const mkdirSync = unsupported('mkdirSync');
export const mkdtempSync = unsupported('mkdtempSync');
export const rmSync = unsupported('rmSync');
export const openSync = unsupported('openSync');
export const closeSync = unsupported('closeSync');
export const writeSync = unsupported('writeSync');
export const unlinkSync = unsupported('unlinkSync');
export const readlinkSync = unsupported('readlinkSync');
export const renameSync = unsupported('renameSync');
export const fsyncSync = unsupported('fsyncSync');
export const createReadStream = unsupported('createReadStream');
export const createWriteStream = unsupported('createWriteStream');
export const promises = { readFile: unsupported('fs.promises'), writeFile: unsupported('fs.promises'), open: unsupported('fs.promises'), rm: unsupported('fs.promises'), unlink: unsupported('fs.promises'), mkdtemp: unsupported('fs.promises') };
export const { readFile, writeFile, open, rm, unlink, mkdtemp } = promises;
export const constants = {};
export default { existsSync, readFileSync, readdirSync, statSync, lstatSync, realpathSync, writeFileSync, mkdirSync, promises };
