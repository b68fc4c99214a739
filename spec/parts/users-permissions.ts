// The users-permissions plugin: auth, users, roles and permissions.
// Users live outside the documents API, so even on v4 they are plain objects (no
// `{data:{id,attributes}}`), and /api/users answers a bare array without `meta`.
import { type ErrorStatus, errors, rateLimitHeaders } from './errors.js';
import { entitySchemas } from '../format.js';
import { queryParams } from './query.js';
import { type Major, type Operation, type Part, type Schema, bool, dateTime, int, jsonBody, jsonContent, nullable, object, pathId, ref, str } from '../openapi.js';

const tags = ['users-permissions'];
const action = (name: string) => `plugin::users-permissions.${name}`;
/** Any caller may try: the role of the caller (Public when anonymous) or the API token decides. */
export const anyCaller: Array<Record<string, string[]>> = [{}, { jwt: [] }, { apiToken: [] }];

const entityProps = (major: Major): Record<string, Schema> => (major === 5 ? { id: int, documentId: str } : { id: int });
const timestamps = (major: Major): Record<string, Schema> => ({ createdAt: dateTime, updatedAt: dateTime, ...(major === 5 ? { publishedAt: nullable(dateTime) } : {}) });

/** A project's user extension: its public scalars, its populatable links and its inputs (spec/parts/documents.ts userExtensionSchemas). */
export type UserExtension = { scalars: Record<string, Schema>; links: Record<string, Schema>; input: Record<string, Schema> };
const noExtension: UserExtension = { scalars: {}, links: {}, input: {} };

function userSchemas(major: Major, extension: UserExtension): Record<string, Schema> {
  const base = {
    ...entityProps(major),
    username: str,
    email: str,
    provider: str,
    confirmed: bool,
    blocked: bool,
    ...extension.scalars,
    ...timestamps(major),
  };
  const all: Record<string, Schema> = { ...base, role: ref('UsersPermissionsRole'), ...extension.links };
  const always = Object.keys(entityProps(major));
  return {
    UsersPermissionsUser: {
      ...object(all, Object.keys(base)),
      description: 'A users-permissions user as register/login/reset/change-password answer it: never the role, never password or tokens.',
    },
    UsersPermissionsUserWithRole: {
      ...object(all, [...Object.keys(base), 'role']),
      description: 'POST and PUT /api/users answer with the role populated.',
    },
    UsersPermissionsUserSelection: {
      ...object(all, always),
      description: 'A user as find/findOne/me answer it: `fields` may narrow it, `populate=role` adds the role.',
    },
    // A user populated into a v4 document is wrapped like any v4 entity.
    ...(major === 4 ? entitySchemas(4, 'UsersPermissionsUser', (({ id: _id, ...rest }) => rest)(all), []) : {}),
    UsersPermissionsRole: object(
      {
        ...entityProps(major),
        name: { type: ['string', 'null'] },
        description: { type: ['string', 'null'] },
        type: { type: ['string', 'null'] },
        ...timestamps(major),
        nb_users: { type: 'integer', description: 'Only in the role list.' },
        permissions: ref('UsersPermissionsPermissionTree'),
        users: { type: 'array', items: ref('UsersPermissionsUserSelection') },
      },
      [...Object.keys(entityProps(major)), 'name', 'description', 'type', 'createdAt', 'updatedAt'],
    ),
    UsersPermissionsPermissionTree: {
      type: 'object',
      description: '`{<api or plugin uid>: {controllers: {<controller>: {<action>: {enabled, policy}}}}}`.',
      additionalProperties: object({
        controllers: {
          type: 'object',
          additionalProperties: { type: 'object', additionalProperties: object({ enabled: bool, policy: str }) },
        },
      }),
    },
    UsersPermissionsAuthResponse: object(
      { jwt: str, user: ref('UsersPermissionsUser'), ...(major === 5 ? { refreshToken: str } : {}) },
      ['jwt', 'user'],
    ),
    UsersPermissionsRoleInput: {
      type: 'object',
      properties: {
        name: str,
        description: str,
        type: str,
        permissions: ref('UsersPermissionsPermissionTree'),
        users: { type: 'array', items: int },
      },
    },
    UsersPermissionsUserInput: {
      type: 'object',
      properties: {
        username: str,
        email: str,
        password: str,
        role: { type: ['integer', 'string'], description: 'The role id.' },
        confirmed: bool,
        blocked: bool,
        ...extension.input,
      },
      additionalProperties: true,
    },
    Ok: object({ ok: { type: 'boolean', const: true } }),
    ...(major === 5
      ? {
          UsersPermissionsSession: {
            ...object({ id: str, deviceId: nullable(str), deviceName: str, current: bool, loginAt: dateTime, lastActiveAt: dateTime }, ['id', 'deviceId', 'current', 'lastActiveAt']),
            description: 'A refresh-mode session: `deviceName` from the User-Agent of the login ("Chrome on Linux"), `loginAt` kept across rotations, `lastActiveAt` the last rotation.',
          },
        }
      : {}),
  };
}

