import { describe, expect, test } from 'vitest';
import { buildSpec, majors } from '../spec/build.js';
import { SpecValidator } from '../contracts/validate.js';

// The 31 operations the integration seed (truto-strapi-tools.txt) exposes, plus login.
const seedOperations = [
  'POST /api/upload', 'GET /api/articles', 'GET /api/articles/{id}', 'POST /api/articles', 'PUT /api/articles/{id}', 'DELETE /api/articles/{id}',
  'GET /api/upload/files', 'GET /api/upload/files/{id}', 'DELETE /api/upload/files/{id}',
  'POST /api/auth/local/register', 'POST /api/auth/forgot-password', 'POST /api/auth/reset-password', 'POST /api/auth/change-password',
  'GET /api/auth/email-confirmation', 'POST /api/auth/send-email-confirmation', 'POST /api/auth/refresh', 'POST /api/auth/logout',
  'GET /api/users', 'GET /api/users/{id}', 'POST /api/users', 'PUT /api/users/{id}', 'DELETE /api/users/{id}', 'GET /api/users/count',
  'GET /api/users-permissions/roles', 'GET /api/users-permissions/roles/{id}', 'POST /api/users-permissions/roles',
  'PUT /api/users-permissions/roles/{id}', 'DELETE /api/users-permissions/roles/{id}', 'GET /api/users-permissions/permissions',
  'GET /api/users/me', 'POST /api/auth/local',
];

describe.each(majors)('the v%i spec', (major) => {
  const spec = buildSpec(major);
  const validator = new SpecValidator(spec);
  const operations = validator.routes.map((r) => r.operation);

  test('covers every operation of the seeds, each once, with unique operationIds', () => {
    expect(seedOperations).toHaveLength(31);
    const served = validator.routes.map((r) => `${r.method} ${r.template}`);
    expect(served).toEqual(expect.arrayContaining(seedOperations));
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
  });

  test('i18n: the locales route, the localized types of the default world, v4 only: their localizations routes', () => {
    const served = validator.routes.filter((r) => /i18n|post|greeting/.test(r.template)).map((r) => `${r.method} ${r.template}`);
    expect(served.sort()).toEqual(
      [
        'GET /api/i18n/locales',
        'GET /api/posts', 'POST /api/posts', 'GET /api/posts/{id}', 'PUT /api/posts/{id}', 'DELETE /api/posts/{id}',
        'GET /api/greeting', 'PUT /api/greeting', 'DELETE /api/greeting',
        ...(major === 4 ? ['POST /api/posts/{id}/localizations', 'POST /api/greeting/localizations'] : []),
      ].sort(),
    );
    const locales = validator.routes.find((r) => r.template === '/api/i18n/locales')!.operation;
    expect(locales['x-strapi-action']).toBe('plugin::i18n.locales.listLocales');
    expect(Object.keys((spec.components.schemas as Record<string, { properties: object }>).Post?.properties ?? (spec.components.schemas as Record<string, { properties: object }>).PostAttributes.properties)).toContain('localizations');
  });

  test('every route Strapi serves names the permission action it checks', () => {
    // The emulator's own operations (/_emulator/*, /openapi.json) are marked x-emulator-control.
    // The admin API (/admin/*, x-strapi-admin) is authenticated by the admin strategy, not by content-API actions.
    const strapiRoutes = validator.routes.filter((r) => !r.operation['x-emulator-control'] && !r.operation['x-strapi-admin']).map((r) => r.operation);
    expect(validator.routes.filter((r) => r.template.startsWith('/admin/')).every((r) => r.operation['x-strapi-admin'])).toBe(true);
    expect(validator.routes.filter((r) => r.template.startsWith('/_emulator/')).every((r) => r.operation['x-emulator-control'])).toBe(true);
    const withoutAction = strapiRoutes.filter((o) => !o['x-strapi-action']).map((o) => o.operationId);
    // v4 has no refresh/logout route at all: only the 405 of the catch-all is documented.
    expect(withoutAction).toEqual(major === 4 ? ['authRefresh', 'authLogout'] : []);
  });

  test('every error answer is the Strapi envelope, and every response schema compiles', () => {
    for (const route of validator.routes) {
      for (const [status, response] of Object.entries(route.operation.responses)) {
        const json = (response.content as Record<string, { schema: { $ref?: string } }> | undefined)?.['application/json'];
        if (Number(status) >= 400 && json) expect(json.schema.$ref, `${route.operation.operationId} ${status}`).toBe(`#/components/schemas/Error${status}`);
      }
    }
    const envelope = JSON.stringify({ data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found', details: {} } });
    const json = new Headers({ 'content-type': 'application/json; charset=utf-8' });
    expect(validator.check({ method: 'GET', url: 'http://h/api/users-permissions/roles/9', status: 404, headers: json, body: envelope }).violations).toEqual([]);
  });

  test('documents are addressed as Strapi v%i addresses them', () => {
    const param = (spec.paths['/api/articles/{id}'].get!.parameters as Array<{ name: string; schema: { type: string } }>)[0];
    expect(param.schema.type).toBe(major === 5 ? 'string' : 'integer');
    const list = spec.components.schemas.ArticleListResponse as { properties: { data: { items: { $ref: string } } } };
    expect(list.properties.data.items.$ref).toBe(major === 5 ? '#/components/schemas/Article' : '#/components/schemas/ArticleEntity');
  });
});

describe('the spec validator', () => {
  const validator = new SpecValidator(buildSpec(5));
  const json = new Headers({ 'content-type': 'application/json; charset=utf-8' });
  const user = { id: 1, documentId: 'abc', username: 'ann', email: 'ann@example.com', provider: 'local', confirmed: true, blocked: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z' };
  const check = (method: string, path: string, status: number, body: unknown, headers = json) =>
    validator.check({ method, url: `http://h${path}`, status, headers, body: body === '' ? '' : JSON.stringify(body) }).violations;

  test('accepts a real answer', () => {
    expect(check('GET', '/api/users/me', 200, user)).toEqual([]);
  });
  test('refuses a leaked password hash', () => {
    expect(check('GET', '/api/users/me', 200, { ...user, password: '$2a$10$x' }).join()).toMatch(/additional properties \(password\)/);
  });
  test('refuses an undocumented status', () => {
    expect(check('GET', '/api/users/me', 502, { data: null, error: {} }).join()).toMatch(/status not documented/);
    // 500 is documented (real Strapi's crash answer), with its exact body.
    expect(check('GET', '/api/users/me', 500, { data: null, error: {} }).join()).toMatch(/must have required/);
  });
  test('refuses a rate-limited answer without the limiter headers', () => {
    const body = { data: null, error: { status: 429, name: 'RateLimitError', message: 'Too many requests, please try again later.', details: {} } };
    expect(check('POST', '/api/auth/local', 429, body).join()).toMatch(/X-RateLimit-Limit missing/);
    const headers = new Headers({ 'content-type': 'application/json', 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1790000000' });
    expect(check('POST', '/api/auth/local', 429, body, headers)).toEqual([]);
  });
  test('refuses the wrong content type, a body on a 204, and an unknown route', () => {
    expect(check('GET', '/api/users/me', 200, user, new Headers({ 'content-type': 'text/html' })).join()).toMatch(/content-type/);
    expect(check('GET', '/api/users/5', 204, { x: 1 }).join()).toMatch(/without a body/);
    expect(check('GET', '/api/nope', 200, {}).join()).toMatch(/not an operation/);
  });
  test('refuses an error that is not the envelope', () => {
    expect(check('GET', '/api/users/me', 403, { error: 'Forbidden' }).length).toBeGreaterThan(0);
  });
});
