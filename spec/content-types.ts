// Loads Strapi content-type and component schemas from disk, in Strapi's own formats:
//   <dir>/<name>/schema.json                                   (this repo's spec/content-types)
//   <project>/src/api/<api>/content-types/<name>/schema.json   (a Strapi project)
//   <project>/src/components/<category>/<name>.json
// A broken file is reported with its path and the reason, never half-loaded.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { customFieldFallback, customFieldTypes, knownCustomFields } from './custom-fields.js';

export type Attribute = {
  type: string;
  required?: boolean;
  unique?: boolean;
  private?: boolean;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  regex?: string;
  enum?: string[];
  multiple?: boolean;
  relation?: string;
  target?: string;
  component?: string;
  repeatable?: boolean;
  components?: string[];
  targetField?: string;
  default?: unknown;
  [key: string]: unknown;
};

export type ContentType = {
  uid: string;
  kind: 'collectionType' | 'singleType';
  collectionName?: string;
  info: { singularName: string; pluralName: string; displayName?: string; description?: string };
  options?: { draftAndPublish?: boolean };
  pluginOptions?: { i18n?: { localized?: boolean } };
  attributes: Record<string, Attribute>;
  file: string;
};

export type Component = { uid: string; info?: { displayName?: string }; attributes: Record<string, Attribute>; file: string };
export type StrapiSchemas = {
  contentTypes: ContentType[];
  components: Component[];
  /** One line per thing served differently from the files (an unknown custom field). */
  warnings?: string[];
  /** Plugin types extended by the project (spec/extensions.ts), by uid. */
  extensions?: Partial<Record<string, { uid: string; attributes: Record<string, Attribute>; file: string }>>;
};

export type LoadOptions = {
  /** More custom fields, `plugin::x.y` → the Strapi type it is stored as (wins over the built-in table). */
  customFields?: Record<string, string>;
};

export class SchemaFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export const attributeTypes = [
  'string', 'text', 'richtext', 'blocks', 'email', 'password', 'uid',
  'integer', 'biginteger', 'float', 'decimal', 'boolean',
  'date', 'datetime', 'time', 'timestamp', 'json', 'enumeration',
  'media', 'relation', 'component', 'dynamiczone',
] as const;

const relationKinds = ['oneToOne', 'oneToMany', 'manyToOne', 'manyToMany', 'oneWay', 'manyWay', 'morphToOne', 'morphToMany', 'morphOne', 'morphMany'];
const apiName = /^[a-z][a-z0-9-]*$/;
const skipDirs = new Set(['node_modules', 'dist', 'build', '.cache', '.git', '.strapi', '.tmp']);
// A project's src/extensions/<plugin>/content-types/* extend a plugin's own models and
// src/plugins/* hold local plugins: neither is an api content type (read as one, a
// users-permissions user extension would serve a second /api/users).
const pluginDirs = new Set(['extensions', 'plugins']);

function walk(dir: string, found: string[] = [], depth = 0): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || skipDirs.has(name)) continue;
    if (pluginDirs.has(name) && (depth === 0 || (depth === 1 && dir.endsWith(`${sep}src`)))) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, found, depth + 1);
    else if (name.endsWith('.json')) found.push(full);
  }
  return found;
}

export function readJson(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SchemaFileError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SchemaFileError(file, 'expected a JSON object');
  return parsed as Record<string, unknown>;
}

type CustomFields = { map: Record<string, string>; unknown: Map<string, string[]> };

/** Serves a custom field as the type its plugin stores (Strapi does the same when it loads the schema). */
function resolveCustomField(file: string, name: string, attr: Attribute, custom: CustomFields): void {
  const uid = attr.customField;
  if (typeof uid !== 'string' || uid === '') throw new SchemaFileError(file, `attribute "${name}": a custom field needs "customField": "plugin::<plugin>.<name>"`);
  let type = custom.map[uid] ?? knownCustomFields[uid];
  if (!type) {
    const seen = custom.unknown.get(uid) ?? [];
    seen.push(`${name} in ${file}`);
    custom.unknown.set(uid, seen);
    type = customFieldFallback;
  }
  attr.type = type;
  // An enumeration custom field keeps its values in options (Strapi copies them the same way).
  if (type === 'enumeration' && !Array.isArray(attr.enum) && Array.isArray((attr.options as { enum?: unknown } | undefined)?.enum)) attr.enum = (attr.options as { enum: string[] }).enum;
}

/** `custom`: how custom fields are served (default: the built-in table only). */
export function checkAttributes(file: string, attributes: unknown, custom: CustomFields = { map: {}, unknown: new Map() }): Record<string, Attribute> {
  if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) throw new SchemaFileError(file, '"attributes" must be an object');
  for (const [name, attr] of Object.entries(attributes as Record<string, Attribute>)) {
    const where = `attribute "${name}"`;
    if (!attr || typeof attr !== 'object') throw new SchemaFileError(file, `${where} must be an object`);
    if (attr.type === 'customField') resolveCustomField(file, name, attr, custom);
    if (!(attributeTypes as readonly string[]).includes(attr.type)) throw new SchemaFileError(file, `${where} has unknown type ${JSON.stringify(attr.type)} (expected one of ${attributeTypes.join(', ')})`);
    if (['id', 'documentId'].includes(name)) throw new SchemaFileError(file, `${where} uses a name Strapi reserves`);
    if (attr.type === 'relation') {
      if (!relationKinds.includes(attr.relation ?? '')) throw new SchemaFileError(file, `${where}: "relation" must be one of ${relationKinds.join(', ')}`);
      if (!attr.relation?.startsWith('morph') && typeof attr.target !== 'string') throw new SchemaFileError(file, `${where}: a relation needs a "target" uid`);
    }
    if (attr.type === 'component' && typeof attr.component !== 'string') throw new SchemaFileError(file, `${where}: a component attribute needs "component": "<category>.<name>"`);
    if (attr.type === 'dynamiczone' && (!Array.isArray(attr.components) || attr.components.length === 0)) throw new SchemaFileError(file, `${where}: a dynamic zone needs a non-empty "components" list`);
    if (attr.type === 'enumeration' && (!Array.isArray(attr.enum) || attr.enum.some((v) => typeof v !== 'string'))) throw new SchemaFileError(file, `${where}: an enumeration needs an "enum" list of strings`);
  }
  return attributes as Record<string, Attribute>;
}

