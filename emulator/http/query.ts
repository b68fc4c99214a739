// Strapi's query language for plugin collections (users now, upload files later): the
// query string parsed the way Strapi's `strapi::query` middleware parses it (qs with
// strictNullHandling, arrayLimit 100, depth 20), the validation errors v4 and v5 give, and
// filters/sort/fields/populate evaluated the way sqlite answers them (LIKE is
// case-insensitive for ASCII, text sorts binary, NULL sorts first).
import qs from 'qs';
import type { Major } from '../config.js';
import { ValidationError, insteadOfStrapiCrash, invalidKey } from './errors.js';
import { isObject } from './context.js';

export const qsOptions = { strictNullHandling: true, arrayLimit: 100, depth: 20, parameterLimit: 1000, allowPrototypes: false } as const;

export function parseQuery(search: string): Record<string, unknown> {
  return qs.parse(search.startsWith('?') ? search.slice(1) : search, qsOptions) as Record<string, unknown>;
}

export type AttributeType = 'string' | 'email' | 'password' | 'boolean' | 'integer' | 'datetime' | 'relation' | (string & {});
/** A model attribute (any Strapi type; relations name their target, components their component). */
export type Attribute = { type: AttributeType; private?: boolean; target?: string; relation?: string; component?: string; components?: string[]; multiple?: boolean };
export type Model = {
  uid: string;
  attributes: Record<string, Attribute>;
};
export type QueryEnv = {
  major: Major;
  model: Model;
  getModel: (uid: string) => Model;
  /** The related record of a to-one relation (or null). */
  related: (record: Record<string, unknown>, attribute: string, model: Model) => Record<string, unknown> | null;
  /** May the caller `find` this content type? Relations it cannot read cannot be filtered or sorted on, and are not populated. */
  canRead: (uid: string) => boolean;
  /**
   * Every record a relation (to one or many), a media or a component links to. When given,
   * filters and sorts go through it for all of them (documents); else `related` (to-one only).
   */
  relatedAll?: (record: Record<string, unknown>, attribute: string, model: Model) => Array<Record<string, unknown>>;
};

/** Attributes that hold links rather than values: relations, media, components, dynamic zones. */
const linkTypes = ['relation', 'media', 'component', 'dynamiczone'];
/** The model a linking attribute leads to (dynamic zones lead to several: none here). */
function linkedModel(env: QueryEnv, attribute: Attribute): Model | undefined {
  if (attribute.type === 'relation') return attribute.target ? env.getModel(attribute.target) : undefined;
  if (attribute.type === 'media') return env.getModel('plugin::upload.file');
  if (attribute.type === 'component') return attribute.component ? env.getModel(attribute.component) : undefined;
  return undefined;
}

const idKeys = (major: Major) => (major === 5 ? ['id', 'documentId'] : ['id']);

const operators = [
  '$eq', '$eqi', '$ne', '$nei', '$lt', '$lte', '$gt', '$gte', '$in', '$notIn', '$contains', '$notContains', '$containsi',
  '$notContainsi', '$null', '$notNull', '$between', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi', '$or', '$and', '$not',
];
const isOperator = (key: string) => operators.includes(key);
/** The operators whose object operand crashes Strapi's query builder. */
const comparisons = ['$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$between'];
const comparisonOrSet = [...comparisons, '$in', '$notIn'];

const isScalar = (a: Attribute | undefined) => !!a && !linkTypes.includes(a.type);

/** v4's invalid query parameter error (no details). */
const invalidParam = (key: string) => new ValidationError(`Invalid parameter ${key}`);

type Param = 'filters' | 'sort' | 'fields' | 'populate';

export function fail(env: Pick<QueryEnv, 'major'>, param: Param, key: string, path: string | null): never {
  if (env.major === 4) throw invalidParam(key);
  throw invalidKey(key, path, { source: 'query', param });
}

// ---------- validation (what Strapi's validate.contentAPI.query rejects) ----------

