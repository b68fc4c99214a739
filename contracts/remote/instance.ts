// What a live Strapi is, found out with GET requests and a full-access API token: its major,
// its content types and components (the content-type builder's own answers, which real 4.26.2
// and 5.54.0 give to a full-access token), its locales, its REST list settings and its roles'
// permissions. `writeProject` turns that into a project folder the emulator loads as it loads a
// real one (`createEmulator({project})`), so an emulator of the same instance can be built.
// Only GET requests are sent: discovery is safe on production.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorOptions } from '../../emulator/config.js';
import { type Attribute, type StrapiSchemas, loadStrapiSchemas } from '../../spec/content-types.js';
import { extensibleTypes, loadPluginExtensions, withExtensions } from '../../spec/extensions.js';
import { projectSrc } from '../../emulator/project/index.js';

/** A content type as its `schema.json` reads (what `src/api/<api>/content-types/<name>/schema.json` holds). */
export type SchemaFile = {
  kind: 'collectionType' | 'singleType';
  collectionName?: string;
  info: { singularName: string; pluralName: string; displayName?: string; description?: string };
  options: { draftAndPublish?: boolean };
  pluginOptions?: Record<string, unknown>;
  attributes: Record<string, Attribute>;
};
export type ComponentFile = { collectionName?: string; info: { displayName?: string; icon?: string; description?: string }; attributes: Record<string, Attribute> };

export type Locale = { code: string; name?: string; isDefault?: boolean };
export type RestSettings = { defaultLimit: number; maxLimit: number | null; withCount: boolean };

export type Instance = {
  url: string;
  major: 4 | 5;
  /** `api::<api>.<name>` → its schema.json. */
  contentTypes: Record<string, SchemaFile>;
  /** `<category>.<name>` → its component JSON. */
  components: Record<string, ComponentFile>;
  /** Plugin models the project extends (attributes beyond the plugin's own), uid → their schema (the full attribute list, as the extension file holds it). */
  extensions: Record<string, { attributes: Record<string, Attribute> }>;
  /** undefined: the i18n plugin is not there (GET /api/i18n/locales answered 404). */
  locales: Locale[] | undefined;
  /** undefined: no collection type the token may list. */
  rest: RestSettings | undefined;
  /** Enabled actions by role type (`public`, `authenticated`, …): `api::gadget.gadget.find`, `plugin::users-permissions.auth.register`, … */
  permissions: Record<string, string[]>;
  /** What could not be discovered or is served differently, one line each. */
  warnings: string[];
};

export class DiscoveryError extends Error {}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;
export type DiscoverOptions = {
  fetch?: Fetch;
  /** Read the content types from this Strapi project folder instead of the content-type builder. */
  project?: string;
  /** Per request, default 30 s. */
  timeoutMs?: number;
};

// What each plugin model has without any extension, in 4.26.2 and 5.54.0 (their schema files).
const pluginOwn: Record<string, string[]> = {
  'plugin::users-permissions.user': ['username', 'email', 'provider', 'password', 'resetPasswordToken', 'confirmationToken', 'confirmed', 'blocked', 'role'],
  'plugin::users-permissions.role': ['name', 'description', 'type', 'permissions', 'users'],
  'plugin::upload.file': ['name', 'alternativeText', 'caption', 'focalPoint', 'width', 'height', 'formats', 'hash', 'ext', 'mime', 'size', 'url', 'previewUrl', 'provider', 'provider_metadata', 'related', 'folder', 'folderPath'],
};
// Relation targets the emulator serves besides the project's own types.
const servedPluginTypes = new Set([...extensibleTypes, 'plugin::users-permissions.permission']);

type CtbType = { uid: string; plugin?: string | null; apiID?: string; schema: Record<string, unknown> & { attributes: Record<string, Attribute> } };
type CtbComponent = { uid: string; category?: string; schema: Record<string, unknown> & { attributes: Record<string, Attribute> } };

