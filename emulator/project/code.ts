// The project's own code under src/: what the emulator runs as Strapi runs it, and what it
// lists once as not emulated.
//
// Run: core routers' per-action config (`createCoreRouter(uid, { config: { find: {
// middlewares, policies, auth: false } } })`), with route middlewares and policies that only
// work on ctx — Strapi 5's populate-middleware pattern. Strapi's order on a route is
// authenticate → authorize → policies → middlewares → controller, so a policy sees
// ctx.state.user and a middleware's ctx.query change reaches the controller.
//
// Left out: the core routes a router's only/except excludes (unknown paths, as in Strapi).
//
// Listed, not run: custom routes files, controllers and services that override the core
// ones, lifecycles, src/index register/bootstrap, global middlewares and policies of
// plugins, local plugins and plugin extensions other than users-permissions' content types.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { ProjectFileError, evaluateFile } from './evaluate.js';
import { type CoreRouter, isCoreFactory, isCoreRouter, strapiShims } from './shim.js';

const codeExtensions = new Set(['.js', '.ts', '.cjs', '.mjs']);
const isCode = (name: string) => codeExtensions.has(extname(name)) && !name.endsWith('.d.ts') && !/\.(test|spec)\.[cm]?[jt]s$/.test(name);

/** A middleware as Strapi calls it once resolved: `(ctx, next) => Promise`. */
export type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => unknown;
/** A policy: `(policyContext, config, { strapi }) => boolean`. */
export type Policy = { name: string; run: (ctx: KoaContext) => unknown };
export type KoaContext = Record<string, unknown> & { query: Record<string, unknown>; state: Record<string, unknown> };

/** What the emulator runs around one action's controller (`api::page.page.find`). */
export type RouteCode = { action: string; auth?: false; absent?: true; policies: Policy[]; middlewares: Array<{ name: string; run: KoaMiddleware }> };

export type ProjectCode = { routes: Map<string, RouteCode>; notEmulated: string[] };

const coreActions = ['find', 'findOne', 'create', 'update', 'delete'];

/** `strapi` as a project's middleware factory receives it: anything used from it at request time is not emulated. */
const strapiStandIn: unknown = new Proxy(
  { log: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } },
  {
    get(target, prop) {
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      throw new Error(`strapi.${prop} is not emulated (the emulator runs route middlewares and policies that only use ctx)`);
    },
  },
);

function list(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir).sort();
}

function codeFiles(dir: string): string[] {
  return list(dir).filter(isCode).map((n) => join(dir, n));
}

const nameOf = (file: string) => basename(file, extname(file));

type Named<T> = Map<string, { file: string; value: T }>;

function loadNamed(files: Array<[uid: string, file: string]>): Named<unknown> {
  return new Map(files.map(([uid, file]) => [uid, { file, value: undefined }]));
}

