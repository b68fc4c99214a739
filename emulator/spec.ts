// The built OpenAPI document drives the emulator: its operations are the routes (bound
// through spec/router.ts), `x-strapi-action` is the permission checked, `x-strapi-rate-limit`
// puts the route behind the limiter, and `x-strapi-content-type` names document routes.
import { readFileSync } from 'node:fs';
import type { Operation } from '../spec/openapi.js';
import { type Match, type Route, matchRoute, routesOf } from '../spec/router.js';
import type { Major, SpecDocument } from './config.js';

const cache = new Map<Major, SpecDocument>();

/** spec/dist/strapi-v<major>.json (read once per process). */
export function loadSpec(major: Major): SpecDocument {
  let spec = cache.get(major);
  if (!spec) {
    spec = JSON.parse(readFileSync(new URL(`../spec/dist/strapi-v${major}.json`, import.meta.url), 'utf8')) as SpecDocument;
    cache.set(major, spec);
  }
  return spec;
}

export type SpecRoutes = {
  routes: Route[];
  /** The way Strapi's koa-router matches: case-insensitive, optional trailing slash (spec/router.ts). */
  match(method: string, pathname: string): Match | undefined;
  /** Is there any route for this path, whatever the method? */
  hasPath(pathname: string): boolean;
  operations: Operation[];
};

export function specRoutes(spec: SpecDocument): SpecRoutes {
  const routes = routesOf(spec);
  return {
    routes,
    operations: routes.map((r) => r.operation),
    match: (method, pathname) => matchRoute(routes, method, pathname),
    hasPath: (pathname) => routes.some((r) => r.pattern.test(pathname)),
  };
}

/** `api::article.article.find` → ['api::article', 'article', 'find'] (how users-permissions splits an action). */
export function splitAction(action: string): [string, string, string] {
  const [type, controller, name] = action.split('.');
  return [type, controller, name];
}

/**
 * The content-API actions of the content types the spec serves, grouped the way
 * users-permissions' getActions() groups them: `{'api::article': {article: ['find', …]}}`.
 */
export function contentTypeActions(operations: Operation[]): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const op of operations) {
    const action = op['x-strapi-action'];
    if (!op['x-strapi-content-type'] || !action) continue;
    const [type, controller, name] = splitAction(action);
    const list = ((out[type] ??= {})[controller] ??= []);
    if (!list.includes(name)) list.push(name);
  }
  // Strapi's core controller declares them in this order.
  const order = ['find', 'findOne', 'create', 'update', 'delete'];
  for (const controllers of Object.values(out)) {
    for (const list of Object.values(controllers)) list.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  }
  return out;
}