/** Does an operator's object operand read as more filters (an operator or an attribute among its keys)? */
const filterLike = (value: Record<string, unknown>, model: Model) => Object.keys(value).some((k) => isOperator(k) || !!model.attributes[k]);

type FilterCheck = 'keys' | 'dynamicZones' | 'morphRelations' | 'passwords' | 'private' | 'relations';

/**
 * One walk per check, in Strapi's order (validate.filters: unknown keys, dynamic zones, morph
 * relations, passwords, private attributes, then the caller's relation permissions): an unknown
 * key deep under a relation the caller may not read is reported as the unknown key.
 */
const filterChecks: FilterCheck[] = ['keys', 'dynamicZones', 'morphRelations', 'passwords', 'private', 'relations'];

function validateFilters(env: QueryEnv, filters: unknown, model: Model): void {
  for (const check of filterChecks) walkFilters(env, filters, model, null, check);
}

/**
 * Strapi's traversal of `filters` (traverse/query-filters): every key that is not an attribute,
 * an operator or an id is refused; the walk goes into operators and ids (same model), relations,
 * media and components (their model), and on v5 also into a scalar attribute's object (same
 * model, so `filters[title][k0]` → "Invalid key k0 at title"), but not into an operator's object
 * operand that holds no operator or attribute (`filters[title][$eq][k]` passes, as on 5.54.0).
 * v4 (4.26.2) never walks into a scalar attribute's value. What passes here and still names no
 * attribute or operator is dropped before evaluation (`convertFilters`).
 */
function walkFilters(env: QueryEnv, filters: unknown, model: Model, attrPath: string | null, check: FilterCheck): void {
  if (Array.isArray(filters)) {
    for (const f of filters) walkFilters(env, f, model, attrPath, check);
    return;
  }
  if (!isObject(filters)) return;
  for (const [key, value] of Object.entries(filters)) {
    const isId = idKeys(env.major).includes(key);
    const attribute = isId ? undefined : model.attributes[key];
    if (!attribute) {
      if (!isId && !isOperator(key)) {
        // v4 ignores unknown operators; v5 rejects every unknown key.
        if (env.major === 4 && key.startsWith('$')) continue;
        if (check === 'keys') fail(env, 'filters', key, attrPath);
        continue;
      }
      if (env.major === 5 && !isId && key !== '$not' && isObject(value) && !filterLike(value, model)) continue;
      walkFilters(env, value, model, attrPath, check);
      continue;
    }
    // v5 names the whole path from the root: `author.role.users.password` (checked on 5.54.0).
    const here = attrPath ? `${attrPath}.${key}` : key;
    const refused =
      (check === 'dynamicZones' && attribute.type === 'dynamiczone') ||
      (check === 'morphRelations' && attribute.type === 'relation' && !attribute.target) ||
      (check === 'passwords' && attribute.type === 'password') ||
      (check === 'private' && !!attribute.private) ||
      (check === 'relations' && attribute.type === 'relation' && !!attribute.target && !env.canRead(attribute.target));
    if (refused) fail(env, 'filters', key, here);
    const linked = linkedModel(env, attribute);
    if (linked) walkFilters(env, value, linked, here, check);
    else if (env.major === 5 && isScalar(attribute) && isObject(value)) walkFilters(env, value, model, here, check);
  }
}

function sortEntries(sort: unknown): Array<{ path: string[]; direction: 'asc' | 'desc' }> {
  const out: Array<{ path: string[]; direction: 'asc' | 'desc' }> = [];
  const visit = (s: unknown, prefix: string[]) => {
    if (typeof s === 'string') {
      for (const part of s.split(',')) {
        const [field, dir] = part.trim().split(':');
        if (!field) continue;
        out.push({ path: [...prefix, ...field.split('.')], direction: (dir ?? 'asc').toLowerCase() === 'desc' ? 'desc' : 'asc' });
      }
    } else if (Array.isArray(s)) {
      for (const item of s) visit(item, prefix);
    } else if (isObject(s)) {
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === 'string') out.push({ path: [...prefix, k], direction: v.toLowerCase() === 'desc' ? 'desc' : 'asc' });
        else visit(v, [...prefix, k]);
      }
    }
  };
  visit(sort, []);
  return out;
}

