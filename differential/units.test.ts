// The comparison's parts on their own: the path-level diff, the normalizer, the id map.
import { describe, expect, test } from 'vitest';
import { describeDifference, diffValues } from './compare.js';
import { IdMap, collectionOf } from './mapping.js';
import { normalize } from './normalize.js';
import { compareAnswers } from './replay.js';
import { sampleData, scopeField } from './sample.js';

describe('diffValues', () => {
  test('paths of what differs; object keys as sets, arrays by position', () => {
    expect(diffValues({ a: 1, b: { c: [1, 2] }, 'odd key': 1 }, { b: { c: [2] }, a: 1, d: null, 'odd key': 1 })).toEqual([
      { path: 'b.c[0]', expected: 1, actual: 2 },
      { path: 'b.c[1]', expected: 2 },
      { path: 'd', actual: null },
    ]);
    expect(diffValues({ 'a-b': 1 }, { 'a-b': 2 })[0].path).toBe('["a-b"]');
    expect(diffValues([1, 2], [2, 1])).toHaveLength(2);
    expect(diffValues({ b: 1, a: 2 }, { a: 2, b: 1 })).toEqual([]);
    expect(describeDifference({ path: 'x', expected: 'a' })).toBe('x: only on the instance ("a")');
  });
});

describe('normalize', () => {
  test('ids, stamps, JWTs and upload names are set aside; dates a client wrote and order stay', () => {
    expect(normalize({ roles: [{ id: 1, nb_users: 7 }] }, 'reference')).toEqual({ roles: [{ id: '<id>', nb_users: '<count>' }] });
    const value = { id: 3, createdAt: '2024-01-01T00:00:00.000Z', launchAt: '2024-01-01T00:00:00.000Z', jwt: 'eyJa.eyJb.c', hash: 'x_1', url: '/uploads/x_1.png', list: [2, 1], publishedAt: null };
    expect(normalize(value, 'reference')).toEqual({ id: '<id>', createdAt: '<date>', launchAt: '2024-01-01T00:00:00.000Z', jwt: '<jwt>', hash: '<hash>', url: '/uploads/<hash>.png', list: [2, 1], publishedAt: null });
  });

  test('a documentId the emulator answered reads as the instance documentId it stands for', () => {
    const ids = new IdMap();
    ids.learn('/api/tags', { data: { id: 9, documentId: 'real-doc' } }, { data: { id: 1, documentId: 'emu-doc' } });
    expect(normalize({ documentId: 'emu-doc' }, 'candidate', ids)).toEqual({ documentId: 'real-doc' });
    expect(normalize({ documentId: 'real-doc' }, 'reference', ids)).toEqual({ documentId: 'real-doc' });
    // Linked to a document the map pairs with another: a divergence.
    ids.learn('/api/tags', { data: { documentId: 'real-2' } }, { data: { documentId: 'emu-2' } });
    const d = compareAnswers({ status: 200, headers: {}, body: { json: { documentId: 'real-doc' } } }, { status: 200, headers: {}, body: { json: { documentId: 'emu-2' } } }, ids);
    expect(d).toEqual([{ path: 'body.documentId', expected: 'real-doc', actual: 'real-2' }]);
  });
});

describe('IdMap.rewrite', () => {
  const ids = new IdMap((collection, attr) => (collection === 'gadgets' && attr === 'maker' ? 'makers' : undefined));
  ids.learn('/api/makers', { data: { id: 12, documentId: 'dm' } }, { data: { id: 2, documentId: 'em' } });
  ids.learn('/api/gadgets', { data: [{ id: 12 }] }, { data: [{ id: 5 }] });
  ids.learn('/api/auth/local', { jwt: 'eyJr.eyJr.r', user: { id: 40 } }, { jwt: 'eyJe.eyJe.e', user: { id: 1 } });

  test('path ids by their collection, documentIds anywhere, relation ids in bodies and filters, JWTs', () => {
    expect(ids.rewrite({ method: 'GET', path: '/api/gadgets/12?filters[id][$in][0]=12&filters[maker][id][$eq]=12&x=12', headers: {} }).path).toBe('/api/gadgets/5?filters[id][$in][0]=5&filters[maker][id][$eq]=2&x=12');
    expect(ids.rewrite({ method: 'GET', path: '/api/makers/dm', headers: {} }).path).toBe('/api/makers/em');
    expect(ids.rewrite({ method: 'GET', path: '/api/users/40', headers: { authorization: 'Bearer eyJr.eyJr.r' } })).toEqual({ method: 'GET', path: '/api/users/1', headers: { authorization: 'Bearer eyJe.eyJe.e' } });
    const put = ids.rewrite({ method: 'PUT', path: '/api/gadgets/12', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { maker: 12, stock: 12, tags: ['dm'] } }) });
    expect(JSON.parse(put.body as string)).toEqual({ data: { maker: 2, stock: 12, tags: ['em'] } });
    expect(ids.rewrite({ method: 'POST', path: '/api/gadgets', headers: { 'content-type': 'application/json' }, body: 'not json' }).body).toBe('not json');
  });

  test('collections of API paths', () => {
    expect(['/api/gadgets/1', '/api/upload/files/2', '/api/auth/local', '/api/users-permissions/roles/1', '/health'].map(collectionOf)).toEqual(['gadgets', 'files', 'users', 'roles', undefined]);
  });
});

describe('sample', () => {
  test('values that fit the schema: bounds, regex, enum, components, and a scope field', () => {
    const schemas = { contentTypes: [], components: [{ uid: 'a.b', file: '', attributes: { n: { type: 'integer', max: 3 } } }] };
    const data = sampleData({ s: { type: 'string', maxLength: 8 }, c: { type: 'string', regex: '^#([0-9a-fA-F]{6})$' }, e: { type: 'enumeration', enum: ['x', 'y'] }, k: { type: 'component', component: 'a.b', repeatable: true }, r: { type: 'relation' } }, 'tag-a', schemas, 0);
    expect(data).toEqual({ s: 'tag-a-s', c: '#336699', e: 'y', k: [{ n: 3 }, { n: 3 }] });
    expect(scopeField({ attributes: { n: { type: 'integer' }, color: { type: 'string', regex: 'x' }, title: { type: 'string' } } })).toBe('title');
  });
});
