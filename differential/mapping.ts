// The ids of one world read as the ids of the other. The reference (the instance, or the
// recording) and the emulator give what they create their own ids, documentIds and JWTs;
// each answer pair teaches the map which stands for which (IdMap.learn), and each request is
// rewritten before it goes to the emulator (IdMap.rewrite): `/api/gadgets/12` becomes
// `/api/gadgets/3` when the emulator created as 3 what the instance created as 12.

export type WireRequest = { method: string; path: string; headers: Record<string, string>; body?: Uint8Array | string };

/** For a collection (`gadgets`, `users`, `files`) and an attribute, the collection its ids belong to (relations, media). */
export type TargetOf = (collection: string, attribute: string) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The collection an API path addresses: `/api/gadgets/3` → gadgets, `/api/upload/files/2` → files, `/api/auth/local` → users. */
export function collectionOf(path: string): string | undefined {
  const parts = path.split('?')[0].split('/').filter(Boolean);
  if (parts[0] !== 'api' || !parts[1]) return undefined;
  if (parts[1] === 'upload') return 'files';
  if (parts[1] === 'auth') return 'users';
  if (parts[1] === 'users-permissions') return parts[2] === 'roles' ? 'roles' : undefined;
  return parts[1];
}

export class IdMap {
  private docs = new Map<string, string>();
  private docsBack = new Map<string, string>();
  private ids = new Map<string, Map<number, number>>();
  private tokens = new Map<string, string>();

  constructor(private readonly targetOf: TargetOf = () => undefined) {}

  referenceDocument(candidate: string): string | undefined {
    return this.docsBack.get(candidate);
  }

  hasReferenceDocument(reference: string): boolean {
    return this.docs.has(reference);
  }

  candidateId(collection: string, reference: number): number | undefined {
    return this.ids.get(collection)?.get(reference);
  }

  /** Learns from one answer pair to a request on `path`: its entries' ids, every documentId pair, JWTs. */
  learn(path: string, reference: unknown, candidate: unknown): void {
    this.walk(reference, candidate);
    const collection = collectionOf(path);
    if (!collection) return;
    const entries = (r: unknown, c: unknown): Array<[unknown, unknown]> => {
      if (isObject(r) && isObject(c)) {
        if ('data' in r && 'data' in c) return entries(r.data, c.data);
        if ('user' in r && 'user' in c) return entries(r.user, c.user);
        return [[r, c]];
      }
      if (Array.isArray(r) && Array.isArray(c)) return r.slice(0, c.length).map((x, i) => [x, c[i]]);
      return [];
    };
    for (const [r, c] of entries(reference, candidate)) {
      if (isObject(r) && isObject(c) && typeof r.id === 'number' && typeof c.id === 'number') this.pairId(collection, r.id, c.id);
    }
  }

  private pairId(collection: string, r: number, c: number): void {
    let m = this.ids.get(collection);
    if (!m) this.ids.set(collection, (m = new Map()));
    if (!m.has(r)) m.set(r, c);
  }

  private walk(r: unknown, c: unknown, key?: string): void {
    if (Array.isArray(r) && Array.isArray(c)) {
      for (let i = 0; i < Math.min(r.length, c.length); i++) this.walk(r[i], c[i], key);
    } else if (isObject(r) && isObject(c)) {
      for (const k of Object.keys(r)) if (k in c) this.walk(r[k], c[k], k);
    } else if (typeof r === 'string' && typeof c === 'string') {
      // A pair is learned once, both ways: a candidate documentId already standing for another is a divergence, not a new pair.
      if (key === 'documentId' && !this.docs.has(r) && !this.docsBack.has(c)) {
        this.docs.set(r, c);
        this.docsBack.set(c, r);
      }
      if ((key === 'jwt' || key === 'refreshToken') && !this.tokens.has(r)) this.tokens.set(r, c);
    }
  }

