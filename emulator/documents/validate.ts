// Strapi's entity validator (core services/entity-validator) as it answers, for any model:
// yup 0.32 with strict: false (numbers and booleans are cast, strings are not), every error
// collected, Strapi's messages. What differs between majors and between a draft and a
// published version is an option:
//  - creation: a required attribute must be defined (notNil); update: not null (notNull);
//  - a draft (v5 drafts, v4 entries created with publishedAt null) skips required, minLength,
//    min, regex, email and unique checks (v5 only: v4 keeps min/regex/email/min length);
//  - v5 gives plain strings a default maxLength of 255, checks bigintegers and finite floats;
//  - v5 checks unique values against published rows only, v4 against every row.
// The database layer's own parsing of dates, datetimes and times runs after (parseStored).
import type { Major } from '../config.js';
import { ValidationError, type YupIssue, YupValidationError } from '../http/errors.js';
import { isYupEmail, printValue } from '../http/yup.js';
import type { Registry } from './models.js';
import { type Attribute, type ModelDef, holdsMany, targetOf } from './models.js';

export type Mode = 'creation' | 'update';

export type ValidateOptions = {
  major: Major;
  mode: Mode;
  isDraft: boolean;
  registry: Registry;
  /** Unique attributes: does another entry already hold this value? */
  isTaken: (model: ModelDef, attribute: string, value: unknown) => boolean;
};

export type Issue = { path: string; message: string; value?: unknown; hasValue: boolean };

const isPlainObject = (v: unknown): v is Record<string, unknown> => Object.prototype.toString.call(v) === '[object Object]';
const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;