function validateSort(env: QueryEnv, sort: unknown): void {
  for (const { path } of sortEntries(sort)) {
    let model = env.model;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      if (idKeys(env.major).includes(key)) break;
      const attribute = model.attributes[key];
      const attrPath = i === 0 ? null : path.slice(0, i).join('.');
      if (!attribute) fail(env, 'sort', key, attrPath);
      if (attribute.private || attribute.type === 'password') fail(env, 'sort', key, path.slice(0, i + 1).join('.'));
      if (attribute.type === 'dynamiczone') fail(env, 'sort', key, key);
      if (!linkTypes.includes(attribute.type)) break;
      if (i === path.length - 1 || (attribute.type === 'relation' && !env.canRead(attribute.target!))) fail(env, 'sort', key, key);
      model = linkedModel(env, attribute) ?? { uid: '', attributes: {} };
    }
  }
}

export function fieldList(fields: unknown): string[] {
  if (typeof fields === 'string') return fields.split(',').map((f) => f.trim()).filter(Boolean);
  if (Array.isArray(fields)) return fields.flatMap(fieldList);
  return [];
}

function validateFields(env: QueryEnv, fields: unknown, model: Model, param: Param = 'fields'): void {
  for (const field of fieldList(fields)) {
    if (field === '*' || idKeys(env.major).includes(field)) continue;
    const attribute = model.attributes[field];
    // A known attribute that cannot be selected is reported with its path; an unknown one without.
    if (!isScalar(attribute) || attribute!.private || attribute!.type === 'password') fail(env, param, field, attribute ? field : null);
  }
}

/**
 * The relations a `populate` asks for: unknown ones are an error on v5 (ignored on v4); the
 * ones the caller cannot `find` are dropped silently, as Strapi's sanitizer does.
 */
export function populateList(env: QueryEnv, populate: unknown, model: Model = env.model): Record<string, unknown> {
  // Media (a user extension's picture) populate too, and are always readable.
  const relations = Object.entries(model.attributes).filter(([, a]) => (a.type === 'relation' || a.type === 'media') && !a.private);
  const readable = (a: Model['attributes'][string]) => a.type === 'media' || env.canRead(a.target!);
  const out: Record<string, unknown> = {};
  const add = (name: string, nested: unknown) => {
    const attribute = model.attributes[name];
    if (!attribute || (attribute.type !== 'relation' && attribute.type !== 'media') || attribute.private) {
      if (env.major === 5) fail(env, 'populate', name, name);
      return;
    }
    if (readable(attribute)) out[name] = nested;
  };
  if (populate === '*' || populate === true || populate === 'true') {
    for (const [name, attribute] of relations) if (readable(attribute)) out[name] = true;
  } else if (typeof populate === 'string') {
    for (const part of populate.split(',').map((p) => p.trim()).filter(Boolean)) add(part.split('.')[0], true);
  } else if (Array.isArray(populate)) {
    for (const item of populate) Object.assign(out, populateList(env, item, model));
  } else if (isObject(populate)) {
    for (const [name, nested] of Object.entries(populate)) {
      if (nested === false || nested === 'false') continue;
      add(name, nested);
    }
  }
  return out;
}

export function validateQuery(env: QueryEnv, query: Record<string, unknown>): void {
  const { filters, sort, fields, populate } = query;
  if (filters) validateFilters(env, filters, env.model);
  if (sort) validateSort(env, sort);
  if (fields) validateFields(env, fields, env.model);
  if (populate && populate !== '*') validatePopulate(env, populate, env.model);
}

/**
 * A populated relation's own `fields` are validated against its model, and so on down
 * (`populate[role][populate][users][fields][0]=password` → 400, as on real 4.26.2 and 5.54.0).
 */
