// The admin API's request validators (@strapi/admin validation/*.js, 4.26.2 and 5.54.0), in
// the yup slice the emulator reproduces (http/yup.ts): messages, order, noUnknown.
import { array, email, type FieldSchema, mixed, min, object, required, strapiID, string } from '../http/yup.js';


/** yup string().lowercase() in strict mode: a test, not a transform. */
const isLowercase = (path: string) => ({ test: 'custom' as const, run: (v: unknown) => (typeof v === 'string' && v !== v.toLowerCase() ? `${path} must be a lowercase string` : null) });
const notNull = (path: string) => ({ test: 'custom' as const, run: (v: unknown) => (v === null ? `${path} cannot be null` : null) });

function password(path = 'password'): FieldSchema {
  return string(
    min(8),
    { test: 'custom', run: (v) => (typeof v === 'string' && v && new TextEncoder().encode(v).length > 72 ? `${path} must be less than 73 bytes` : null) },
    { test: 'custom', run: (v) => (typeof v === 'string' && v && !/[a-z]/.test(v) ? `${path} must contain at least one lowercase character` : null) },
    { test: 'custom', run: (v) => (typeof v === 'string' && v && !/[A-Z]/.test(v) ? `${path} must contain at least one uppercase character` : null) },
    { test: 'custom', run: (v) => (typeof v === 'string' && v && !/\d/.test(v) ? `${path} must contain at least one number` : null) },
  );
}
const withFirst = (test: typeof required | ReturnType<typeof notNull>, schema: FieldSchema): FieldSchema => (schema.kind === 'string' ? { ...schema, tests: [test, ...schema.tests] } : schema);
const withRequired = (schema: FieldSchema) => withFirst(required, schema);
const firstname = (...extra: Parameters<typeof string>) => string(...extra, min(1));
const lastname = string();
const boolean = mixed({ test: 'custom', run: (v) => (v !== undefined && v !== null && typeof v !== 'boolean' ? 'this must be a `boolean` type' : null) });
const roles = array(strapiID(), { test: 'min', min: 1, message: 'roles field must have at least 1 items' });

export const adminRegistration = object(
  {
    email: string(required, email, isLowercase('email')),
    firstname: firstname(required),
    lastname,
    password: withRequired(password()),
    deviceId: string(),
    rememberMe: boolean,
  },
  { noUnknown: true, required: true },
);

export const userCreation = object(
  {
    email: string(required, email, isLowercase('email')),
    firstname: firstname(required),
    lastname,
    roles,
    preferedLanguage: string(),
  },
  { noUnknown: true },
);

export const userUpdate = object(
  {
    email: string(email, isLowercase('email'), notNull('email')),
    firstname: firstname(notNull('firstname')),
    lastname,
    username: string(min(1)),
    password: withFirst(notNull('password'), password()),
    isActive: mixed(notNull('isActive'), { test: 'custom', run: (v) => (v !== undefined && v !== null && typeof v !== 'boolean' ? 'isActive must be a `boolean` type' : null) }),
    roles: array(strapiID(), { test: 'min', min: 1, message: 'roles field must have at least 1 items' }, notNull('roles') as never),
  },
  { noUnknown: true },
);

export const profileUpdate = object(
  {
    email: string(email, isLowercase('email'), notNull('email')),
    firstname: firstname(notNull('firstname')),
    lastname,
    username: string(min(1)),
    password: password(),
    currentPassword: string(),
    preferedLanguage: string(),
  },
  { noUnknown: true },
);

export const renewToken = object({ token: string(required) }, { noUnknown: true, required: true });

export const apiTokenLifespans = [null, 7 * 86400000, 30 * 86400000, 90 * 86400000];
const tokenTypes = ['read-only', 'full-access', 'custom'];
const oneOfTypes = { test: 'custom' as const, run: (v: unknown) => (v !== undefined && !tokenTypes.includes(v as string) ? `type must be one of the following values: ${tokenTypes.join(', ')}` : null) };
const lifespan = mixed({ test: 'custom', run: (v) => (v !== undefined && !apiTokenLifespans.includes(v as never) ? 'lifespan must be one of the following values: , 604800000, 2592000000, 7776000000' : null) });

export const apiTokenCreation = object(
  {
    name: string(min(1), required),
    description: string(),
    type: string(oneOfTypes, required),
    permissions: array(string()),
    lifespan,
  },
  { noUnknown: true },
);

export const apiTokenUpdate = object(
  {
    name: string(min(1), notNull('name')),
    description: string(),
    type: string(oneOfTypes, notNull('type')),
    permissions: array(string()),
  },
  { noUnknown: true },
);

/** @strapi/admin controllers/webhooks.js urlRegex. */
const urlRegex =
  /^(?:([a-z0-9+.-]+):\/\/)(?:\S+(?::\S*)?@)?(?:(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z\u00a1-\uffff0-9_]-*)*[a-z\u00a1-\uffff0-9_]+)(?:\.(?:[a-z\u00a1-\uffff0-9_]-*)*[a-z\u00a1-\uffff0-9_]+)*\.?)(?::\d{2,5})?(?:[/?#]\S*)?$/;

const webhookShape = {
  name: string(required),
  url: string({ test: 'custom', run: (v) => (typeof v === 'string' && v !== '' && !urlRegex.test(v) ? 'url must be a valid URL' : null) }, required),
  headers: mixed({ test: 'custom', run: (v) => (v === undefined || v === null ? 'headers is a required field' : typeof v !== 'object' || Array.isArray(v) ? 'headers must be a `object` type, but the final value was: `' + JSON.stringify(v) + '`.' : null) }),
  events: array(string(), required),
};
export const webhookCreation = object(webhookShape, { noUnknown: true });
export const webhookUpdate = object({ ...webhookShape, isEnabled: boolean }, { noUnknown: true });
