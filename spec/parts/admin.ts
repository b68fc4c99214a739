// The admin panel's API (/admin/*, @strapi/admin), as real 4.26.2 and 5.54.0 answer it: the
// first admin, login and token renewal (v4 /renew-token; v5 /access-token with the httpOnly
// refresh cookie), the admin's own account, admin users and roles, API tokens and webhooks.
// Authenticated with an admin JWT (security `adminJwt`) only: users-permissions JWTs and API
// tokens are refused with 401, as admin JWTs are on /api/*.
import { errors, rateLimitHeaders } from './errors.js';
import { type Major, type Operation, type Part, type Schema, bool, dateTime, int, jsonBody, jsonContent, nullable, object, pathId, ref, str } from '../openapi.js';

const tags = ['admin'];
const admin = [{ adminJwt: [] }];
const nullStr: Schema = { type: ['string', 'null'] };
const data = (schema: Schema) => object({ data: schema });
const id = pathId('id', { type: 'string', pattern: '^\\d+$' }, 'The numeric id.');

function schemas(major: Major): Record<string, Schema> {
  const v5 = major === 5;
  const user = {
    id: int,
    ...(v5 ? { documentId: str } : {}),
    firstname: nullStr,
    lastname: nullStr,
    username: nullStr,
    email: str,
    isActive: bool,
    blocked: bool,
    preferedLanguage: nullStr,
    createdAt: dateTime,
    updatedAt: dateTime,
    ...(v5 ? { publishedAt: nullable(dateTime), locale: { type: 'null' } } : {}),
  };
  const roles = { type: 'array', items: ref('AdminRoleBrief') };
  const token = {
    id: int,
    ...(v5 ? { kind: { type: 'string', const: 'content-api' } } : {}),
    name: str,
    description: str,
    lastUsedAt: nullable(dateTime),
    type: { type: 'string', enum: ['read-only', 'full-access', 'custom'] },
    lifespan: nullStr,
    expiresAt: nullable(dateTime),
    createdAt: dateTime,
    updatedAt: dateTime,
    permissions: { type: 'array', items: str },
  };
  return {
    AdminRoleBrief: object({ id: int, name: str, description: str, code: str }),
    AdminRole: object({
      id: int,
      ...(v5 ? { documentId: str } : {}),
      name: str,
      code: str,
      description: str,
      createdAt: dateTime,
      updatedAt: dateTime,
      ...(v5 ? { publishedAt: nullable(dateTime), locale: { type: 'null' } } : {}),
      usersCount: int,
    }),
    AdminUser: { ...object({ ...user, roles }), description: 'An admin panel account (admin::user), never its password or registration token.' },
    AdminUserCreated: { ...object({ ...user, roles, registrationToken: str }), description: 'A new (invited) admin: inactive until it registers with `registrationToken`.' },
    // The login answer's user has no roles (both majors); register-admin's has them.
    AdminUserLogin: object({ ...user, roles }, Object.keys(user)),
    AdminSession: object({ token: str, ...(v5 ? { accessToken: str } : {}), user: ref('AdminUserLogin') }),
    AdminApiToken: { ...object(token), description: 'An API token, without its key.' },
    // v4's revoke answers the deleted token with its permission rows populated.
    AdminApiTokenRevoked: object({ ...token, permissions: { type: 'array', items: v5 ? str : { anyOf: [str, object({ id: int, action: str, createdAt: dateTime, updatedAt: dateTime })] } } }),
    AdminApiTokenWithKey: { ...object({ ...token, accessKey: str }, v5 ? [...Object.keys(token)] : [...Object.keys(token), 'accessKey']), description: 'An API token with its key (create; v5 GET shows it again).' },
    AdminWebhook: object({ id: v5 ? str : int, name: str, url: str, headers: { type: 'object', additionalProperties: str }, events: { type: 'array', items: str }, isEnabled: bool }),
    AdminRegisterRequest: { type: 'object', properties: { email: str, password: str, firstname: str, lastname: nullStr, ...(v5 ? { rememberMe: bool, deviceId: str } : {}) } },
    AdminLoginRequest: { type: 'object', properties: { email: str, password: str, ...(v5 ? { rememberMe: bool, deviceId: str } : {}) } },
    AdminUserInput: { type: 'object', properties: { email: str, firstname: str, lastname: nullStr, username: nullStr, password: str, isActive: bool, roles: { type: 'array', items: { type: ['integer', 'string'] } }, preferedLanguage: nullStr, currentPassword: str } },
    AdminApiTokenInput: { type: 'object', properties: { name: str, description: str, type: str, permissions: { type: 'array', items: str }, lifespan: { type: ['integer', 'null'] } } },
    AdminWebhookInput: { type: 'object', properties: { name: str, url: str, headers: { type: 'object' }, events: { type: 'array', items: str }, isEnabled: bool } },
  };
}