function validatePopulate(env: QueryEnv, populate: unknown, model: Model): void {
  const wanted = populateList(env, populate, model);
  for (const [name, nested] of Object.entries(wanted)) {
    if (!isObject(nested)) continue;
    const target = linkedModel(env, model.attributes[name]);
    if (!target) continue;
    validateFields(env, nested.fields, target, 'populate');
    if (nested.populate && nested.populate !== '*') validatePopulate(env, nested.populate, target);
  }
}

// ---------- evaluation (what sqlite answers) ----------

type Row = Record<string, unknown>;

const numericTypes = ['integer', 'biginteger', 'float', 'decimal'];

/** A stored value as sqlite compares it (big integers are kept as strings but compare as numbers). */
const comparable = (attribute: Attribute, stored: unknown): unknown => (attribute.type === 'biginteger' && typeof stored === 'string' && stored !== '' ? Number(stored) : stored);

function castValue(attribute: Attribute | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => castValue(attribute, v));
  const type = attribute?.type ?? 'integer';
  if (type === 'boolean') {
    if (['true', 't', '1', 1, true].includes(value as never)) return true;
    if (['false', 'f', '0', 0, false].includes(value as never)) return false;
    return value;
  }
  if (numericTypes.includes(type)) {
    const n = typeof value === 'number' ? value : Number(value);
    return typeof value === 'string' && value.trim() === '' ? value : Number.isNaN(n) ? value : n;
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** sqlite's comparison of two stored values (NULL < numbers < text). */
const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'number' || typeof v === 'boolean' ? 1 : 2);

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 1) return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const likeText = (v: unknown) => (v === null || v === undefined ? null : asciiLower(typeof v === 'boolean' ? (v ? '1' : '0') : String(v)));

/** SQL's three-valued logic: null is UNKNOWN (a comparison with NULL); only TRUE selects a row. */
type Tri = boolean | null;
type Test = (row: Row) => Tri;
const not3 = (v: Tri): Tri => (v === null ? null : !v);

// Filters are compiled once per request into closures that allocate nothing per row: a list
// filter runs them over every visible row (100k in the scale benchmark).
function and3(tests: Test[]): Test {
  if (tests.length === 1) return tests[0];
  return (row) => {
    let unknown = false;
    for (const t of tests) {
      const v = t(row);
      if (v === false) return false;
      if (v === null) unknown = true;
    }
    return unknown ? null : true;
  };
}

function or3(tests: Test[]): Test {
  return (row) => {
    let unknown = false;
    for (const t of tests) {
      const v = t(row);
      if (v === true) return true;
      if (v === null) unknown = true;
    }
    return unknown ? null : false;
  };
}

/** `id` as filters see it: a value that is not a number never matches (real Strapi casts it away; no crash, unlike other number columns). */
const idAttribute: Attribute = { type: 'integer' };
const notANumber = (v: unknown): boolean => (Array.isArray(v) ? v.some(notANumber) : typeof v === 'string' && v.trim() !== '' && Number.isNaN(Number(v)));