function toContentType(file: string, root: string, custom: CustomFields): ContentType {
  const json = readJson(file);
  const info = json.info as ContentType['info'] | undefined;
  if (json.kind !== 'collectionType' && json.kind !== 'singleType') throw new SchemaFileError(file, '"kind" must be "collectionType" or "singleType"');
  if (!info || typeof info !== 'object') throw new SchemaFileError(file, '"info" with singularName and pluralName is required');
  for (const key of ['singularName', 'pluralName'] as const) {
    if (typeof info[key] !== 'string' || !apiName.test(info[key])) throw new SchemaFileError(file, `info.${key} must be a kebab-case name (got ${JSON.stringify(info[key])})`);
  }
  if (info.singularName === info.pluralName) throw new SchemaFileError(file, 'info.singularName and info.pluralName must differ');
  const parts = relative(root, file).split(sep);
  const at = parts.lastIndexOf('content-types');
  const api = at >= 2 && parts[at - 2] === 'api' ? parts[at - 1] : info.singularName;
  return {
    uid: `api::${api}.${info.singularName}`,
    kind: json.kind,
    collectionName: json.collectionName as string | undefined,
    info,
    options: (json.options as ContentType['options']) ?? {},
    pluginOptions: (json.pluginOptions as ContentType['pluginOptions']) ?? {},
    attributes: checkAttributes(file, json.attributes, custom),
    file,
  };
}

/** Reads every content type and component below the given folders. */
export function loadStrapiSchemas(dirs: string[], options: LoadOptions = {}): StrapiSchemas {
  const out: StrapiSchemas = { contentTypes: [], components: [] };
  const custom: CustomFields = { map: options.customFields ?? {}, unknown: new Map() };
  for (const dir of dirs) {
    let files: string[];
    try {
      files = walk(dir);
    } catch (e) {
      throw new SchemaFileError(dir, `cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    for (const file of files) {
      const parts = relative(dir, file).split(sep);
      const componentAt = parts.lastIndexOf('components');
      if (parts.at(-1) === 'schema.json') out.contentTypes.push(toContentType(file, dir, custom));
      else if (componentAt >= 0 && parts.length - componentAt === 3) {
        const json = readJson(file);
        out.components.push({ uid: `${parts[componentAt + 1]}.${parts[componentAt + 2].replace(/\.json$/, '')}`, info: json.info as Component['info'], attributes: checkAttributes(file, json.attributes, custom), file });
      }
    }
  }
  checkReferences(out);
  out.warnings = [...custom.unknown].map(
    ([uid, where]) =>
      `custom field "${uid}" (${where.join(', ')}) is not one the emulator knows: served as ${customFieldFallback}, which takes and answers any value; ` +
      `map it to the type its plugin registers with --custom-field ${uid}=<${customFieldTypes.slice(0, 3).join('|')}|…> (option customFields)`,
  );
  return out;
}

function checkReferences({ contentTypes, components }: StrapiSchemas): void {
  const seen = new Map<string, string>();
  for (const ct of contentTypes) {
    for (const name of [ct.info.singularName, ct.info.pluralName]) {
      const other = seen.get(name);
      if (other) throw new SchemaFileError(ct.file, `the API name "${name}" is already used by ${other}`);
      seen.set(name, ct.file);
    }
  }
  const componentUids = new Set(components.map((c) => c.uid));
  const targets = new Set([...contentTypes.map((c) => c.uid), 'plugin::users-permissions.user', 'plugin::users-permissions.role', 'plugin::upload.file']);
  for (const owner of [...contentTypes, ...components]) {
    for (const [name, attr] of Object.entries(owner.attributes)) {
      const used = attr.type === 'component' ? [attr.component!] : attr.type === 'dynamiczone' ? attr.components! : [];
      for (const uid of used) if (!componentUids.has(uid)) throw new SchemaFileError(owner.file, `attribute "${name}" uses the component "${uid}", which is not defined under components/`);
      if (attr.type === 'relation' && attr.target && !targets.has(attr.target)) throw new SchemaFileError(owner.file, `attribute "${name}" targets "${attr.target}", which is not a known content type`);
    }
  }
}

export const isToMany = (attr: Attribute) => ['oneToMany', 'manyToMany', 'manyWay', 'morphToMany', 'morphMany'].includes(attr.relation ?? '');
export const pascal = (s: string) => s.replace(/(^|[-_.\s])([a-z0-9])/gi, (_, __, c: string) => c.toUpperCase());
export const camel = (s: string) => pascal(s).replace(/^./, (c) => c.toLowerCase());