/** `x-strapi-admin`: authenticated by the admin strategy in its handler, never by the content API's (no `x-strapi-action`). */
const op = (operationId: string, summary: string, rest: Partial<Operation>): Operation => ({ operationId, summary, tags, security: admin, 'x-strapi-admin': true, responses: {}, ...rest });
const ok = (schema: Schema, description: string, status = 200) => ({ [status]: jsonContent(data(schema), description) });

export function adminApi(major: Major): Part {
  const v5 = major === 5;
  const limitedLogin = { 200: jsonContent(data(ref('AdminSession')), 'Logged in.', rateLimitHeaders(true)), ...errors([400, 429], { rateLimited: true }) };
  const cookie = { 'Set-Cookie': { required: false, schema: str, description: 'v5: `strapi_admin_refresh=<refresh JWT>; path=/admin; samesite=lax; httponly` and its `.sig`.' } };
  const paths: Part['paths'] = {
    '/admin/init': {
      get: op('adminInit', 'Whether the first admin exists', { security: [], responses: ok(object({ uuid: { type: ['string', 'boolean'] }, hasAdmin: bool, menuLogo: { type: 'null' }, authLogo: { type: 'null' } }), 'The project\'s start-up info.') }),
    },
    '/admin/register-admin': {
      post: op('adminRegisterAdmin', 'Register the first admin (Super Admin); refused once one exists', {
        security: [],
        requestBody: jsonBody(ref('AdminRegisterRequest')),
        responses: v5 ? { 200: jsonContent(data(ref('AdminSession')), 'The first admin, logged in.', { ...rateLimitHeaders(true), ...cookie }), ...errors([400, 429], { rateLimited: true }) } : { ...ok(ref('AdminSession'), 'The first admin, logged in.'), ...errors([400]) },
      }),
    },
    '/admin/login': {
      post: op('adminLogin', 'Log in an admin (5 attempts per 5 minutes per email and address)', { security: [], requestBody: jsonBody(ref('AdminLoginRequest')), responses: limitedLogin }),
    },
    ...(v5
      ? {
          '/admin/access-token': {
            post: op('adminAccessToken', 'A new access token for the refresh cookie (spent once: the cookie is rotated)', {
              security: [],
              responses: { 200: jsonContent(data(object({ token: str })), 'A new access token and a rotated refresh cookie.', cookie), ...errors([401]) },
            }),
          },
        }
      : {
          '/admin/renew-token': {
            post: op('adminRenewToken', 'A new admin JWT for a valid one', { security: [], requestBody: jsonBody(object({ token: str }, [])), responses: { ...ok(object({ token: str }), 'A new JWT.'), ...errors([400]) } }),
          },
        }),
    '/admin/logout': {
      post: op('adminLogout', 'Log out (v5: ends the admin\'s sessions and clears the refresh cookie)', { responses: { 200: jsonContent(data(object({})), 'Logged out.', cookie), ...errors([401]) } }),
    },
    '/admin/users/me': {
      get: op('adminUsersMe', 'The calling admin', { responses: { ...ok(ref('AdminUser'), 'The admin.'), ...errors([401]) } }),
      put: op('adminUsersMeUpdate', 'Update the calling admin (a new password needs currentPassword)', { requestBody: jsonBody(ref('AdminUserInput')), responses: { ...ok(ref('AdminUser'), 'The admin.'), ...errors([400, 401]) } }),
    },
    '/admin/users': {
      get: op('adminUsersFind', 'Admin users, a page at a time (`page`, `pageSize`)', {
        parameters: [
          { name: 'page', in: 'query', required: false, schema: { type: 'integer' } },
          { name: 'pageSize', in: 'query', required: false, schema: { type: 'integer' } },
        ],
        responses: { ...ok(object({ results: { type: 'array', items: ref('AdminUser') }, pagination: object({ page: int, pageSize: int, pageCount: int, total: int }) }), 'The page.'), ...errors([401]) },
      }),
      post: op('adminUsersCreate', 'Invite an admin (inactive, with a registration token)', { requestBody: jsonBody(ref('AdminUserInput')), responses: { ...ok(ref('AdminUserCreated'), 'The invited admin.', 201), ...errors([400, 401]) } }),
    },
    '/admin/users/{id}': {
      parameters: [id],
      get: op('adminUsersFindOne', 'One admin user', { responses: { ...ok(ref('AdminUser'), 'The admin.'), ...errors([401, 404]) } }),
      put: op('adminUsersUpdate', 'Update an admin user (roles, isActive, password…)', { requestBody: jsonBody(ref('AdminUserInput')), responses: { ...ok(ref('AdminUser'), 'The admin.'), ...errors([400, 401, 404]) } }),
      delete: op('adminUsersDestroy', 'Delete an admin user (not yourself, not the last Super Admin)', { responses: { ...ok(ref('AdminUser'), 'The deleted admin.'), ...errors([400, 401, 404]) } }),
    },
    '/admin/roles': {
      get: op('adminRolesFind', 'The admin roles (Super Admin, Editor, Author…) with their user counts', { responses: { ...ok({ type: 'array', items: ref('AdminRole') }, 'The roles, by id.'), ...errors([401]) } }),
    },
    '/admin/roles/{id}': {
      parameters: [id],
      get: op('adminRolesFindOne', 'One admin role', { responses: { ...ok(ref('AdminRole'), 'The role.'), ...errors([401, 404]) } }),
    },
    '/admin/api-tokens': {
      get: op('adminApiTokensList', 'API tokens, by name (never their keys)', { responses: { ...ok({ type: 'array', items: ref('AdminApiToken') }, 'The tokens.'), ...errors([401]) } }),
      post: op('adminApiTokensCreate', 'Create an API token: its key is in this answer (stored hashed)', { requestBody: jsonBody(ref('AdminApiTokenInput')), responses: { ...ok(ref('AdminApiTokenWithKey'), 'The token and its key.', 201), ...errors([400, 401]) } }),
    },
    '/admin/api-tokens/{id}': {
      parameters: [id],
      get: op('adminApiTokensGet', 'One API token (v5: with its key, decrypted)', { responses: { ...ok(ref(v5 ? 'AdminApiTokenWithKey' : 'AdminApiToken'), 'The token.'), ...errors([401, 404]) } }),
      put: op('adminApiTokensUpdate', 'Update an API token (name, description, type, permissions)', { requestBody: jsonBody(ref('AdminApiTokenInput')), responses: { ...ok(ref('AdminApiToken'), 'The token.'), ...errors([400, 401, 404]) } }),
      delete: op('adminApiTokensRevoke', 'Revoke an API token (`{data: null}` when there is none)', { responses: { ...ok({ anyOf: [ref('AdminApiTokenRevoked'), { type: 'null' }] }, 'The revoked token (v4: a custom token\'s permissions as its permission rows).'), ...errors([401]) } }),
    },
    '/admin/api-tokens/{id}/regenerate': {
      parameters: [id],
      post: op('adminApiTokensRegenerate', 'A new key for an API token (the old one stops working)', {
        responses: { ...ok(object({ id: int, accessKey: str, ...(v5 ? { kind: { type: 'string', const: 'content-api' } } : {}) }), 'The new key.', 201), ...errors([401, 404]) },
      }),
    },
    '/admin/webhooks': {
      get: op('adminWebhooksList', 'Webhooks', { responses: { ...ok({ type: 'array', items: ref('AdminWebhook') }, 'The webhooks, by id.'), ...errors([401]) } }),
      post: op('adminWebhooksCreate', 'Create a webhook (called on the events it lists)', { requestBody: jsonBody(ref('AdminWebhookInput')), responses: { ...ok(ref('AdminWebhook'), 'The webhook.', 201), ...errors([400, 401]) } }),
    },
    '/admin/webhooks/{id}': {
      parameters: [id],
      get: op('adminWebhooksGet', 'One webhook', { responses: { ...ok(ref('AdminWebhook'), 'The webhook.'), ...errors([401, 404]) } }),
      put: op('adminWebhooksUpdate', 'Replace a webhook (name, url, headers, events required; isEnabled)', { requestBody: jsonBody(ref('AdminWebhookInput')), responses: { ...ok(ref('AdminWebhook'), 'The webhook.'), ...errors([400, 401, 404]) } }),
      delete: op('adminWebhooksDelete', 'Delete a webhook', { responses: { ...ok(ref('AdminWebhook'), 'The deleted webhook.'), ...errors([401, 404]) } }),
    },
  };
  return { paths, schemas: schemas(major) };
}