/** One operator against a stored value, its operand cast once. */
function compileOperator(op: string, rawValue: unknown, attribute: Attribute | undefined): (stored: unknown) => Tri {
  // Compared with real 4.26.2 / 5.54.0: filters[id]=abc and filters[id][$lt]=abc both list nothing.
  if (attribute === idAttribute && comparisonOrSet.includes(op) && notANumber(rawValue)) return () => null;
  const value = castValue(attribute, rawValue);
  const values = Array.isArray(value) ? value : [value];
  const isNull = (stored: unknown) => stored === null || stored === undefined;
  const equalsAny = (stored: unknown) => {
    for (const v of values) if (compare(stored, v) === 0) return true;
    return false;
  };
  const lowered = values.map((v) => asciiLower(String(v)));
  const needle = likeText(Array.isArray(rawValue) ? rawValue[0] : rawValue) ?? '';
  // Lower-casing only matters when the needle has ASCII letters; skip it per row otherwise.
  const caseless = !/[A-Za-z]/.test(needle);
  const like = (test: (text: string) => boolean) => (stored: unknown): Tri => {
    const text = caseless && typeof stored === 'string' ? stored : likeText(stored);
    return text === null ? null : test(text);
  };
  switch (op) {
    case '$eq':
      if (value === null) return isNull;
      return (stored) => (isNull(stored) ? null : equalsAny(stored));
    case '$ne':
      if (value === null) return (stored) => !isNull(stored);
      return (stored) => (isNull(stored) ? null : !equalsAny(stored));
    case '$eqi':
      return (stored) => (isNull(stored) ? null : lowered.includes(asciiLower(String(stored))));
    case '$nei':
      return (stored) => (isNull(stored) ? null : !lowered.includes(asciiLower(String(stored))));
    case '$lt':
      return (stored) => (isNull(stored) ? null : compare(stored, value) < 0);
    case '$lte':
      return (stored) => (isNull(stored) ? null : compare(stored, value) <= 0);
    case '$gt':
      return (stored) => (isNull(stored) ? null : compare(stored, value) > 0);
    case '$gte':
      return (stored) => (isNull(stored) ? null : compare(stored, value) >= 0);
    case '$in':
      return (stored) => (isNull(stored) ? null : equalsAny(stored));
    case '$notIn':
      return (stored) => (isNull(stored) ? null : !equalsAny(stored));
    case '$between': {
      const [lo, hi] = values;
      return (stored) => (isNull(stored) ? null : compare(stored, lo) >= 0 && compare(stored, hi) <= 0);
    }
    case '$null': {
      const wanted = castValue({ type: 'boolean' }, rawValue) === true;
      return (stored) => (wanted ? stored == null : stored != null);
    }
    case '$notNull': {
      const wanted = castValue({ type: 'boolean' }, rawValue) === true;
      return (stored) => (wanted ? stored != null : stored == null);
    }
    case '$contains':
    case '$containsi':
      return like((text) => text.includes(needle));
    case '$notContains':
    case '$notContainsi':
      return like((text) => !text.includes(needle));
    case '$startsWith':
    case '$startsWithi':
      return like((text) => text.startsWith(needle));
    case '$endsWith':
    case '$endsWithi':
      return like((text) => text.endsWith(needle));
    default:
      // Unknown operators are ignored (v4); v5 rejected them during validation.
      return () => true;
  }
}

/** parseType({type: 'boolean', forceCast: true}): the known spellings, else JavaScript's truthiness. */
function forcedBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (['true', 't', '1', 1].includes(value as never)) return true;
  if (['false', 'f', '0', 0].includes(value as never)) return false;
  return Boolean(value);
}

/**
 * convertAndSanitizeFilters (the same in 4.26.2 and 5.54.0), between validation and the database:
 * keys that are no operator, attribute or id are dropped, and so are objects left empty by that
 * (`filters[title][$eq][k]=x` or qs's `$in` object past index 99 filter nothing), dynamic zones
 * and passwords; `$null`/`$notNull` operands become booleans.
 */
function convertFilters(env: QueryEnv, filters: unknown, model: Model): unknown {
  if (Array.isArray(filters)) return filters.map((f) => convertFilters(env, f, model)).filter((f) => !(isObject(f) && Object.keys(f).length === 0));
  if (!isObject(filters)) return filters;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    const attribute = idKeys(env.major).includes(key) ? undefined : model.attributes[key];
    if (!attribute && !isOperator(key) && !idKeys(env.major).includes(key)) continue;
    let converted = value;
    if (attribute) {
      if (attribute.type === 'dynamiczone' || attribute.type === 'password') continue;
      converted = convertFilters(env, value, linkedModel(env, attribute) ?? model);
    } else if (key === '$null' || key === '$notNull') converted = forcedBoolean(value);
    else if (typeof value === 'object' && value !== null) converted = convertFilters(env, value, model);
    if (isObject(converted) && Object.keys(converted).length === 0) continue;
    out[key] = converted;
  }
  return out;
}

