import { describe, expect, test } from 'vitest';
import { fullAccessToken, setup } from '../testing.js';

describe.each([4, 5] as const)('v%i pipeline', (major) => {
  test('unknown paths: GET → 404 JSON "Not Found"; other methods → 405 text "Method Not Allowed"', async () => {
    const t = await setup({ strapi: major });
    const get = await t.call('GET', '/api/nothing-here', { validate: false });
    expect(get.status).toBe(404);
    expect(get.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(get.body).toEqual({ data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found', details: {} } });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await t.call(method, '/api/nothing-here', { validate: false });
      expect(r.status).toBe(405);
      expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(r.text).toBe('Method Not Allowed');
    }
    // PATCH on an existing route is a 405 too.
    expect((await t.call('PATCH', '/api/users/1', { token: fullAccessToken, validate: false })).status).toBe(405);
  });

  test('every answer carries Strapi’s security and CORS headers; the Origin is echoed', async () => {
    const t = await setup({ strapi: major });
    const r = await t.call('GET', '/api/articles', { headers: { origin: 'https://app.example' } });
    expect(r.headers.get('x-powered-by')).toBe('Strapi <strapi.io>');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(r.headers.get('vary')).toBe('Origin');
    expect(r.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(r.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await t.call('GET', '/api/nope', { validate: false })).headers.get('access-control-allow-origin')).toBe('');
    const preflight = await t.call('OPTIONS', '/api/users', { headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' }, validate: false });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS');
    expect(preflight.headers.get('access-control-max-age')).toBe('31536000');
  });

  test('placeholder documents and upload answer as an empty Strapi would', async () => {
    const t = await setup({ strapi: major });
    expect((await t.call('GET', '/api/articles')).body).toEqual({ data: [], meta: { pagination: { page: 1, pageSize: 25, pageCount: 0, total: 0 } } });
    expect((await t.call('GET', '/api/articles?pagination[page]=2&pagination[pageSize]=10')).body.meta.pagination).toEqual({ page: 2, pageSize: 10, pageCount: 0, total: 0 });
    const id = major === 5 ? 'abcdefghijklmnopqrstuvwx' : '1';
    expect((await t.call('GET', `/api/articles/${id}`)).body.error).toEqual({ status: 404, name: 'NotFoundError', message: 'Not Found', details: {} });
    expect((await t.call('PUT', `/api/articles/${id}`, { token: fullAccessToken, json: { data: { title: 'x' } } })).status).toBe(404);
    expect((await t.call('DELETE', `/api/articles/${id}`, { token: fullAccessToken })).status).toBe(major === 5 ? 204 : 404);
    expect((await t.call('POST', '/api/articles', { token: fullAccessToken, json: {} })).body.error.message).toBe('Missing "data" payload in the request body');
    expect((await t.call('POST', '/api/articles', { json: { data: { title: 'x' } } })).status).toBe(403);
    expect((await t.call('GET', '/api/upload/files', { token: fullAccessToken })).body).toEqual([]);
    expect((await t.call('GET', '/api/upload/files/1', { token: fullAccessToken })).body.error.message).toBe('file.notFound');
    expect((await t.call('DELETE', '/api/upload/files/1', { token: fullAccessToken })).body.error.message).toBe('file.notFound');
    expect((await t.call('POST', '/api/upload', { token: fullAccessToken, json: {} })).body.error.message).toBe('Files are empty');
    expect((await t.call('GET', '/api/upload/files')).status).toBe(403);
  });

  test('garbage never makes a 5xx: odd tokens, paths, methods, queries and bodies', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const tokens = ['', ' ', 'null', 'undefined', '{}', 'Bearer', '..', 'a'.repeat(5000), u.jwt.split('.').reverse().join('.'), `${u.jwt.split('.')[0]}.e30.`, 'eyJhbGciOiJub25lIn0.eyJpZCI6MX0.'];
    const paths = ['/api/users', '/api/users/me', '/api/users/%E0%A4%A', '/api/users-permissions/roles/-1', '/api/users/1e3', '/api/users?filters[$or][0][$and][0][nope]=1', '/api/users?sort[][x]=1', '/api/users?populate[role][populate][x]=1', '/api/users?fields[0][a]=1', '/api/auth/email-confirmation?confirmation[]=a', '/api/users/count?filters=1', '/api/users?filters[role][$in][0]=1'];
    const bodies = ['', '[]', '{}', '{"identifier":{},"password":[]}', '{"email":{"$ne":null}}', '[{"a":1}]', '{"role":{"connect":"x"}}', '{"permissions":"x","name":{}}'];
    for (const token of tokens) {
      for (const path of paths) {
        const r = await t.call('GET', path, { headers: { authorization: `Bearer ${token}` }, validate: false });
        expect(r.status, `GET ${path} with "${token.slice(0, 20)}"`).toBeLessThan(500);
      }
    }
    for (const body of bodies) {
      for (const [method, path] of [['POST', '/api/auth/local'], ['POST', '/api/auth/local/register'], ['POST', '/api/auth/forgot-password'], ['POST', '/api/auth/reset-password'], ['POST', '/api/auth/change-password'], ['POST', '/api/users'], ['PUT', `/api/users/${u.id}`], ['POST', '/api/users-permissions/roles'], ['PUT', '/api/users-permissions/roles/1'], ['POST', '/api/auth/send-email-confirmation']] as const) {
        const token = path.startsWith('/api/auth/change') ? u.jwt : path.startsWith('/api/auth') ? undefined : fullAccessToken;
        const r = await t.call(method, path, { raw: body, token, headers: { 'content-type': 'application/json' }, ip: t.ip(), validate: false });
        expect(r.status, `${method} ${path} ${body}`).toBeLessThan(500);
      }
    }
    for (const method of ['PROPFIND']) expect((await t.call(method, '/api/users', { validate: false })).status).not.toBe(500);
  });
});