  /** The request as the emulator must get it: ids, documentIds and JWTs of the reference replaced by the emulator's. */
  rewrite(req: WireRequest): WireRequest {
    const collection = collectionOf(req.path);
    const [pathname, query] = splitQuery(req.path);
    const newPath = pathname
      .split('/')
      .map((seg, i) => (i < 3 ? seg : this.value(decodeURIComponent(seg), collection, true, encodeURIComponent)))
      .join('/');
    const newQuery = query === undefined ? undefined : query.split('&').map((pair) => this.queryPair(pair, collection)).join('&');
    const headers = { ...req.headers };
    const auth = Object.keys(headers).find((h) => h.toLowerCase() === 'authorization');
    if (auth) {
      const m = /^Bearer (.+)$/i.exec(headers[auth]);
      if (m && this.tokens.has(m[1])) headers[auth] = `Bearer ${this.tokens.get(m[1])}`;
    }
    let body = req.body;
    const type = Object.entries(headers).find(([h]) => h.toLowerCase() === 'content-type')?.[1] ?? '';
    if (body !== undefined && /json/i.test(type)) {
      const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
      try {
        body = JSON.stringify(this.body(JSON.parse(text), collection));
      } catch {
        /* not JSON after all: sent as it is */
      }
    }
    return { method: req.method, path: newQuery === undefined ? newPath : `${newPath}?${newQuery}`, headers, ...(body !== undefined ? { body } : {}) };
  }

  /** One value: a known documentId anywhere; a number only where it is an id of `collection`. */
  private value(raw: string, collection: string | undefined, isId: boolean, encode: (s: string) => string = (s) => s): string {
    const doc = this.docs.get(raw);
    if (doc) return encode(doc);
    if (isId && collection && /^\d+$/.test(raw)) {
      const id = this.candidateId(collection, Number(raw));
      if (id !== undefined) return String(id);
    }
    return encode(raw);
  }

  private queryPair(pair: string, collection: string | undefined): string {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair;
    const key = safeDecode(pair.slice(0, eq));
    const raw = safeDecode(pair.slice(eq + 1));
    // `filters[id][$eq]=3`, `filters[id][$in][0]=3`: an id of the path's own collection. A relation's (`filters[maker][id]`) is mapped through its target.
    const parts = [...key.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
    const idAt = parts.indexOf('id');
    let target = collection;
    if (idAt > 0 && collection) target = this.targetOf(collection, parts[idAt - 1]) ?? undefined;
    const mapped = this.value(raw, target, idAt >= 0);
    return mapped === raw ? pair : `${pair.slice(0, eq)}=${encodeURIComponent(mapped)}`;
  }

  private body(value: unknown, collection: string | undefined, attribute?: string): unknown {
    const target = collection && attribute ? this.targetOf(collection, attribute) : undefined;
    const mapNumber = (n: unknown, to: string | undefined) => (typeof n === 'number' && to ? (this.candidateId(to, n) ?? n) : n);
    const relation = (v: unknown): unknown => {
      if (typeof v === 'number') return mapNumber(v, target);
      if (typeof v === 'string') return this.docs.get(v) ?? v;
      if (Array.isArray(v)) return v.map(relation);
      if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'id' ? mapNumber(x, target) : relation(x)]));
      return v;
    };
    if (target) return relation(value);
    if (typeof value === 'string') return this.docs.get(value) ?? value;
    if (Array.isArray(value)) return value.map((v) => this.body(v, collection, attribute));
    if (isObject(value)) {
      // `{data: {...}}`: the attributes of the path's collection; deeper objects (components) keep no ids the map knows.
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'data' && attribute === undefined ? this.attributes(v, collection) : this.body(v, undefined)]));
    }
    return value;
  }

  private attributes(data: unknown, collection: string | undefined): unknown {
    if (!isObject(data)) return this.body(data, undefined);
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, this.body(v, collection, k)]));
  }
}

function splitQuery(path: string): [string, string | undefined] {
  const q = path.indexOf('?');
  return q < 0 ? [path, undefined] : [path.slice(0, q), path.slice(q + 1)];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
