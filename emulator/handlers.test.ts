import { describe, expect, test } from 'vitest';
import { buildSpec, majors } from '../spec/build.js';
import type { Operation } from '../spec/openapi.js';
import { bindHandlers, handlersFor } from './handlers.js';
import { specRoutes } from './spec.js';

describe.each(majors)('v%i routing', (major) => {
  const spec = buildSpec(major);
  const operations = specRoutes(spec).operations;

  test('every spec operation has exactly one handler, and every handler an operation', () => {
    const bound = bindHandlers(major, operations);
    expect(Object.keys(bound).sort()).toEqual(operations.map((o) => o.operationId).sort());
    const documentOps = operations.filter((o) => o['x-strapi-content-type']).map((o) => o.operationId);
    expect(Object.keys(handlersFor(major)).sort()).toEqual(operations.map((o) => o.operationId).filter((id) => !documentOps.includes(id)).sort());
  });

  test('start-up fails on an operation without a handler', () => {
    const extra: Operation = { operationId: 'somethingNew', summary: 'x', tags: [], responses: {} };
    expect(() => bindHandlers(major, [...operations, extra])).toThrow(/no handler for the spec operations somethingNew/);
  });

  test('start-up fails on a handler whose operation is gone', () => {
    expect(() => bindHandlers(major, operations.filter((o) => o.operationId !== 'usersMe'))).toThrow(/operations the spec does not have: usersMe/);
  });

  test('routing is case-insensitive and tolerates a trailing slash, like koa-router', () => {
    const routes = specRoutes(spec);
    expect(routes.match('POST', '/api/AUTH/local')?.route.operation.operationId).toBe('authLocal');
    expect(routes.match('POST', '/api/auth/local/')?.route.operation.operationId).toBe('authLocal');
    expect(routes.match('GET', '/api/users/me')?.route.operation.operationId).toBe('usersMe');
    expect(routes.match('GET', '/api/users/7')?.params).toEqual({ id: '7' });
    expect(routes.match('GET', '/api/nope')).toBeUndefined();
  });
});
