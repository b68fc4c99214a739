// A path-level diff of two JSON values: what the reference (the instance, or the recording)
// answered against what the emulator answered. Object keys are compared as sets (Strapi's key
// order is no behaviour a client sees); arrays by position, since list order is real behaviour.

export type Difference = {
  /** `data[0].title`, `meta.pagination.total`, `` for the whole value. */
  path: string;
  /** What the reference has there; absent when the reference has nothing at that path. */
  expected?: unknown;
  /** What the emulator has there; absent when it has nothing at that path. */
  actual?: unknown;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

/** Every place where `actual` departs from `expected`, at most `limit` of them (a whole subtree that differs in kind is one). */
export function diffValues(expected: unknown, actual: unknown, path = '', limit = 50): Difference[] {
  const out: Difference[] = [];
  walk(expected, actual, path, out, limit);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: Difference[], limit: number): void {
  if (out.length >= limit) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n && out.length < limit; i++) {
      if (i >= b.length) out.push({ path: join(path, i), expected: a[i] });
      else if (i >= a.length) out.push({ path: join(path, i), actual: b[i] });
      else walk(a[i], b[i], join(path, i), out, limit);
    }
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of Object.keys(a)) {
      if (out.length >= limit) return;
      if (!(key in b)) out.push({ path: join(path, key), expected: a[key] });
      else walk(a[key], b[key], join(path, key), out, limit);
    }
    for (const key of Object.keys(b)) if (!(key in a) && out.length < limit) out.push({ path: join(path, key), actual: b[key] });
    return;
  }
  if (!Object.is(a, b)) out.push({ path, expected: a, actual: b });
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

/** One line: `data.title: "a" ≠ "b"`, `data.extra: only on the emulator (1)`. */
export function describeDifference(d: Difference, names: { expected: string; actual: string } = { expected: 'instance', actual: 'emulator' }): string {
  const where = d.path || '(whole body)';
  if (!('actual' in d)) return `${where}: only on the ${names.expected} (${show(d.expected)})`;
  if (!('expected' in d)) return `${where}: only on the ${names.actual} (${show(d.actual)})`;
  return `${where}: ${names.expected} ${show(d.expected)}, ${names.actual} ${show(d.actual)}`;
}
