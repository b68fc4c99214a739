// The slice of yup 0.32.9 that Strapi's users-permissions validators use, reproducing its
// answers: the messages (with Strapi's notType override), strict mode (no casting), all
// errors collected (abortEarly: false), and their order — yup validates an object's fields
// in reverse declaration order, then stable-sorts the errors by the index of the first
// declared key that is a *substring* of the error path (sortByKeyOrder); the root object's
// own errors (noUnknown) have the path '' and end up last.
import { type YupIssue, YupValidationError } from './errors.js';

export type FieldSchema =
  | { kind: 'string'; tests: StringTest[] }
  | { kind: 'strapiID'; tests: MixedTest[] }
  | { kind: 'mixed'; tests: MixedTest[] }
  | { kind: 'array'; of?: FieldSchema; tests: ArrayTest[] }
  | ObjectSchema
  | { kind: 'lazy'; resolve: (value: unknown) => FieldSchema };

export type ObjectSchema = { kind: 'object'; shape: Record<string, FieldSchema>; noUnknown?: boolean; required?: boolean; tests?: Array<(value: unknown) => string | null> };

type StringTest =
  | { test: 'required' }
  | { test: 'email' }
  | { test: 'min'; min: number }
  | { test: 'oneOfRef'; ref: string; message: string }
  | { test: 'custom'; run: (value: unknown) => string | null };
type MixedTest = { test: 'required' } | { test: 'custom'; run: (value: unknown) => string | null };
type ArrayTest = { test: 'required' } | { test: 'min'; min: number; message: string } | { test: 'custom'; run: (value: unknown) => string | null };

