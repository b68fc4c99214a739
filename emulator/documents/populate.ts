// `populate`, as Strapi's convertPopulateQueryParams and validatePopulate read it, for any
// model: `*`, a comma list or an array of (dot) paths, or an object whose values are `true`
// or nested queries ({fields, filters, sort, populate, on, count, page, pageSize, start,
// limit}). v5 refuses what does not exist (400 "Invalid key …"); v4 ignores it. Relations to
// content the caller cannot `find` are dropped without a word (Strapi's output sanitizer);
// media are always populated.
import { StrapiError, ValidationError } from '../http/errors.js';
import { type Model, type QueryEnv, fail, fieldList, validateQuery } from '../http/query.js';
import type { ModelDef, Registry } from './models.js';
import { isObject } from '../http/context.js';

export type PopulateNode = {
  fields?: string[];
  filters?: unknown;
  sort?: unknown;
  /** Nested links to populate. */
  populate?: PopulateTree;
  /** Dynamic zones: per component. */
  on?: Record<string, PopulateNode>;
  start?: number;
  limit?: number;
  /** v5 `count: true`: the number of links instead of the links. */
  count?: boolean;
};
export type PopulateTree = Record<string, PopulateNode>;

export type PopulateEnv = {
  env: QueryEnv;
  registry: Registry;
};

const populatable = ['relation', 'media', 'component', 'dynamiczone'];

/** parseType({type:'boolean'}) for populate values: true/false, or undefined when it is not a boolean. */
function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  if (['true', 't', '1'].includes(v)) return true;
  if (['false', 'f', '0'].includes(v)) return false;
  return undefined;
}

function invalidPopulate(): never {
  throw new ValidationError('Invalid populate parameter. Expected a string, an array of strings, a populate object');
}

/** Can the caller see what this link leads to? (media always; relations need `find` on their target). */
function readable(p: PopulateEnv, model: Model, name: string): boolean {
  const attr = model.attributes[name];
  if (attr?.type !== 'relation') return true;
  return !!attr.target && p.env.canRead(attr.target);
}

function targetModel(p: PopulateEnv, model: Model, name: string): ModelDef | undefined {
  const attr = model.attributes[name];
  if (!attr) return undefined;
  if (attr.type === 'relation') return attr.target ? p.registry.models.get(attr.target) : undefined;
  if (attr.type === 'media') return p.registry.models.get('plugin::upload.file');
  if (attr.type === 'component') return attr.component ? p.registry.models.get(attr.component) : undefined;
  return undefined;
}

/** Every populatable attribute of a model, one level deep (`populate=*`). */
function all(p: PopulateEnv, model: Model): PopulateTree {
  const out: PopulateTree = {};
  for (const [name, attr] of Object.entries(model.attributes)) {
    if (!populatable.includes(attr.type) || attr.private) continue;
    if (attr.type === 'relation' && (!attr.target || attr.relation?.startsWith('morph'))) continue;
    if (readable(p, model, name)) out[name] = {};
  }
  return out;
}

/** Dot paths (`owner.role`, `a,b`). */
function fromPaths(p: PopulateEnv, model: Model, paths: string[], prefix: string): PopulateTree {
  const out: PopulateTree = {};
  for (const path of paths) {
    const segments = path.split('.').map((s) => s.trim()).filter(Boolean);
    if (!segments.length) continue;
    addPath(p, model, out, segments, prefix);
  }
  return out;
}

function addPath(p: PopulateEnv, model: Model, tree: PopulateTree, segments: string[], prefix: string): void {
  const [head, ...tail] = segments;
  const full = prefix ? `${prefix}.${head}` : head;
  const attr = model.attributes[head];
  const v5 = p.env.major === 5;
  if (!attr || !populatable.includes(attr.type) || (attr.type === 'media' && tail.length)) {
    if (v5) fail(p.env, 'populate', head, full);
    if (!attr || !populatable.includes(attr.type)) return;
  }
  if (attr.private || !readable(p, model, head)) return;
  const node = (tree[head] ??= {});
  if (!tail.length || attr.type === 'media') return;
  if (attr.type === 'dynamiczone') {
    // `zone.attr`: populate that attribute in every component of the zone that has it.
    const [next, ...rest] = tail;
    const candidates = (attr.components ?? []).map((uid) => p.registry.models.get(uid)).filter((m): m is ModelDef => !!m?.attributes[next]);
    if (!candidates.length && v5) fail(p.env, 'populate', next, `${full}.${next}`);
    for (const c of candidates) {
      const on = ((node.on ??= {})[c.uid] ??= {});
      addPath(p, c, (on.populate ??= {}), [next, ...rest], `${full}`);
    }
    return;
  }
  const target = targetModel(p, model, head);
  if (target) addPath(p, target, (node.populate ??= {}), tail, full);
}

/** Validates a nested query's filters/sort/fields against its target model (errors say param "populate"). */
function validateNested(p: PopulateEnv, target: Model, query: Record<string, unknown>): void {
  try {
    validateQuery({ ...p.env, model: target }, { filters: query.filters, sort: query.sort, fields: query.fields });
  } catch (error) {
    if (error instanceof StrapiError && p.env.major === 5 && error.details && (error.details as { param?: string }).param) {
      throw new ValidationError(error.message, { ...error.details, param: 'populate' });
    }
    throw error;
  }
}

