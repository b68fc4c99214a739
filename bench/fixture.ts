// What every target holds before it is measured, written through its own public APIs:
// articles through the content API (POST /api/articles, parallel batches), users through
// register (bcrypt cost 10, as Strapi hashes), and on the emulator also users whose stored hash
// has cost 4 (control API POST /_emulator/users with a passwordHash). For 1k–100k documents there
// is no bulk content route: bulkSnapshot() clones the rows one real create wrote into a
// snapshot, which PUT /_emulator/snapshot (or control.restore) loads in one call.
import bcrypt from 'bcryptjs';
import { createEmulator } from '../emulator/index.js';
import type { StoreSnapshot } from '../emulator/store/store.js';
import { PASSWORD, TOKEN } from './options.js';

/** A fetch bound to one target: `fetch(url + path)` over HTTP, or `app.request(path)` in-process. */
export type Call = (path: string, init?: RequestInit) => Response | Promise<Response>;

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const articleData = (i: number | string) => ({ data: { title: `Article ${i}`, body: `Body of article ${i}` } });

async function ok(res: Response | Promise<Response>, what: string): Promise<Record<string, any>> {
  const r = await res;
  const text = await r.text();
  if (!r.ok) throw new Error(`${what}: ${r.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

/** Runs `task(i)` for i < n, `width` at a time; results in order. */
async function batched<T>(n: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += width) out.push(...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, k) => task(i + k)))));
  return out;
}

/** Creates `n` articles; returns the key GET /api/articles/{key} takes (v5 documentId, v4 id). */
export function seedArticles(call: Call, major: 4 | 5, token: string, n: number): Promise<string[]> {
  return batched(n, 10, async (i) => {
    const { data } = await ok(call('/api/articles', json(articleData(i), bearer(token))), `create article ${i}`);
    return major === 5 ? data.documentId : String(data.id);
  });
}

/** Registers `n` users (password hashed by the target at its own cost); returns identifiers and one JWT. */
export async function registerUsers(call: Call, n: number): Promise<{ identifiers: string[]; jwt: string }> {
  const jwts = await batched(n, 5, async (i) => {
    const body = { username: `bench${i}`, email: `bench${i}@example.com`, password: PASSWORD };
    return (await ok(call('/api/auth/local/register', json(body)), `register bench${i}`)).jwt as string;
  });
  return { identifiers: jwts.map((_, i) => `bench${i}`), jwt: jwts[0] };
}

/** Emulator only: writes `n` users whose stored bcrypt hash has the given cost. */
export async function seedHashedUsers(call: Call, n: number, cost: number): Promise<string[]> {
  const passwordHash = bcrypt.hashSync(PASSWORD, cost);
  return batched(n, 10, async (i) => {
    await ok(call('/_emulator/users', json({ username: `cost${cost}-${i}`, email: `cost${cost}-${i}@example.com`, passwordHash })), `seed user ${i}`);
    return `cost${cost}-${i}`;
  });
}

type TableSnapshot = { nextId: number; rows: Array<Record<string, unknown>> };

/**
 * A snapshot of a fresh emulator (API token TOKEN) holding `n` articles "Article 0".."Article n-1".
 * The rows are clones of those one content-API create wrote (v5: a draft and a published row per
 * document; v4: one row), with their own ids, documentIds, titles and bodies.
 */
export async function bulkSnapshot(major: 4 | 5, n: number): Promise<StoreSnapshot> {
  const emulator = createEmulator({ strapi: major, apiTokens: [{ accessKey: TOKEN, type: 'full-access', name: 'bench' }] });
  await emulator.ready;
  await ok(emulator.app.request('/api/articles', json(articleData(0), bearer(TOKEN))), 'template article');
  const snapshot = emulator.control.snapshot();
  const content = snapshot.extensions?.content as { documents?: { tables?: Record<string, TableSnapshot> } } | undefined;
  const table = content?.documents?.tables?.['api::article.article'];
  if (!table) throw new Error('bulkSnapshot: the snapshot has no extensions.content.documents.tables["api::article.article"] (layout changed?)');
  const template = table.rows;
  const rows: TableSnapshot['rows'] = [];
  let id = 1;
  for (let i = 0; i < n; i++) {
    const documentId = i.toString(36).padStart(24, '0');
    for (const row of template) rows.push({ ...row, id: id++, documentId, ...articleData(i).data });
  }
  table.rows = rows;
  table.nextId = id;
  return snapshot;
}