// yup 0.32 string().email() regex.
const rEmail =
  /^((([a-z]|\d|[!#$%&'*+\-/=?^_`{|}~]|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])+(\.([a-z]|\d|[!#$%&'*+\-/=?^_`{|}~]|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])+)*)|((\x22)((((\x20|\x09)*(\x0d\x0a))?(\x20|\x09)+)?(([\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\x21|[\x23-\x5b]|[\x5d-\x7e]|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])|(\\([\x01-\x09\x0b\x0c\x0d-\x7f]|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]))))*(((\x20|\x09)*(\x0d\x0a))?(\x20|\x09)+)?(\x22)))@((([a-z]|\d|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])|(([a-z]|\d|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])([a-z]|\d|-|\.|_|~|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])*([a-z]|\d|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])))\.)+(([a-z]|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])|(([a-z]|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])([a-z]|\d|-|\.|_|~|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])*([a-z]|[\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF])))$/i;

export const isYupEmail = (value: string) => rEmail.test(value);

// Builders, named after yup's chain.
export const string = (...tests: StringTest[]): FieldSchema => ({ kind: 'string', tests });
export const strapiID = (...tests: MixedTest[]): FieldSchema => ({ kind: 'strapiID', tests });
export const mixed = (...tests: MixedTest[]): FieldSchema => ({ kind: 'mixed', tests });
export const array = (of: FieldSchema | undefined, ...tests: ArrayTest[]): FieldSchema => ({ kind: 'array', of, tests });
export const object = (shape: Record<string, FieldSchema>, opts: { noUnknown?: boolean; required?: boolean; tests?: Array<(value: unknown) => string | null> } = {}): ObjectSchema => ({ kind: 'object', shape, ...opts });
export const lazy = (resolve: (value: unknown) => FieldSchema): FieldSchema => ({ kind: 'lazy', resolve });
export const required = { test: 'required' } as const;
export const email = { test: 'email' } as const;
export const min = (n: number) => ({ test: 'min', min: n }) as const;

/** yup's printValue(value, quoteStrings = true). */
export function printValue(value: unknown): string {
  const simple = (val: unknown): string | null => {
    if (val == null || val === true || val === false) return String(val);
    if (typeof val === 'number') return val !== +val ? 'NaN' : Object.is(val, -0) ? '-0' : String(val);
    if (typeof val === 'string') return `"${val}"`;
    if (typeof val === 'function') return `[Function ${val.name || 'anonymous'}]`;
    return null;
  };
  const result = simple(value);
  if (result !== null) return result;
  return JSON.stringify(
    value,
    function (this: Record<string, unknown>, key: string, v: unknown) {
      const r = simple(this[key]);
      return r !== null ? r : v;
    },
    2,
  );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => Object.prototype.toString.call(v) === '[object Object]';

/** Strapi's notType message (it drops yup's `.nullable()` hint). */
const notType = (path: string, type: string, value: unknown) => `${path} must be a \`${type}\` type, but the final value was: \`${printValue(value)}\`.`;

type RawIssue = { path: string | undefined; message: string; value: unknown };

function typeOk(schema: FieldSchema, value: unknown): boolean {
  switch (schema.kind) {
    case 'string':
      return typeof value === 'string';
    case 'strapiID':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value) || typeof value === 'function';
    default:
      return true;
  }
}

const typeName: Record<string, string> = { string: 'string', strapiID: 'strapiID', array: 'array', object: 'object', mixed: 'mixed' };

function present(schema: FieldSchema, value: unknown): boolean {
  if (value == null) return false;
  // yup 0.32: an empty string is absent, an empty array is present.
  if (schema.kind === 'string') return (value as string).length > 0;
  return true;
}

function validateField(schema: FieldSchema, value: unknown, path: string | undefined, parent: Record<string, unknown> | undefined): RawIssue[] {
  if (schema.kind === 'lazy') return validateField(schema.resolve(value), value, path, parent);
  const label = path || 'this';
  // yup runs its "initial" tests first — the type check and oneOf — and stops there when one fails.
  const initial: RawIssue[] = [];
  if (value !== undefined && !typeOk(schema, value)) initial.push({ path, message: notType(label, typeName[schema.kind], value), value });
  for (const t of schema.kind === 'object' ? [] : schema.tests) {
    if (t.test === 'oneOfRef' && value !== undefined && value !== parent?.[t.ref]) initial.push({ path, message: t.message, value });
  }
  if (initial.length) return initial;
  const issues: RawIssue[] = [];
  if (schema.kind === 'object') {
    if (schema.noUnknown && isPlainObject(value)) {
      const unknown = Object.keys(value).filter((k) => !(k in schema.shape));
      if (unknown.length) issues.push({ path: path ?? '', message: `${label} field has unspecified keys: ${unknown.join(', ')}`, value });
    }
    if (schema.required && value == null) issues.push({ path: path ?? '', message: `${label} is a required field`, value });
    for (const run of schema.tests ?? []) {
      const message = value == null ? null : run(value);
      if (message) issues.push({ path: path ?? '', message, value });
    }
    if (isPlainObject(value)) {
      const keys = Object.keys(schema.shape);
      const fieldIssues: RawIssue[] = [];
      for (const key of [...keys].reverse()) {
        const childPath = path ? `${path}.${key}` : key;
        fieldIssues.push(...validateField(schema.shape[key], value[key], childPath, value));
      }
      issues.push(...fieldIssues);
      // sortByKeyOrder: `err.path.indexOf(key) !== -1`; the root's own errors (path '') match no key and go last.
      const rank = (issue: RawIssue) => {
        const i = keys.findIndex((k) => (issue.path ?? '').indexOf(k) !== -1);
        return i === -1 ? Infinity : i;
      };
      return issues.map((issue, i) => ({ issue, i, r: rank(issue) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.issue);
    }
    return issues;
  }
  for (const t of schema.tests) {
    let message: string | null = null;
    switch (t.test) {
      case 'required':
        if (!present(schema, value)) message = `${label} is a required field`;
        break;
      case 'email':
        if (typeof value === 'string' && value !== '' && !rEmail.test(value)) message = `${label} must be a valid email`;
        break;
      case 'min':
        if (value != null && (value as { length: number }).length < t.min) message = 'message' in t ? (t as { message: string }).message : `${label} must be at least ${t.min} characters`;
        break;
      case 'custom':
        message = t.run(value);
        break;
    }
    if (message) issues.push({ path, message, value });
  }
  if (schema.kind === 'array' && schema.of && Array.isArray(value)) {
    value.forEach((item, index) => issues.push(...validateField(schema.of!, item, `${label}[${index}]`, undefined)));
  }
  return issues;
}

/** lodash toPath for yup paths (`role.connect[0].id` → ['role','connect','0','id']). */
function toPath(path: string | undefined): string[] {
  if (!path) return [];
  return path
    .replace(/\[(\w+)\]/g, '.$1')
    .split('.')
    .filter((p) => p !== '');
}

/**
 * Validates like Strapi's validateYupSchema(schema)(body): throws the YupValidationError.
 * Strapi 5's error details carry the failing `value`; Strapi 4's do not.
 */
export function validate(schema: ObjectSchema, body: unknown, major: 4 | 5 = 5): Record<string, unknown> {
  const issues = validateField(schema, body, undefined, undefined);
  if (issues.length) {
    throw new YupValidationError(
      issues.map((i): YupIssue => ({ path: toPath(i.path), message: i.message, name: 'ValidationError', ...(i.value === undefined || major === 4 ? {} : { value: i.value }) })),
    );
  }
  return body as Record<string, unknown>;
}