function nested(p: PopulateEnv, model: Model, name: string, value: unknown, path: string): PopulateNode | undefined {
  const attr = model.attributes[name];
  const v5 = p.env.major === 5;
  const bool = asBoolean(value);
  if (bool === false) return undefined;
  if (!attr) {
    // Strapi names the path of the model the key is looked up in (none at the top level).
    if (v5) fail(p.env, 'populate', name, path === name ? null : path.slice(0, -(name.length + 1)));
    return undefined;
  }
  if (!populatable.includes(attr.type)) {
    if (v5) fail(p.env, 'populate', name, path);
    return undefined;
  }
  if (bool) return {};
  if (attr.type === 'dynamiczone') {
    if (typeof value === 'string' && value === '*' && !v5) return {};
    if (!isObject(value) || Object.keys(value).some((k) => !['populate', 'on', 'count'].includes(k))) {
      throw new ValidationError(`Invalid nested populate for ${(model as ModelDef).info?.singularName}.${name} (${model.uid}). Expected a fragment ("on") or "count" but found ${JSON.stringify(value)}`);
    }
    const node: PopulateNode = {};
    if (value.populate !== undefined && value.populate !== null) {
      if (value.populate !== '*') {
        if (v5) throw new ValidationError("Invalid nested population query detected. When using 'populate' within polymorphic structures, its value must be '*' to indicate all second level links. Specific field targeting is not supported here. Consider using the fragment API for more granular population control.");
      }
      node.on = {};
      for (const uid of attr.components ?? []) {
        const c = p.registry.models.get(uid);
        if (c) node.on[uid] = { populate: all(p, c) };
      }
    }
    if (isObject(value.on)) {
      node.on ??= {};
      for (const [uid, sub] of Object.entries(value.on)) {
        const c = p.registry.models.get(uid);
        if (!c || c.modelType !== 'component') {
          if (v5) fail(p.env, 'populate', uid, `${path}.on.${uid}`);
          continue;
        }
        const n = queryNode(p, c, sub, `${path}.on.${uid}`);
        if (n) node.on[uid] = n;
      }
    }
    return node;
  }
  if (isObject(value) && 'on' in value && value.on !== undefined) throw new ValidationError(`Using fragments is not permitted to populate "${name}" in "${model.uid}"`);
  const target = targetModel(p, model, name);
  if (!target) return undefined;
  return queryNode(p, target, value, path);
}

function queryNode(p: PopulateEnv, target: ModelDef, value: unknown, path: string): PopulateNode | undefined {
  const bool = asBoolean(value);
  if (bool !== undefined) return bool ? {} : undefined;
  if (typeof value === 'string') return {}; // `*` and other strings cast to true (forceCast)
  if (!isObject(value)) throw new ValidationError("Invalid nested populate. Expected '*' or an object");
  validateNested(p, target, value);
  const node: PopulateNode = {};
  if (value.fields !== undefined) node.fields = fieldList(value.fields);
  if (value.filters !== undefined) node.filters = value.filters;
  if (value.sort !== undefined) node.sort = value.sort;
  if (value.populate !== undefined) node.populate = parsePopulate(p, target, value.populate, path);
  if (value.count !== undefined && asBoolean(value.count)) node.count = true;
  const int = (v: unknown) => (v === undefined ? undefined : Number(v));
  const [page, pageSize, start, limit] = [int(value.page), int(value.pageSize), int(value.start), int(value.limit)];
  if (pageSize !== undefined || page !== undefined) {
    const size = Math.max(pageSize ?? 10, 1);
    node.start = Math.max(((page ?? 1) - 1) * size, 0);
    node.limit = size;
  } else if (start !== undefined || limit !== undefined) {
    node.start = Math.max(start ?? 0, 0);
    if (limit !== undefined && limit !== -1) node.limit = limit;
  }
  return node;
}

/** Parses (and on v5 validates) a `populate` parameter into a tree of links to fill. */
export function parsePopulate(p: PopulateEnv, model: ModelDef, populate: unknown, prefix = ''): PopulateTree {
  if (populate === undefined || populate === null || populate === '') return {};
  if (populate === '*') return all(p, model);
  if (typeof populate === 'string') return fromPaths(p, model, populate.split(','), prefix);
  if (Array.isArray(populate)) {
    if (populate.some((v) => typeof v !== 'string')) invalidPopulate();
    const paths = (populate as string[]).flatMap((v) => v.split(','));
    if (paths.includes('*')) return all(p, model);
    return fromPaths(p, model, paths, prefix);
  }
  if (!isObject(populate)) invalidPopulate();
  const out: PopulateTree = {};
  for (const [name, value] of Object.entries(populate)) {
    const node = nested(p, model, name, value, prefix ? `${prefix}.${name}` : name);
    if (!node) continue;
    if (!readable(p, model, name) || model.attributes[name]?.private) continue;
    out[name] = node;
  }
  if (p.env.major === 4) return out;
  // v5 answers the links without a nested populate first, then the others (each in query order).
  const entries = Object.entries(out);
  return Object.fromEntries([...entries.filter(([, n]) => !n.populate && !n.on), ...entries.filter(([, n]) => n.populate || n.on)]);
}