const body = (properties: Record<string, Schema>, extra: Schema = {}) =>
  jsonBody({ type: 'object', properties, required: Object.keys(properties), ...extra });

type AuthOpOptions = { rateLimited: boolean; errors?: ErrorStatus[] };

function authOp(operationId: string, summary: string, handler: string, ok: Schema, okStatus: Record<string, Schema>, opts: AuthOpOptions = { rateLimited: true }): Operation {
  return {
    operationId,
    summary,
    tags,
    security: anyCaller,
    'x-strapi-action': action(`auth.${handler}`),
    ...(opts.rateLimited ? { 'x-strapi-rate-limit': true } : {}),
    requestBody: ok,
    responses: { ...okStatus, ...errors(opts.errors ?? [400, 401, 403, ...(opts.rateLimited ? [429 as const] : [])], { rateLimited: opts.rateLimited }) },
  };
}

const authOk = (description: string) => jsonContent(ref('UsersPermissionsAuthResponse'), description, rateLimitHeaders(true));

function authPaths(major: Major): Part['paths'] {
  const paths: Part['paths'] = {
    '/api/auth/local': {
      post: authOp('authLocal', 'Log in with an email or username and a password', 'callback', body({ identifier: str, password: str }), {
        200: authOk('Logged in. The email is matched without regard to case, the username exactly.'),
      }),
    },
    '/api/auth/local/register': {
      post: authOp('authLocalRegister', 'Register a local user (default role: Authenticated)', 'register', body({ username: str, email: str, password: str }, { additionalProperties: true }), {
        200: jsonContent(
          { anyOf: [ref('UsersPermissionsAuthResponse'), object({ user: ref('UsersPermissionsUser') })] },
          'Registered. With email confirmation on, `{user}` only (no jwt) and the confirmation email is sent.',
          rateLimitHeaders(true),
        ),
      }),
    },
    '/api/auth/forgot-password': {
      post: authOp('authForgotPassword', 'Send a reset-password email', 'forgotPassword', body({ email: str }), {
        200: jsonContent(ref('Ok'), 'Always `{ok:true}` for a well-formed email, known or not.', rateLimitHeaders(true)),
      }),
    },
    '/api/auth/reset-password': {
      post: authOp('authResetPassword', 'Reset the password with the emailed code', 'resetPassword', body({ code: str, password: str, passwordConfirmation: str }), {
        200: authOk('Password reset; the code is spent.'),
      }),
    },
    '/api/auth/change-password': {
      post: {
        ...authOp('authChangePassword', "Change the caller's password", 'changePassword', body({ currentPassword: str, password: str, passwordConfirmation: str }), {
          200: authOk('Changed; earlier JWTs stay valid.'),
        }),
        security: [{ jwt: [] }],
      },
    },
    '/api/auth/email-confirmation': {
      get: {
        operationId: 'authEmailConfirmation',
        summary: 'Confirm an email address with the emailed token',
        tags,
        security: anyCaller,
        'x-strapi-action': action('auth.emailConfirmation'),
        parameters: [{ name: 'confirmation', in: 'query', required: true, schema: str }],
        responses: {
          // Koa's redirect writes a short text body ("Redirecting to /.") along with Location.
          302: {
            description: 'Confirmed; redirects to the `email_confirmation_redirection` setting.',
            headers: { Location: { required: true, schema: str } },
            content: { 'text/plain': { schema: str }, 'text/html': { schema: str } },
          },
          ...errors([400, 401, 403]),
        },
      },
    },
    '/api/auth/send-email-confirmation': {
      post: authOp(
        'authSendEmailConfirmation',
        'Send the email confirmation again',
        'sendEmailConfirmation',
        body({ email: str }),
        { 200: jsonContent(object({ email: str, sent: { type: 'boolean', const: true } }), 'Sent (also answered for an unknown email).', major === 5 ? rateLimitHeaders(true) : undefined) },
        // Real Strapi: v5 puts this route behind the rate limiter (keyed on the email), v4 does not.
        { rateLimited: major === 5 },
      ),
    },
  };
  const providerParam = { name: 'provider', in: 'path', required: true, schema: str, description: 'A users-permissions provider: github, google, keycloak, … (`email` is the local one).' };
  const cookieHeaders = { 'Set-Cookie': { required: false, schema: str, description: 'koa-session\'s `koa.sess` and `koa.sess.sig` (the OAuth state).' } };
  const redirected = (description: string) => ({ description, headers: { Location: { required: true, schema: str }, ...cookieHeaders }, content: { 'text/plain': { schema: str }, 'text/html': { schema: str } } });
  const connectOp = (operationId: string, summary: string, description: string): Operation => ({
    operationId,
    summary,
    description,
    tags,
    security: anyCaller,
    'x-strapi-action': action('auth.connect'),
    'x-strapi-rate-limit': true,
    parameters: [providerParam, { name: 'callback', in: 'query', required: false, schema: str, description: "A front-end URL to come back to instead of the provider's callback setting (same origin and path)." }],
    responses: { 302: redirected('To the provider (the emulator: its local identity provider), or back to the front end.'), ...errors([400, 401, 403, 429], { rateLimited: true }) },
  });
  paths['/api/connect/{provider}'] = {
    get: connectOp('authConnect', 'Start signing in with a provider', 'Disabled or unknown provider: 400 "This provider is disabled". Redirects to the provider\'s authorize URL with client_id, response_type=code, redirect_uri=<server>/api/connect/<provider>/callback and scope (v5 adds state).'),
  };
  paths['/api/connect/{provider}/callback'] = {
    get: connectOp('authConnectCallback', "The provider's redirect back to Strapi", "Exchanges the code and redirects to the provider's callback (the front end): v5 keeps the tokens in the session and sends an empty query (or `error=oauth_error&error_description=…`), v4 sends `access_token` and `raw[…]` in the query (or `error=…`)."),
  };
  paths['/api/auth/{provider}/callback'] = {
    get: {
      operationId: 'authProviderCallback',
      summary: 'Finish signing in with a provider → {jwt, user}',
      description: "v5 reads the provider's tokens from the session the connect step left (the cookie); v4 takes `access_token` from the query. New users are created with the default role, confirmed.",
      tags,
      security: anyCaller,
      'x-strapi-action': action('auth.callback'),
      parameters: [providerParam, { name: 'access_token', in: 'query', required: false, schema: str, description: 'v4: the provider\'s access token.' }],
      responses: { 200: jsonContent(ref('UsersPermissionsAuthResponse'), 'Signed in.'), ...errors([400, 401, 403]) },
    },
  };
  // v4 has no refresh/logout routes: POST on these paths falls through to Strapi's
  // catch-all GET route and gets a plain-text 405. v5 serves them, answering 404 in the
  // default (legacy) JWT mode and working in `jwtManagement: 'refresh'` mode.
  if (major === 4) {
    for (const [path, operationId, summary] of [
      ['/api/auth/refresh', 'authRefresh', 'Refresh a session (not in Strapi v4)'],
      ['/api/auth/logout', 'authLogout', 'Log out (not in Strapi v4)'],
    ] as const) {
      paths[path] = { post: { operationId, summary, tags, security: anyCaller, responses: errors([405]) } };
    }
  } else {
    paths['/api/auth/refresh'] = {
      post: authOp('authRefresh', 'Exchange a refresh token for a new JWT (refresh mode only)', 'refresh', body({ refreshToken: str }), {
        200: jsonContent(object({ jwt: str, refreshToken: str }, ['jwt']), 'Refresh mode: a new access JWT and refresh token (with the refresh cookie in use: the token in Set-Cookie, not in the body).'),
      }, { rateLimited: false, errors: [401, 403, 404] }),
    };
    paths['/api/auth/logout'] = {
      post: {
        ...authOp('authLogout', "Revoke the caller's sessions (refresh mode only)", 'logout', jsonBody({ type: 'object' }, false), {
          200: jsonContent(object({ ok: { type: 'boolean', const: true } }), 'Refresh mode: sessions revoked; with the refresh cookie in use, Set-Cookie clears it (expires 1970).'),
        }, { rateLimited: false, errors: [401, 403, 404] }),
      },
    };
    const sessionOp = (operationId: string, summary: string, handler: string, ok: Schema, rest: Partial<Operation> = {}): Operation => ({
      operationId,
      summary,
      tags,
      security: anyCaller,
      'x-strapi-action': action(`auth.${handler}`),
      ...rest,
      responses: { 200: ok, ...errors([401, 403, 404]) },
    });
    paths['/api/auth/sessions'] = {
      get: sessionOp('authSessions', "The caller's active sessions, the current one first (refresh mode only)", 'getSessions', jsonContent(object({ data: { type: 'array', items: ref('UsersPermissionsSession') } }), 'Refresh mode: the sessions, no tokens in them.')),
    };
    paths['/api/auth/sessions/{sessionId}'] = {
      delete: sessionOp('authRevokeSession', "Revoke one of the caller's sessions (refresh mode only)", 'revokeSession', jsonContent(object({ data: object({}) }), 'Revoked: `{"data":{}}`.'), {
        parameters: [pathId('sessionId', str, 'A session id from GET /api/auth/sessions.')],
      }),
    };
  }
  return paths;
}