async function getJson(fetchFn: Fetch, base: string, path: string, token: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetchFn(new URL(path, base + '/').toString(), { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DiscoveryError(`cannot reach ${base} (GET ${path}: ${cause?.code ?? cause?.message ?? (error as Error).message})`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: left as text for the caller's message
  }
  return { status: res.status, body };
}

/** The CTB's attribute, as the schema file had it: without what the builder adds to its answer. */
function fileAttributes(attributes: Record<string, Attribute>): Record<string, Attribute> {
  const out: Record<string, Attribute> = {};
  for (const [name, attr] of Object.entries(attributes)) {
    const { targetAttribute: _targetAttribute, ...rest } = attr;
    out[name] = rest as Attribute;
  }
  return out;
}

/** Relations to models the emulator does not serve (admin users, another plugin's types) are left out, with a warning. */
function servable(owner: string, attributes: Record<string, Attribute>, known: Set<string>, warnings: string[]): Record<string, Attribute> {
  return Object.fromEntries(
    Object.entries(attributes).filter(([name, attr]) => {
      if (attr.type !== 'relation' || !attr.target || known.has(attr.target) || servedPluginTypes.has(attr.target)) return true;
      warnings.push(`${owner}.${name}: a relation to ${attr.target}, which the emulator does not serve; left out of its schema`);
      return false;
    }),
  );
}

export function fromContentTypeBuilder(types: CtbType[], components: CtbComponent[], warnings: string[] = []): Pick<Instance, 'contentTypes' | 'components' | 'extensions'> {
  const apiTypes = types.filter((t) => t.uid.startsWith('api::'));
  const known = new Set(apiTypes.map((t) => t.uid));
  const contentTypes: Instance['contentTypes'] = {};
  for (const { uid, schema } of apiTypes) {
    const { draftAndPublish, displayName, singularName, pluralName, description, kind, collectionName } = schema as unknown as Record<string, never>;
    const pluginOptions = Object.fromEntries(Object.entries((schema.pluginOptions ?? {}) as Record<string, unknown>).filter(([k]) => k !== 'content-manager' && k !== 'content-type-builder'));
    contentTypes[uid] = {
      kind,
      collectionName,
      info: { singularName, pluralName, displayName, ...(description ? { description } : {}) },
      options: { draftAndPublish: Boolean(draftAndPublish) },
      ...(Object.keys(pluginOptions).length ? { pluginOptions } : {}),
      attributes: servable(uid, fileAttributes(schema.attributes), known, warnings),
    };
  }
  const comps: Instance['components'] = {};
  for (const { uid, schema } of components) {
    const { displayName, icon, description, collectionName } = schema as unknown as Record<string, never>;
    comps[uid] = { collectionName, info: { displayName, icon, ...(description ? { description } : {}) }, attributes: servable(uid, fileAttributes(schema.attributes), known, warnings) };
  }
  const extensions: Instance['extensions'] = {};
  for (const { uid, schema } of types) {
    const own = pluginOwn[uid];
    if (!own) continue;
    const added = Object.keys(schema.attributes).filter((a) => !own.includes(a));
    if (added.length) extensions[uid] = { attributes: servable(uid, fileAttributes(schema.attributes), known, warnings) };
  }
  const local = types.filter((t) => t.uid.startsWith('plugin::') && !['upload', 'users-permissions', 'i18n', 'content-releases', 'review-workflows', 'email'].includes(t.plugin ?? ''));
  for (const t of local) warnings.push(`${t.uid}: a type of the plugin ${t.plugin}, not checked (only api:: types and users-permissions/upload are)`);
  return { contentTypes, components: comps, extensions };
}

/** `{roles:[{type, permissions: {api::x: {controllers: {x: {find: {enabled}}}}}}]}` → enabled actions per role type. */
function enabledActions(role: { permissions?: Record<string, { controllers?: Record<string, Record<string, { enabled?: boolean }>> }> }): string[] {
  const out: string[] = [];
  for (const [prefix, { controllers = {} } = {}] of Object.entries(role.permissions ?? {}))
    for (const [controller, actions] of Object.entries(controllers)) for (const [action, { enabled }] of Object.entries(actions)) if (enabled) out.push(`${prefix}.${controller}.${action}`);
  return out.sort();
}

/**
 * Discovers the instance at `url`. A token refused, an unreachable host or something that is not
 * Strapi is a DiscoveryError saying so.
 */
export async function discoverInstance(url: string, token: string, opts: DiscoverOptions = {}): Promise<Instance> {
  const fetchFn = opts.fetch ?? ((u, i) => fetch(u, i));
  const base = url.replace(/\/+$/, '');
  const timeout = opts.timeoutMs ?? 30_000;
  const get = (path: string) => getJson(fetchFn, base, path, token, timeout);
  const warnings: string[] = [];

  const roles = await get('api/users-permissions/roles');
  if (roles.status === 401 || roles.status === 403) throw new DiscoveryError(`${base} refused the token (${roles.status} on GET /api/users-permissions/roles): give a full-access API token`);
  const roleList = (roles.body as { roles?: Array<{ id: number; type: string; documentId?: string }> })?.roles;
  if (roles.status !== 200 || !Array.isArray(roleList)) throw new DiscoveryError(`${base} answered ${roles.status} to GET /api/users-permissions/roles, not {roles: […]}: is it a Strapi 4 or 5 with users-permissions?`);
  // v5's roles are documents (documentId); v4's are not.
  const major: 4 | 5 = roleList.some((r) => typeof r.documentId === 'string') ? 5 : 4;

  let schemas: Pick<Instance, 'contentTypes' | 'components' | 'extensions'>;
  if (opts.project) schemas = fromProject(opts.project);
  else {
    const [types, comps] = [await get('api/content-type-builder/content-types'), await get('api/content-type-builder/components')];
    for (const [what, answer] of [['content-types', types], ['components', comps]] as const)
      if (answer.status !== 200 || !Array.isArray((answer.body as { data?: unknown })?.data))
        throw new DiscoveryError(`${base} answered ${answer.status} to GET /api/content-type-builder/${what} (a full-access token reads it on stock Strapi): give the project's folder with --project DIR`);
    schemas = fromContentTypeBuilder((types.body as { data: CtbType[] }).data, (comps.body as { data: CtbComponent[] }).data, warnings);
  }

  const locales = await get('api/i18n/locales');
  let localeList: Locale[] | undefined;
  if (locales.status === 200 && Array.isArray(locales.body)) localeList = (locales.body as Locale[]).map(({ code, name, isDefault }) => ({ code, name, isDefault }));
  else if (locales.status !== 404) warnings.push(`GET /api/i18n/locales answered ${locales.status}: locales unknown`);

  const permissions: Record<string, string[]> = {};
  for (const role of roleList) {
    const one = await get(`api/users-permissions/roles/${role.id}`);
    const body = one.body as { role?: Parameters<typeof enabledActions>[0] };
    if (one.status === 200 && body?.role) permissions[role.type] = enabledActions(body.role);
    else warnings.push(`GET /api/users-permissions/roles/${role.id} answered ${one.status}: the ${role.type} role's permissions are unknown`);
  }

  return { url: base, major, ...schemas, locales: localeList, rest: await restSettings(get, schemas.contentTypes, warnings), permissions, warnings };
}

/**
 * config/api.js `rest`, read off a list's pagination: the default page size, the size granted
 * when far more is asked (maxLimit; null when granted as asked), and whether `total` is counted.
 */
async function restSettings(get: (path: string) => Promise<{ status: number; body: unknown }>, types: Instance['contentTypes'], warnings: string[]): Promise<RestSettings | undefined> {
  const huge = 1_000_000;
  for (const type of Object.values(types).filter((t) => t.kind === 'collectionType')) {
    const plain = await get(`api/${type.info.pluralName}`);
    const asked = await get(`api/${type.info.pluralName}?pagination%5BpageSize%5D=${huge}`);
    type Paged = { meta?: { pagination?: { pageSize?: number; total?: number } } };
    const p = (plain.body as Paged)?.meta?.pagination;
    const q = (asked.body as Paged)?.meta?.pagination;
    if (plain.status !== 200 || asked.status !== 200 || typeof p?.pageSize !== 'number' || typeof q?.pageSize !== 'number') continue;
    return { defaultLimit: p.pageSize, maxLimit: q.pageSize === huge ? null : q.pageSize, withCount: 'total' in p };
  }
  warnings.push('no collection type could be listed: REST list settings (defaultLimit, maxLimit, withCount) unknown');
  return undefined;
}

/** The schemas of a Strapi project folder, in the same shape as the content-type builder's. */
export function fromProject(dir: string): Pick<Instance, 'contentTypes' | 'components' | 'extensions'> {
  const src = projectSrc(dir);
  const loaded = loadStrapiSchemas([src]);
  const contentTypes: Instance['contentTypes'] = {};
  for (const ct of loaded.contentTypes) contentTypes[ct.uid] = { kind: ct.kind, collectionName: ct.collectionName, info: ct.info, options: ct.options ?? {}, ...(ct.pluginOptions ? { pluginOptions: ct.pluginOptions } : {}), attributes: ct.attributes };
  const components: Instance['components'] = {};
  for (const c of loaded.components) components[c.uid] = { info: c.info ?? {}, attributes: c.attributes };
  const extensions: Instance['extensions'] = {};
  for (const ext of Object.values(loadPluginExtensions(join(src, 'extensions')))) extensions[ext.uid] = { attributes: ext.attributes };
  return { contentTypes, components, extensions };
}

/**
 * Writes the instance as a Strapi project folder: src/api/<api>/content-types/<name>/schema.json,
 * src/components/<category>/<name>.json, src/extensions/<plugin>/content-types/<name>/schema.json
 * and config/api.js with its REST settings. Returns `dir`.
 */
export function writeProject(instance: Pick<Instance, 'contentTypes' | 'components' | 'extensions' | 'rest'>, dir: string): string {
  const write = (path: string, json: unknown) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(json, null, 2) + '\n');
  };
  write('package.json', { name: 'discovered-strapi-instance', private: true });
  for (const [uid, schema] of Object.entries(instance.contentTypes)) {
    const [api, name] = uid.slice('api::'.length).split('.');
    write(join('src', 'api', api, 'content-types', name, 'schema.json'), schema);
  }
  for (const [uid, component] of Object.entries(instance.components)) {
    const [category, name] = uid.split('.');
    write(join('src', 'components', category, `${name}.json`), component);
  }
  for (const [uid, ext] of Object.entries(instance.extensions)) {
    const [plugin, name] = uid.slice('plugin::'.length).split('.');
    write(join('src', 'extensions', plugin, 'content-types', name, 'schema.json'), { attributes: ext.attributes });
  }
  if (instance.rest) {
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(join(dir, 'config', 'api.js'), `module.exports = { rest: ${JSON.stringify(instance.rest)} };\n`);
  }
  return dir;
}

/** The instance's schemas as the spec builder and the emulator take them (read back from `writeProject`'s folder). */
export function schemasOf(projectDir: string): StrapiSchemas {
  const src = projectSrc(projectDir);
  return withExtensions(loadStrapiSchemas([src]), loadPluginExtensions(join(src, 'extensions')));
}

/** createEmulator options for an emulator of the instance, given the folder `writeProject` wrote. */
export function emulatorOptions(instance: Instance, projectDir: string): EmulatorOptions {
  const seedPermissions = Object.fromEntries(Object.entries(instance.permissions).filter(([type]) => type === 'public' || type === 'authenticated'));
  return {
    strapi: instance.major,
    project: projectDir,
    ...(instance.locales?.length ? { locales: instance.locales.map((l) => ({ code: l.code, name: l.name, isDefault: l.isDefault })) } : {}),
    ...(instance.rest ? { rest: instance.rest } : {}),
    seedPermissions,
  };
}