export function loadProjectCode(src: string): ProjectCode {
  const notEmulated: string[] = [];
  const rel = (file: string) => relative(src, file) || file;
  const routes = new Map<string, RouteCode>();
  const apiDir = join(src, 'api');
  const apis = list(apiDir).filter((n) => statSync(join(apiDir, n)).isDirectory());
  // Middlewares and policies by the names a route gives them; evaluated only when a route uses them.
  const middlewareFiles = loadNamed([
    ...apis.flatMap((api) => codeFiles(join(apiDir, api, 'middlewares')).map((f): [string, string] => [`api::${api}.${nameOf(f)}`, f])),
    ...codeFiles(join(src, 'middlewares')).map((f): [string, string] => [`global::${nameOf(f)}`, f]),
  ]);
  const policyFiles = loadNamed([
    ...apis.flatMap((api) => codeFiles(join(apiDir, api, 'policies')).map((f): [string, string] => [`api::${api}.${nameOf(f)}`, f])),
    ...codeFiles(join(src, 'policies')).map((f): [string, string] => [`global::${nameOf(f)}`, f]),
  ]);
  const resolveName = (named: Named<unknown>, name: string, api: string) => named.get(name) ?? named.get(`api::${api}.${name}`) ?? named.get(`global::${name}`);

  for (const api of apis) {
    for (const file of codeFiles(join(apiDir, api, 'routes'))) {
      const exported = evaluateFile(file, strapiShims);
      if (isCoreRouter(exported)) {
        addCoreRouter(exported, api, file);
        continue;
      }
      const custom = (exported as { routes?: unknown[] })?.routes;
      if (Array.isArray(custom)) notEmulated.push(`custom routes ${rel(file)} (${custom.length})`);
      else notEmulated.push(`routes ${rel(file)} (not a core router nor { routes: [...] })`);
    }
    for (const kind of ['controllers', 'services'] as const) {
      for (const file of codeFiles(join(apiDir, api, kind))) {
        const what = `${kind === 'controllers' ? 'controller' : 'service'} ${rel(file)}`;
        // Never run, only looked at: one that cannot even load is listed with the reason.
        const exported = tryEvaluate(file);
        if (exported instanceof ProjectFileError) notEmulated.push(`${what} (${exported.reason})`);
        else if (!isCoreFactory(exported) || exported.overrides) notEmulated.push(what);
      }
    }
    const ctDir = join(apiDir, api, 'content-types');
    for (const ct of list(ctDir)) for (const file of codeFiles(join(ctDir, ct)).filter((f) => nameOf(f) === 'lifecycles')) notEmulated.push(`lifecycles ${rel(file)}`);
  }

  function addCoreRouter(router: CoreRouter, api: string, file: string) {
    // only/except: the core routes left out are not registered at all.
    for (const action of coreActions) {
      if ((router.only && !router.only.includes(action)) || router.except?.includes(action)) routes.set(`${router.uid}.${action}`, { action: `${router.uid}.${action}`, absent: true, policies: [], middlewares: [] });
    }
    if (router.prefix !== undefined) notEmulated.push(`prefix of ${rel(file)}`);
    for (const [action, value] of Object.entries(router.config)) {
      if (!coreActions.includes(action) || !value || typeof value !== 'object' || routes.get(`${router.uid}.${action}`)?.absent) continue;
      const conf = value as { auth?: unknown; middlewares?: unknown[]; policies?: unknown[] };
      const route: RouteCode = { action: `${router.uid}.${action}`, policies: [], middlewares: [] };
      if (conf.auth === false) route.auth = false;
      else if (conf.auth !== undefined) notEmulated.push(`auth of ${router.uid}.${action} in ${rel(file)}`);
      for (const [i, entry] of (conf.middlewares ?? []).entries()) {
        const m = middlewareOf(entry, api, file, `${action}.middlewares[${i}]`);
        if (m) route.middlewares.push(m);
      }
      for (const [i, entry] of (conf.policies ?? []).entries()) {
        const p = policyOf(entry, api, file, `${action}.policies[${i}]`);
        if (p) route.policies.push(p);
      }
      if (route.auth === false || route.middlewares.length || route.policies.length) routes.set(route.action, route);
    }
  }

  /** A route's `'name'` or `{ name, config }`, resolved to its file and loaded; undefined (and listed) when the project has none. */
  function lookup(kind: 'middleware' | 'policy', named: Named<unknown>, entry: unknown, api: string, routesFile: string, where: string) {
    const { name, config } = typeof entry === 'string' ? { name: entry, config: {} } : ((entry ?? {}) as { name?: string; config?: unknown });
    const found = typeof name === 'string' ? resolveName(named, name, api) : undefined;
    if (!found) {
      notEmulated.push(`${kind} ${String(name ?? JSON.stringify(entry))} (${where} of ${rel(routesFile)})`);
      return undefined;
    }
    found.value ??= evaluateFile(found.file, strapiShims);
    return { name: name!, config: config ?? {}, file: found.file, value: found.value };
  }

  function middlewareOf(entry: unknown, api: string, routesFile: string, where: string): RouteCode['middlewares'][number] | undefined {
    if (typeof entry === 'function') return { name: `inline ${where}`, run: entry as KoaMiddleware };
    const found = lookup('middleware', middlewareFiles, entry, api, routesFile, where);
    if (!found) return undefined;
    if (typeof found.value !== 'function') throw new ProjectFileError(found.file, 'a middleware must export a function (config, { strapi }) => (ctx, next) => …');
    let run: unknown;
    try {
      run = (found.value as (c: unknown, s: unknown) => unknown)(found.config, { strapi: strapiStandIn });
    } catch (error) {
      throw new ProjectFileError(found.file, `throws when Strapi creates the middleware (${(error as Error).message})`);
    }
    if (typeof run !== 'function') throw new ProjectFileError(found.file, 'the middleware factory must answer a function (ctx, next) => …');
    return { name: found.name, run: run as KoaMiddleware };
  }

  function policyOf(entry: unknown, api: string, routesFile: string, where: string): Policy | undefined {
    type Handler = (c: unknown, conf: unknown, s: unknown) => unknown;
    if (typeof entry === 'function') return { name: `inline ${where}`, run: (ctx) => (entry as Handler)(ctx, {}, { strapi: strapiStandIn }) };
    const found = lookup('policy', policyFiles, entry, api, routesFile, where);
    if (!found) return undefined;
    const policy = found.value as Handler | { handler?: Handler };
    const handler = typeof policy === 'function' ? policy : policy?.handler;
    if (typeof handler !== 'function') throw new ProjectFileError(found.file, 'a policy must export a function (policyContext, config, { strapi }) => boolean');
    return { name: found.name, run: (ctx) => handler(ctx, found.config, { strapi: strapiStandIn }) };
  }

  const index = codeFiles(src).find((f) => nameOf(f) === 'index');
  if (index) {
    const loaded = tryEvaluate(index);
    if (loaded instanceof ProjectFileError) notEmulated.push(`${rel(index)} (${loaded.reason})`);
    const exported = loaded instanceof ProjectFileError ? undefined : (loaded as Record<string, unknown> | undefined);
    for (const phase of ['register', 'bootstrap', 'destroy']) {
      const fn = exported?.[phase];
      if (typeof fn === 'function' && !isEmptyFunction(fn)) notEmulated.push(`${phase}() of ${rel(index)}`);
    }
  }
  const unusedGlobal = [...middlewareFiles].filter(([uid, m]) => uid.startsWith('global::') && m.value === undefined);
  if (unusedGlobal.length) notEmulated.push(`global middlewares ${unusedGlobal.map(([, m]) => rel(m.file)).join(', ')} (unless a route names them)`);
  for (const plugin of list(join(src, 'plugins'))) notEmulated.push(`local plugin src/plugins/${plugin}`);
  for (const plugin of list(join(src, 'extensions'))) {
    for (const entry of list(join(src, 'extensions', plugin))) {
      if (plugin === 'users-permissions' && entry === 'content-types') continue;
      notEmulated.push(`extension src/extensions/${plugin}/${entry}`);
    }
  }
  return { routes, notEmulated };
}

function tryEvaluate(file: string): unknown {
  try {
    return evaluateFile(file, strapiShims);
  } catch (error) {
    if (error instanceof ProjectFileError) return error;
    throw error;
  }
}

/** `register() {}` or `async bootstrap({ strapi }) {}` with only comments inside: nothing to emulate. */
function isEmptyFunction(fn: Function): boolean {
  const text = fn.toString().replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const body = text.slice(text.indexOf('{', text.indexOf(')')) + 1, text.lastIndexOf('}'));
  return body.trim() === '';
}
