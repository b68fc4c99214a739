// The peer dependencies (msw, vitest, jest) are the app's own copies: a version this package was
// not made for fails at import with one line saying what is installed and what is needed, rather
// than handlers that silently match nothing.

/** `major.minor.patch` (a prerelease tail ignored) → numbers, or undefined. */
function parse(version: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

const below = (a: number[], b: number[]) => a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];

/** Within [min, next major of max): the form every peer range of package.json takes. */
export function satisfies(version: string, min: string, maxMajor: number): boolean {
  const v = parse(version);
  const lo = parse(min);
  return !!v && !!lo && !below(v, lo) && v[0] <= maxMajor;
}

export class PeerDependencyError extends Error {}

/** Throws when `installed` is outside `>=min <maxMajor+1`; `installed` undefined: not found. */
export function checkPeer(entry: string, name: string, installed: string | undefined, min: string, maxMajor: number): void {
  if (installed !== undefined && satisfies(installed, min, maxMajor)) return;
  const range = `>=${min} <${maxMajor + 1}`;
  const found = installed === undefined ? `${name} is not installed` : `${name} ${installed} is installed`;
  throw new PeerDependencyError(`${entry} needs ${name} ${range} (a peer dependency: your project's own copy), but ${found}: npm install -D ${name}@${maxMajor}`);
}
