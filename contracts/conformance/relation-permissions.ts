// Relation inputs are checked against the caller's `find` on the relation's target: an
// Authenticated user (no users-permissions user.find) writing an article's `author`. Real
// 5.54.0 refuses any value, in every input shape, with 400 "Invalid key author" (after the
// unknown-key check, before the document lookup); real 4.26.2 drops the key without a word.
import { describe, expect, test } from 'vitest';
import type { Contract } from '../target.js';

export type RelationPermissionsContext = { contract(): Contract; register(): Promise<{ id: number; jwt: string }> };

type Doc = { id: number; documentId?: string; attributes?: { author?: { data: { id: number } | null } }; author?: { id: number } | null };

export function relationPermissionScenarios(t: RelationPermissionsContext): void {
  const c = () => t.contract();
  const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const full = () => c().target.apiTokens.fullAccess;
  const send = async (method: string, path: string, token: string, data: unknown) => {
    const r = await c().raw(method, path, { headers: json(token), body: JSON.stringify({ data }) });
    return { status: r.status, body: (await r.json()) as { data: Doc; error?: { message: string; details: unknown } } };
  };
  const key = (d: Doc) => (c().target.major === 5 ? d.documentId! : String(d.id));
  const authorOf = async (d: Doc) => {
    const r = await c().raw('GET', `/api/articles/${key(d)}?populate=author`, { headers: { authorization: `Bearer ${full()}` } });
    const body = (await r.json()) as { data: Doc };
    return c().target.major === 5 ? (body.data.author?.id ?? null) : (body.data.attributes!.author!.data?.id ?? null);
  };
  const refused = { status: 400, name: 'ValidationError', message: 'Invalid key author', details: { key: 'author', path: 'author', source: 'body' } };

  describe('relation input permission checks (author → users without user.find)', () => {
    test('create: id, [ids], {id}, connect, set, disconnect, null, documentId → v5 400 Invalid key author, v4 created without the author', async () => {
      const v5 = c().target.major === 5;
      const me = await t.register();
      const other = await t.register();
      const shapes: unknown[] = [other.id, [other.id], { id: other.id }, { connect: [other.id] }, { connect: [{ id: other.id }] }, { set: [other.id] }, { disconnect: [other.id] }, null, 999999];
      if (v5) {
        const found = await c().raw('GET', `/api/users/${other.id}`, { headers: { authorization: `Bearer ${full()}` } });
        const documentId = ((await found.json()) as { documentId: string }).documentId;
        shapes.push(documentId, { connect: [{ documentId }] });
      }
      for (const author of shapes) {
        const r = await send('POST', '/api/articles', me.jwt, { title: 'restricted', author });
        if (v5) expect({ author, status: r.status, error: r.body.error }).toEqual({ author, status: 400, error: refused });
        else {
          expect(r.status, JSON.stringify(author)).toBe(200);
          expect(await authorOf(r.body.data)).toBeNull();
        }
      }
      // An unknown key is reported first; a full-access token may link the user.
      const foo = await send('POST', '/api/articles', me.jwt, { title: 'restricted', author: other.id, foo: 1 });
      expect(foo.status).toBe(v5 ? 400 : 200);
      if (v5) expect(foo.body.error!.message).toBe('Invalid key foo');
      const linked = await send('POST', '/api/articles', full(), { title: 'linked', author: other.id });
      expect(linked.status).toBe(v5 ? 201 : 200);
      expect(await authorOf(linked.body.data)).toBe(other.id);
    });

    test('update: v5 400 Invalid key author (also for a missing document), v4 200 with the author unchanged', async () => {
      const v5 = c().target.major === 5;
      const me = await t.register();
      const first = await t.register();
      const second = await t.register();
      const base = await send('POST', '/api/articles', full(), { title: 'owned', author: first.id });
      for (const author of [second.id, null, { disconnect: [first.id] }, { set: [second.id] }, { connect: [second.id] }]) {
        const r = await send('PUT', `/api/articles/${key(base.body.data)}`, me.jwt, { title: 'changed', author });
        if (v5) expect({ author, status: r.status, error: r.body.error }).toEqual({ author, status: 400, error: refused });
        else expect(r.status).toBe(200);
        expect(await authorOf(base.body.data)).toBe(first.id);
      }
      const missing = await send('PUT', `/api/articles/${v5 ? 'nosuchdocumentid00000000' : '999999'}`, me.jwt, { title: 'z', author: second.id });
      expect(missing.status).toBe(v5 ? 400 : 404);
    });
  });
}