/** Compiles Strapi filters into a predicate over stored rows (a row is selected when the WHERE is TRUE). */
export function compileFilters(env: QueryEnv, filters: unknown, model: Model = env.model): (row: Row) => boolean {
  const where = compileWhere(env, convertFilters(env, filters, model), model);
  return (row) => where(row) === true;
}

const branchesOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : isObject(value) ? Object.values(value) : []);

function compileWhere(env: QueryEnv, filters: unknown, model: Model): Test {
  if (Array.isArray(filters)) return and3(filters.map((f) => compileWhere(env, f, model)));
  if (!isObject(filters)) return () => true;
  const tests: Test[] = [];
  for (const [key, value] of Object.entries(filters)) {
    if (key === '$or') {
      const branches = branchesOf(value).map((f) => compileWhere(env, f, model));
      tests.push(branches.length === 0 ? () => true : or3(branches));
      continue;
    }
    if (key === '$and') {
      tests.push(and3(branchesOf(value).map((f) => compileWhere(env, f, model))));
      continue;
    }
    if (key === '$not') {
      const inner = compileWhere(env, value, model);
      tests.push((row) => not3(inner(row)));
      continue;
    }
    if (isOperator(key) || key.startsWith('$')) continue;
    const attribute: Attribute | undefined = idKeys(env.major).includes(key) ? (key === 'id' ? idAttribute : { type: 'string' }) : model.attributes[key];
    if (!attribute) continue;
    if (linkTypes.includes(attribute.type)) {
      const target = linkedModel(env, attribute) ?? { uid: '', attributes: {} };
      // `filters[role]=1` or `filters[role][$eq]=1` address the related id.
      const inner = isObject(value) && Object.keys(value).some((k) => !isOperator(k)) ? compileWhere(env, value, target) : compileWhere(env, { id: value }, target);
      const all = env.relatedAll;
      if (all) {
        // A LEFT JOIN: a row matches when one of its links does; without links, the joined
        // columns are NULL (so `$null` matches).
        tests.push((row) => {
          const list = all(row, key, model);
          if (list.length === 0) return inner({});
          let unknown = false;
          for (const r of list) {
            const v = inner(r);
            if (v === true) return true;
            if (v === null) unknown = true;
          }
          return unknown ? null : false;
        });
      } else {
        tests.push((row) => {
          const related = env.related(row, key, model);
          return related ? inner(related) : false;
        });
      }
      continue;
    }
    tests.push(compileAttribute(key, attribute, value));
  }
  return tests.length === 0 ? () => true : and3(tests);
}

function compileAttribute(key: string, attribute: Attribute, value: unknown): Test {
  const stored = (row: Row) => comparable(attribute, row[key]);
  if (isObject(value)) {
    const parts: Test[] = [];
    for (const [op, operand] of Object.entries(value)) {
      if (op === '$not') {
        const inner = compileAttribute(key, attribute, operand);
        parts.push((row) => not3(inner(row)));
      } else if (op === '$or' || op === '$and') {
        // Strapi's database layer only takes $or/$and at the level of a model (4.26.2 and 5.54.0 answer 500).
        throw insteadOfStrapiCrash(`Invalid filter on ${key}: ${op} groups filters of a model (filters[${op}][0][${key}]…), not the values of one attribute`);
      } else {
        // So does a comparison with an object operand (filters[title][$eq][$eq]=x).
        if (comparisons.includes(op) && isObject(operand)) throw insteadOfStrapiCrash(`Invalid filter on ${key}: ${op} takes a value, not an object (${JSON.stringify(operand)})`);
        // After convertFilters only operators and attribute names are left; an attribute inside
        // another one's filter makes Strapi's database layer throw (500 "Undefined attribute level operator").
        if (!isOperator(op)) throw insteadOfStrapiCrash(`Invalid filter on ${key}: "${op}" is not an operator (${key} is not a relation, so it holds no attributes)`);
        const test = compileOperator(op, operand, attribute);
        parts.push((row) => test(stored(row)));
      }
    }
    return parts.length === 0 ? () => true : and3(parts);
  }
  // A bare value means $eq; a list means $in.
  const test = compileOperator(Array.isArray(value) ? '$in' : '$eq', value, attribute);
  return (row) => test(stored(row));
}

