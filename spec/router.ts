// Finds the spec operation that serves a method + path. The emulator binds its handlers
// through it and the contract runner uses it to know which answer to validate.
import type { Operation } from './openapi.js';

type Spec = { paths: Record<string, Record<string, unknown>> };
export type Route = { method: string; template: string; operation: Operation; pattern: RegExp; params: string[] };
export type Match = { route: Route; params: Record<string, string> };

const methods = ['get', 'post', 'put', 'delete', 'patch'];

export function routesOf(spec: Spec): Route[] {
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const params: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
      params.push(name);
      return '([^/]+)';
    });
    for (const method of methods) {
      const operation = item[method] as Operation | undefined;
      // As koa-router matches (Strapi's router): case-insensitive, with an optional trailing slash.
      if (operation) routes.push({ method: method.toUpperCase(), template, operation, pattern: new RegExp(`^${source}/?$`, 'i'), params });
    }
  }
  // Literal paths win over templated ones (`/api/users/me` before `/api/users/{id}`).
  return routes.sort((a, b) => a.params.length - b.params.length);
}

export function matchRoute(routes: Route[], method: string, pathname: string): Match | undefined {
  for (const route of routes) {
    if (route.method !== method.toUpperCase()) continue;
    const m = route.pattern.exec(pathname);
    if (m) return { route, params: Object.fromEntries(route.params.map((p, i) => [p, decode(m[i + 1])])) };
  }
  return undefined;
}

/** koa-router keeps a parameter with a malformed %-escape as it came. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