/** Strapi's notType message (yup's, without the `.nullable()` hint). */
function notType(label: string, type: string, value: unknown, original: unknown): string {
  const cast = original != null && !Object.is(original, value);
  return `${label} must be a \`${type}\` type, but the final value was: \`${printValue(value)}\`${cast ? ` (cast from the value \`${printValue(original)}\`).` : '.'}`;
}

const issue = (path: string, message: string, value: unknown): Issue => ({ path, message, value, hasValue: value !== undefined });

/** yup number(): strings lose their spaces and go through `+`, anything else parseFloat. */
function castNumber(value: unknown, nullable: boolean): unknown {
  let parsed: unknown = value;
  if (typeof parsed === 'string') {
    const s = parsed.replace(/\s/g, '');
    if (s === '') return Number.NaN;
    parsed = +s;
  }
  if ((typeof parsed === 'number' && !Number.isNaN(parsed)) || (nullable && parsed === null)) return parsed;
  return Number.parseFloat(String(parsed));
}

/** yup boolean(). */
function castBoolean(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  if (/^(true|1)$/i.test(String(value))) return true;
  if (/^(false|0)$/i.test(String(value))) return false;
  return value;
}

/** yup string() (used without preventCast by enumerations). */
function castString(value: unknown): unknown {
  if (typeof value === 'string' || isNil(value) || Array.isArray(value)) return value;
  const s = (value as { toString?: () => string }).toString?.();
  return s === '[object Object]' ? value : s;
}

const BIG_INTEGER = /^[+-]?\d+$/;
function toBigIntegerString(value: unknown): string | undefined {
  if (value == null) return undefined;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) && Number.isInteger(value) ? value.toString() : undefined;
  if (typeof value === 'string') return BIG_INTEGER.test(value.trim()) ? BigInt(value.trim()).toString() : undefined;
  return undefined;
}

const uidRegex = /^[A-Za-z0-9-_.~]*$/;

type Result = { value: unknown; issues: Issue[] };

function requiredTest(label: string, path: string, value: unknown, opts: ValidateOptions, required: boolean): Issue[] {
  if (!required) return [];
  if (opts.mode === 'creation' && isNil(value)) return [issue(path, `${label} must be defined.`, value)];
  if (opts.mode === 'update' && value === null) return [issue(path, `${label} cannot be null.`, value)];
  return [];
}

function validateScalar(model: ModelDef, name: string, attr: Attribute, original: unknown, path: string, opts: ValidateOptions): Result {
  const label = path;
  const v5 = opts.major === 5;
  const required = !!attr.required && !opts.isDraft;
  const checks = !(v5 && opts.isDraft); // v5 skips these for drafts
  const nullable = !required;
  const issues: Issue[] = [];
  const typed = (type: string, value: unknown, ok: boolean): Result | undefined => {
    if (value === undefined) return undefined;
    if (value === null ? !nullable : !ok) return { value, issues: [issue(path, notType(label, type, value, original), value)] };
    return undefined;
  };
  const unique = (value: unknown) => {
    if ((attr.type !== 'uid' && !attr.unique) || isNil(value) || value === '') return;
    if (v5 && opts.isDraft) return;
    if (opts.isTaken(model, name, value)) issues.push(issue(path, 'This attribute must be unique', value));
  };
  switch (attr.type) {
    case 'string':
    case 'text':
    case 'richtext':
    case 'password':
    case 'email':
    case 'uid': {
      const value = original;
      const bad = typed('string', value, typeof value === 'string');
      if (bad) return bad;
      if (typeof value === 'string') {
        if (attr.minLength !== undefined && Number.isInteger(attr.minLength) && attr.minLength > 0 && !opts.isDraft && value.length < attr.minLength) issues.push(issue(path, `${label} must be at least ${attr.minLength} characters`, value));
        const max = v5 && attr.type === 'string' ? (Number.isInteger(attr.maxLength) ? attr.maxLength! : 255) : Number.isInteger(attr.maxLength) && attr.maxLength! > 0 ? attr.maxLength : undefined;
        if (max !== undefined && value.length > max) issues.push(issue(path, `${label} must be at most ${max} characters`, value));
        if (attr.regex !== undefined && checks && !(value === '' && !attr.required) && !new RegExp(attr.regex).test(value)) issues.push(issue(path, `${label} must match the following: "${String(new RegExp(attr.regex))}"`, value));
        unique(value);
        if (attr.type === 'email' && checks) {
          if (value !== '' && !isYupEmail(value)) issues.push(issue(path, `${label} must be a valid email`, value));
          if (value.length < 1) issues.push(issue(path, `${label} cannot be empty`, value));
        }
        if (attr.type === 'uid' && checks) {
          const rx = v5 && attr.regex ? new RegExp(attr.regex) : uidRegex;
          if (!rx.test(value)) issues.push(issue(path, `${label} must match the following: "${String(rx)}"`, value));
        }
      }
      issues.push(...requiredTest(label, path, value, opts, required));
      return { value, issues };
    }
    case 'enumeration': {
      const value = castString(original);
      const bad = typed('string', value, typeof value === 'string');
      if (bad) return bad;
      const allowed = [...(attr.enum ?? []), null];
      if (value !== undefined && !allowed.includes(value as string | null)) return { value, issues: [issue(path, `${label} must be one of the following values: ${allowed.join(', ')}`, value)] };
      issues.push(...requiredTest(label, path, value, opts, required));
      return { value, issues };
    }
    case 'integer':
    case 'float':
    case 'decimal': {
      const value = original === undefined ? undefined : castNumber(original, nullable);
      const bad = typed('number', value, typeof value === 'number' && !Number.isNaN(value));
      if (bad) return bad;
      if (typeof value === 'number') {
        if (attr.type === 'integer' && !Number.isInteger(value)) issues.push(issue(path, `${label} must be an integer`, value));
        if (v5 && attr.type !== 'integer' && !Number.isFinite(value)) issues.push(issue(path, `${label} must be a finite number`, value));
        const min = typeof attr.min === 'number' || (v5 && attr.min != null && Number.isFinite(Number(attr.min))) ? Number(attr.min) : undefined;
        const max = typeof attr.max === 'number' || (v5 && attr.max != null && Number.isFinite(Number(attr.max))) ? Number(attr.max) : undefined;
        const asInt = (n: number) => (attr.type === 'integer' ? Math.trunc(n) : n);
        if (min !== undefined && !(v5 && opts.isDraft) && value < asInt(min)) issues.push(issue(path, `${label} must be greater than or equal to ${asInt(min)}`, value));
        if (max !== undefined && value > asInt(max)) issues.push(issue(path, `${label} must be less than or equal to ${asInt(max)}`, value));
        unique(value);
      }
      issues.push(...requiredTest(label, path, value, opts, required));
      return { value, issues };
    }
    case 'biginteger': {
      if (!v5) {
        issues.push(...requiredTest(label, path, original, opts, required));
        return { value: isNil(original) ? original : typeof original === 'object' ? original : String(original), issues };
      }
      const value = toBigIntegerString(original) ?? original;
      if (!isNil(value) && toBigIntegerString(value) === undefined) issues.push(issue(path, `${label} must be a valid integer`, value));
      else unique(value);
      issues.push(...requiredTest(label, path, value, opts, required));
      return { value, issues };
    }
    case 'boolean': {
      const value = original === undefined ? undefined : castBoolean(original);
      const bad = typed('boolean', value, typeof value === 'boolean');
      // v5 declares every boolean nullable; a required one still refuses null (notNil).
      if (bad && !(v5 && value === null)) return bad;
      issues.push(...requiredTest(label, path, value, opts, required));
      return { value, issues };
    }
    case 'blocks': {
      // yup array(): a string is JSON.parsed (null when it is not JSON).
      let value = original;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch {
          value = null;
        }
      }
      const bad = typed('array', value, Array.isArray(value));
      if (bad) return bad;
      if (Array.isArray(value)) issues.push(...validateBlocks(value, path));
      issues.push(...requiredTest(label, path, value, opts, required));
      return { value, issues };
    }
    default: {
      // date, datetime, time, timestamp, json: yup.mixed() (the database parses them later).
      const value = original;
      unique(value);
      issues.push(...requiredTest(label, path, value, opts, required));
      return { value, issues };
    }
  }
}

const inlineTypes = ['text', 'link'];
function validateBlocks(nodes: unknown[], path: string): Issue[] {
  const out: Issue[] = [];
  const children = (node: Record<string, unknown>, at: string, kind: string, min = true) => {
    const list = node.children;
    if (!Array.isArray(list)) {
      out.push(issue(`${at}.children`, list === undefined ? `${at}.children is a required field` : notType(`${at}.children`, 'array', list, list), list));
      return;
    }
    if (min && list.length < 1) out.push(issue(`${at}.children`, `${kind} node children must have at least one Text or Link node`, list));
    list.forEach((child, i) => {
      const p = `${at}.children[${i}]`;
      if (!isPlainObject(child) || !inlineTypes.includes(child.type as string)) out.push(issue(p, 'Inline node must be Text or Link', child));
      else if (child.type === 'text' && typeof child.text !== 'string') out.push(issue(`${p}.text`, 'Text must be defined with at least an empty string', child.text));
    });
  };
  nodes.forEach((node, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(node)) {
      out.push(issue(at, 'Block node is of invalid type', node));
      return;
    }
    switch (node.type) {
      case 'paragraph':
        return children(node, at, 'Paragraph');
      case 'heading':
        if (![1, 2, 3, 4, 5, 6].includes(node.level as number)) out.push(issue(`${at}.level`, node.level === undefined ? `${at}.level is a required field` : `${at}.level must be one of the following values: 1, 2, 3, 4, 5, 6`, node.level));
        return children(node, at, 'Heading');
      case 'quote':
      case 'code':
        return children(node, at, 'Quote');
      case 'list':
      case 'image':
        if (!Array.isArray(node.children)) out.push(issue(`${at}.children`, `${at}.children is a required field`, node.children));
        return;
      default:
        out.push(issue(at, 'Block node is of invalid type', node));
    }
  });
  return out;
}

function validateComponent(attr: Attribute, original: unknown, path: string, opts: ValidateOptions): Result {
  const model = opts.registry.get(attr.component!);
  if (attr.repeatable) return validateList(attr, original, path, opts, (item, p) => validateModel(model, item, opts, p));
  const required = !!attr.required && !opts.isDraft;
  if (original === null) return required ? { value: original, issues: [issue(path, notType(path, 'object', original, original), original)] } : { value: null, issues: [] };
  if (original === undefined) return { value: undefined, issues: requiredTest(path, path, original, opts, required) };
  if (!isPlainObject(original)) return { value: original, issues: [issue(path, notType(path, 'object', original, original), original)] };
  return validateModel(model, original, opts, path);
}

function minMax(attr: Attribute, list: unknown[], path: string): Issue[] {
  const out: Issue[] = [];
  if (Number.isInteger(attr.min) && (attr.required || list.length > 0) && list.length < attr.min!) out.push(issue(path, `${path} field must have at least ${attr.min} items`, list));
  if (Number.isInteger(attr.max) && list.length > attr.max!) out.push(issue(path, `${path} field must have less than or equal to ${attr.max} items`, list));
  return out;
}

function validateDynamicZone(attr: Attribute, original: unknown, path: string, opts: ValidateOptions): Result {
  // The order Object.keys(strapi.components) lists them in (observed: reverse alphabetical).
  const all = opts.registry.components.map((c) => c.uid).sort().reverse();
  return validateList(attr, original, path, opts, (item, p) => {
    const issues: Issue[] = [];
    const uid = item.__component;
    if (uid === undefined || uid === null || uid === '') issues.push(issue(`${p}.__component`, `${p}.__component is a required field`, uid));
    else if (typeof uid !== 'string') issues.push(issue(`${p}.__component`, notType(`${p}.__component`, 'string', uid, uid), uid));
    else if (!all.includes(uid)) issues.push(issue(`${p}.__component`, `${p}.__component must be one of the following values: ${all.join(', ')}`, uid));
    const model = typeof uid === 'string' ? opts.registry.models.get(uid) : undefined;
    if (model?.modelType !== 'component') return { value: item, issues };
    const r = validateModel(model, item, opts, p);
    return { value: { ...(r.value as object), __component: uid }, issues: [...issues, ...r.issues] };
  });
}

/**
 * A list of objects (a repeatable component, a dynamic zone): each object through `each`,
 * anything else a type error; then the min/max count (not on v5 drafts) and `required`.
 */
function validateList(attr: Attribute, value: unknown, path: string, opts: ValidateOptions, each: (item: Record<string, unknown>, p: string) => Result): Result {
  if (value === null || (value !== undefined && !Array.isArray(value))) return { value, issues: [issue(path, notType(path, 'array', value, value), value)] };
  const issues: Issue[] = [];
  const out: unknown[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (!isPlainObject(item)) {
        issues.push(issue(p, notType(p, 'object', item, item), item));
        out.push(item);
        return;
      }
      const r = each(item, p);
      issues.push(...r.issues);
      out.push(r.value);
    });
    if (!(opts.major === 5 && opts.isDraft)) issues.push(...minMax(attr, value, path));
  }
  issues.push(...requiredTest(path, path, value, opts, true));
  return { value: Array.isArray(value) ? out : value, issues };
}

function validateRelational(attr: Attribute, value: unknown, path: string, opts: ValidateOptions): Result {
  // Media are never required-checked; relations only on v4 (v5: strictRelations is off by default).
  if (attr.type === 'relation' && opts.major === 4) return { value, issues: requiredTest(path, path, value, opts, !!attr.required && !opts.isDraft) };
  return { value, issues: [] };
}

/**
 * Validates and casts `data` against a model's writable attributes. Unknown keys are left
 * out (v4's sanitizer drops them; v5 refused them before, see checkInputKeys). On creation,
 * defaults fill what is missing. Returns the cast data and every issue, in attribute order.
 */
export function validateModel(model: ModelDef, data: Record<string, unknown>, opts: ValidateOptions, prefix = ''): { value: Record<string, unknown>; issues: Issue[] } {
  const value: Record<string, unknown> = {};
  const issues: Issue[] = [];
  if ('id' in data && model.modelType === 'component') value.id = data.id;
  for (const name of model.writable) {
    const attr = model.attributes[name];
    const path = prefix ? `${prefix}.${name}` : name;
    let v = data[name];
    if (v === undefined && opts.mode === 'creation') {
      if ((attr.type === 'component' && attr.repeatable) || attr.type === 'dynamiczone') v = attr.required ? undefined : [];
      else v = attr.default;
    }
    let r: Result;
    if (attr.type === 'component') r = validateComponent(attr, v, path, opts);
    else if (attr.type === 'dynamiczone') r = validateDynamicZone(attr, v, path, opts);
    else if (attr.type === 'relation' || attr.type === 'media') r = validateRelational(attr, v, path, opts);
    else r = validateScalar(model, name, attr, v, path, opts);
    issues.push(...r.issues);
    if (r.value !== undefined) value[name] = r.value;
  }
  return { value, issues };
}

/** lodash toPath of a yup path (`features[0].label` → ['features','0','label']). */
export function toPath(path: string): string[] {
  return path.replace(/\[(\w+)\]/g, '.$1').split('.').filter((p) => p !== '');
}

/** Issues → Strapi's answer (v5 details carry the failing value). */
export function throwIssues(issues: Issue[], major: Major): void {
  if (!issues.length) return;
  throw new YupValidationError(issues.map((i): YupIssue => ({ path: toPath(i.path), message: i.message, name: 'ValidationError', ...(major === 5 && i.hasValue ? { value: i.value ?? null } : {}) })));
}

// ---------- the database layer (runs after validation) ----------

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const PARTIAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])/;
const TIME = /^(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]{1,3})?$/;

/** date-fns parseISO, as far as REST clients use it (no offset: the server's zone, UTC here). */
function parseIso(value: string): Date | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', zone] = m;
  let offset = 0;
  if (zone && zone !== 'Z') {
    const z = /([+-])(\d{2}):?(\d{2})?/.exec(zone)!;
    offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0));
  }
  const ms = Number(`0.${frac}`) * 1000;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(ms)) - offset * 60_000;
  const date = new Date(t);
  if (Number.isNaN(t) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 24 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return date;
}

/** The database fields' toDB(): dates, datetimes and times are parsed (and normalized), bigintegers become strings. */
export function parseStored(attr: Attribute, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (attr.type) {
    case 'date': {
      const found = typeof value === 'string' ? PARTIAL_DATE.exec(value)?.[0] : undefined;
      if (!found) throw new ValidationError('Invalid format, expected yyyy-MM-dd');
      if (!parseIso(found) || !DATE.test(found)) throw new ValidationError('Invalid date');
      return found;
    }
    case 'datetime':
    case 'timestamp': {
      const text = String(value);
      const date = parseIso(text) ?? (/^-?\d+$/.test(text) ? new Date(Number(text)) : undefined);
      if (!date || Number.isNaN(date.getTime())) throw new ValidationError('Invalid format, expected a timestamp or an ISO date');
      return date.toISOString();
    }
    case 'time': {
      if (typeof value !== 'string') throw new ValidationError(`Expected a string, got a ${typeof value}`);
      const m = TIME.exec(value);
      if (!m) throw new ValidationError('Invalid time format, expected HH:mm:ss.SSS');
      return `${m[1]}:${m[2]}:${m[3]}.${(m[4] ?? '.000').slice(1).padEnd(3, '0')}`;
    }
    case 'biginteger':
      return typeof value === 'object' ? value : String(value);
    default:
      return value;
  }
}

export { holdsMany, targetOf };
