// node:path in the browser build: POSIX paths over the in-memory file system (./fs.ts).
export const sep = '/';
export const delimiter = ':';

function normalizeParts(parts: string[], absolute: boolean): string {
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out.at(-1) !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

export const isAbsolute = (p: string) => p.startsWith('/');
export const normalize = (p: string) => normalizeParts(p.split('/'), isAbsolute(p));
export const join = (...parts: string[]) => normalize(parts.filter((p) => p !== '').join('/') || '.');
export function resolve(...parts: string[]): string {
  let path = '';
  for (let i = parts.length - 1; i >= 0 && !isAbsolute(path); i--) path = parts[i] + (path ? `/${path}` : '');
  return normalizeParts((isAbsolute(path) ? path : `/${path}`).split('/'), true);
}
export function dirname(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '' && p.startsWith('/')) return '/';
  const at = trimmed.lastIndexOf('/');
  return at < 0 ? '.' : at === 0 ? '/' : trimmed.slice(0, at);
}
export function basename(p: string, ext?: string): string {
  const base = p.replace(/\/+$/, '').split('/').pop() ?? '';
  return ext && base.endsWith(ext) && base !== ext ? base.slice(0, -ext.length) : base;
}
export function extname(p: string): string {
  const base = basename(p);
  const at = base.lastIndexOf('.');
  return at <= 0 || base === '..' ? '' : base.slice(at);
}
export function relative(from: string, to: string): string {
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
export const posix = { sep, delimiter, isAbsolute, normalize, join, resolve, dirname, basename, extname, relative };
export default posix;