const userId = pathId('id', int, 'The numeric user id (a documentId is not accepted).');
const emptyAnswer = (description: string) => ({ description });

function userPaths(major: Major): Part['paths'] {
  const userOp = (method: string, operationId: string, summary: string, rest: Partial<Operation>): Operation => ({
    operationId,
    summary,
    tags,
    security: anyCaller,
    'x-strapi-action': action(`user.${method}`),
    responses: {},
    ...rest,
  });
  return {
    '/api/users': {
      get: userOp('find', 'usersFind', 'List users (a bare array; pagination is ignored)', {
        parameters: [queryParams.filters, queryParams.sort, queryParams.fields, queryParams.populate, queryParams.pagination, queryParams.start, queryParams.limit],
        responses: { 200: jsonContent({ type: 'array', items: ref('UsersPermissionsUserSelection') }, 'The users.'), ...errors([400, 401, 403]) },
      }),
      post: userOp('create', 'usersCreate', 'Create a user (the role is required)', {
        requestBody: jsonBody(ref('UsersPermissionsUserInput')),
        responses: { 201: jsonContent(ref('UsersPermissionsUserWithRole'), 'Created, role populated.'), ...errors([400, 401, 403]) },
      }),
    },
    '/api/users/count': {
      get: userOp('count', 'usersCount', 'Count users', {
        parameters: [queryParams.filters],
        responses: { 200: jsonContent({ type: 'integer' }, 'A bare number.'), ...errors([400, 401, 403]) },
      }),
    },
    '/api/users/me': {
      get: userOp('me', 'usersMe', 'The user the JWT belongs to', {
        security: [{ jwt: [] }],
        parameters: [queryParams.fields, queryParams.populate],
        responses: {
          200: jsonContent(ref('UsersPermissionsUserSelection'), 'The caller.'),
          // v5 fetches the caller with the query's filters: none matching → no body (Koa's 204).
          ...(major === 5 ? { 204: emptyAnswer('v5: `filters` that exclude the caller (e.g. `filters[id][$eq]=0`) → an empty 204.') } : {}),
          ...errors([400, 401, 403]),
        },
      }),
    },
    '/api/users/{id}': {
      get: userOp('findOne', 'usersFindOne', 'Get a user', {
        parameters: [userId, queryParams.fields, queryParams.populate],
        responses: {
          200: jsonContent(ref('UsersPermissionsUserSelection'), 'The user.'),
          204: emptyAnswer('No such user (also for a non-numeric id): real Strapi answers an empty 204, not 404.'),
          // find, findOne, count and me validate the query (unknown or private keys).
          ...errors([400, 401, 403]),
        },
      }),
      put: userOp('update', 'usersUpdate', 'Update a user (blocked, role, password…)', {
        parameters: [userId],
        requestBody: jsonBody(ref('UsersPermissionsUserInput')),
        responses: { 200: jsonContent(ref('UsersPermissionsUserWithRole'), 'Updated, role populated.'), ...errors([400, 401, 403, 404]) },
      }),
      delete: userOp('destroy', 'usersDestroy', 'Delete a user', {
        parameters: [userId],
        responses: {
          200: jsonContent(ref('UsersPermissionsUser'), 'The deleted user.'),
          204: emptyAnswer('No such user: an empty 204.'),
          ...errors([401, 403]),
        },
      }),
    },
  };
}