/**
 * Sorts rows the way sqlite does for ORDER BY (ties keep the id order). With `first`, only
 * the first `first` rows of that order are returned, picked without sorting the rest: a page
 * of a large list needs its page, not the whole order (O(n log first)).
 */
export function sortRows<R extends Row>(env: QueryEnv, rows: readonly R[], sort: unknown, first?: number): R[] {
  const entries = sortEntries(sort);
  if (!entries.length) return rows as R[];
  const valueAt = (row: Row, path: string[]): unknown => {
    let model = env.model;
    let current: Row | null = row;
    for (let i = 0; i < path.length && current; i++) {
      const attribute = model.attributes[path[i]];
      if (attribute && linkTypes.includes(attribute.type)) {
        current = env.relatedAll ? (env.relatedAll(current, path[i], model)[0] ?? null) : env.related(current, path[i], model);
        model = linkedModel(env, attribute) ?? { uid: '', attributes: {} };
        continue;
      }
      return attribute ? comparable(attribute, current[path[i]]) : current[path[i]];
    }
    return null;
  };
  const order = (a: Keyed<R>, b: Keyed<R>) => {
    for (let i = 0; i < entries.length; i++) {
      const c = compare(a.keys[i], b.keys[i]);
      if (c !== 0) return entries[i].direction === 'asc' ? c : -c;
    }
    return a.at - b.at;
  };
  // Each row's sort keys once (a relation path walks links), not once per comparison.
  // A plain attribute of the row itself (the common case) is read directly, without the walk.
  const readers = entries.map(({ path }): ((row: Row) => unknown) => {
    const attribute = env.model.attributes[path[0]];
    if (path.length === 1 && attribute && !linkTypes.includes(attribute.type)) {
      const key = path[0];
      return attribute.type === 'biginteger' ? (row) => comparable(attribute, row[key]) : (row) => row[key];
    }
    return (row) => valueAt(row, path);
  });
  const keysOf = (row: R, into: unknown[]) => {
    for (let i = 0; i < readers.length; i++) into[i] = readers[i](row);
    return into;
  };
  if (first !== undefined && first < rows.length / 4) return topRows(rows, keysOf, order, first).map((k) => k.row);
  return rows.map((row, at) => ({ row, at, keys: keysOf(row, []) })).sort(order).map((k) => k.row);
}

type Keyed<R> = { row: R; at: number; keys: unknown[] };

/** The first `k` rows in `order`, kept in a bounded max-heap (the worst kept row on top). */
function topRows<R>(rows: readonly R[], keysOf: (row: R, into: unknown[]) => unknown[], order: (a: Keyed<R>, b: Keyed<R>) => number, k: number): Array<Keyed<R>> {
  if (k <= 0) return [];
  const heap: Array<Keyed<R>> = [];
  const swap = (i: number, j: number) => {
    const t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && order(heap[l], heap[worst]) > 0) worst = l;
      if (r < heap.length && order(heap[r], heap[worst]) > 0) worst = r;
      if (worst === i) return;
      swap(i, worst);
      i = worst;
    }
  };
  // One scratch candidate: a row that does not make the page costs no allocation.
  const candidate: Keyed<R> = { row: rows[0], at: 0, keys: [] };
  for (let at = 0; at < rows.length; at++) {
    candidate.row = rows[at];
    candidate.at = at;
    keysOf(rows[at], candidate.keys);
    if (heap.length < k) {
      heap.push({ ...candidate, keys: [...candidate.keys] });
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (order(heap[i], heap[parent]) <= 0) break;
        swap(i, parent);
        i = parent;
      }
    } else if (order(candidate, heap[0]) < 0) {
      heap[0] = { ...candidate, keys: [...candidate.keys] };
      down(0);
    }
  }
  return heap.sort(order);
}