function rolePaths(): Part['paths'] {
  const roleId = pathId('id', int, 'The numeric role id.');
  const roleOp = (handler: string, operationId: string, summary: string, rest: Partial<Operation>): Operation => ({
    operationId,
    summary,
    tags,
    security: anyCaller,
    'x-strapi-action': action(handler),
    responses: {},
    ...rest,
  });
  const ok = (description: string) => jsonContent(ref('Ok'), description);
  return {
    '/api/users-permissions/roles': {
      get: roleOp('role.find', 'rolesFind', 'List roles with their user counts', {
        responses: { 200: jsonContent(object({ roles: { type: 'array', items: ref('UsersPermissionsRole') } }), 'The roles, each with `nb_users`.'), ...errors([401, 403]) },
      }),
      post: roleOp('role.createRole', 'rolesCreate', 'Create a role (no validation: duplicate or missing names are accepted)', {
        requestBody: jsonBody(ref('UsersPermissionsRoleInput')),
        responses: { 200: ok('Created.'), ...errors([400, 401, 403]) },
      }),
    },
    '/api/users-permissions/roles/{id}': {
      get: roleOp('role.findOne', 'rolesFindOne', 'Get a role with its permission tree', {
        parameters: [roleId],
        responses: { 200: jsonContent(object({ role: ref('UsersPermissionsRole') }), 'The role with `permissions`.'), ...errors([401, 403, 404]) },
      }),
      put: roleOp('role.updateRole', 'rolesUpdate', 'Update a role and the actions of the controllers it names', {
        parameters: [roleId],
        requestBody: jsonBody(ref('UsersPermissionsRoleInput')),
        responses: { 200: ok('Updated.'), ...errors([400, 401, 403, 404]) },
      }),
      delete: roleOp('role.deleteRole', 'rolesDestroy', "Delete a role; its users move to the Public role", {
        parameters: [roleId],
        responses: { 200: ok('Deleted.'), ...errors([400, 401, 403, 404]) },
      }),
    },
    '/api/users-permissions/permissions': {
      get: roleOp('permissions.getPermissions', 'permissionsFind', 'Every action that can be granted, all disabled', {
        responses: { 200: jsonContent(object({ permissions: ref('UsersPermissionsPermissionTree') }), 'The tree.'), ...errors([401, 403]) },
      }),
    },
  };
}

export function usersPermissions(major: Major, extension: UserExtension = noExtension): Part {
  return { paths: { ...authPaths(major), ...userPaths(major), ...rolePaths() }, schemas: userSchemas(major, extension) };
}
