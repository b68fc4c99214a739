// The emulator's control API (/_emulator/*): not part of Strapi. Tests and contract runs use
// it to reset or snapshot the emulated world, read the emails it "sent", seed users, roles
// and API tokens, move its clock, and read the rate limiter. Every operation is tagged
// `emulator` and marked `x-emulator-control: true`; none has an `x-strapi-action` (no
// Strapi authentication applies), so real Strapi has none of them.
import { errors } from './errors.js';
import { type Major, type Operation, type Part, type Schema, bool, dateTime, int, jsonBody, jsonContent, nullable, object, ref, str } from '../openapi.js';

const tags = ['emulator'];

function op(operationId: string, summary: string, rest: Partial<Operation>): Operation {
  return { operationId, summary, tags, security: [], 'x-emulator-control': true, responses: {}, ...rest };
}

const ok = (description: string) => jsonContent(ref('Ok'), description);

const settingsProps: Record<string, Schema> = {
  unique_email: bool,
  allow_register: bool,
  email_confirmation: bool,
  email_reset_password: nullable(str),
  email_confirmation_redirection: nullable(str),
  default_role: str,
};

function schemas(): Record<string, Schema> {
  const table = { type: 'object', properties: { nextId: int, rows: { type: 'array', items: { type: 'object' } } }, required: ['nextId', 'rows'] };
  return {
    EmulatorSnapshot: {
      type: 'object',
      description: 'The whole emulated world (tables, outbox, rate-limit hits, settings). Opaque: restore it as it was read.',
      properties: {
        users: table,
        roles: table,
        permissions: table,
        apiTokens: table,
        sessions: table,
        outbox: { type: 'array', items: ref('EmulatorMail') },
        rateLimit: { type: 'array', items: { type: 'array' } },
        advanced: ref('EmulatorAdvancedSettings'),
        emailTemplates: { type: 'object' },
      },
      required: ['users', 'roles', 'permissions', 'apiTokens', 'sessions', 'outbox', 'rateLimit', 'advanced', 'emailTemplates'],
    },
    EmulatorMail: object(
      { from: str, replyTo: str, to: str, subject: str, text: str, html: str, sentAt: dateTime },
      ['to', 'subject', 'text', 'html', 'sentAt'],
      { description: 'One email, as the email plugin handed it to its provider.' },
    ),
    EmulatorAdvancedSettings: object(
      settingsProps,
      undefined,
      { description: 'users-permissions advanced settings (Settings → Users & Permissions → Advanced).' },
    ),
    EmulatorUserUpdate: {
      type: 'object',
      description: 'The keys of a stored user to change; `password` is hashed, `role` is a role id, type or null.',
      properties: { username: str, email: str, password: str, provider: str, confirmed: bool, blocked: bool, role: { type: ['integer', 'string', 'null'] } },
      additionalProperties: false,
    },
    EmulatorUserSeed: {
      type: 'object',
      description: 'A user written straight into the store (no validation of Strapi rules). `password` is hashed; `passwordHash` is stored as is (e.g. a `$2a$10$` hash from a real database). `role` is a role id or type (default: authenticated).',
      properties: {
        username: str,
        email: str,
        password: str,
        passwordHash: str,
        provider: str,
        confirmed: bool,
        blocked: bool,
        role: { type: ['integer', 'string', 'null'] },
      },
      required: ['username', 'email'],
      additionalProperties: false,
    },
    EmulatorRoleSeed: {
      type: 'object',
      properties: { name: str, description: str, type: str, permissions: { type: 'array', items: str, description: 'Actions granted, e.g. `api::article.article.find`.' } },
      required: ['name'],
      additionalProperties: false,
    },
    EmulatorApiToken: object(
      {
        id: int,
        name: str,
        description: str,
        type: { type: 'string', enum: ['read-only', 'full-access', 'custom'] },
        accessKey: str,
        permissions: { type: 'array', items: str },
        expiresAt: nullable(dateTime),
        lastUsedAt: nullable(dateTime),
        createdAt: dateTime,
        updatedAt: dateTime,
      },
      undefined,
      { description: 'An API token; `accessKey` is the bearer value.' },
    ),
    EmulatorApiTokenSeed: {
      type: 'object',
      properties: {
        accessKey: str,
        type: { type: 'string', enum: ['read-only', 'full-access', 'custom'] },
        name: str,
        description: str,
        permissions: { type: 'array', items: str },
        expiresAt: nullable(dateTime),
      },
      required: ['accessKey', 'type'],
      additionalProperties: false,
    },
    EmulatorClock: object({ now: dateTime, offset: { type: 'integer', description: 'Milliseconds added to the real time source.' } }),
    ...webhookSchemas(),
    ...faultSchemas(),
    EmulatorOpenApiDocument: {
      type: 'object',
      description: 'An OpenAPI 3.1 document (this one, with the content types the emulator was started with).',
      properties: { openapi: str, info: { type: 'object' }, paths: { type: 'object' }, components: { type: 'object' } },
      required: ['openapi', 'info', 'paths'],
    },
    EmulatorRateLimit: object({
      enabled: bool,
      max: int,
      interval: int,
      buckets: {
        type: 'array',
        items: object({ key: str, counter: int, remaining: int, reset: { type: 'integer', description: 'Epoch seconds at which the window ends (X-RateLimit-Reset).' } }),
      },
    }),
  };
}

const webhookEvent: Schema = { type: 'string', enum: ['entry.create', 'entry.update', 'entry.delete', 'entry.publish', 'entry.unpublish', 'media.create', 'media.update', 'media.delete'] };
const headerMap: Schema = { type: 'object', additionalProperties: str, description: 'Headers sent with every delivery.' };

function webhookSchemas(): Record<string, Schema> {
  return {
    EmulatorWebhookSeed: {
      type: 'object',
      description: 'A webhook, as Strapi\'s admin configures one: deliveries are POSTed to `url` with `X-Strapi-Event` and `Content-Type: application/json`.',
      properties: {
        url: { type: 'string', format: 'uri' },
        headers: headerMap,
        events: { type: 'array', items: webhookEvent, minItems: 1, description: 'Default: every event.' },
        name: str,
        enabled: { type: 'boolean', description: 'Strapi\'s isEnabled (default true).' },
      },
      required: ['url'],
      additionalProperties: false,
    },
    EmulatorWebhook: object({ id: int, name: str, url: str, headers: headerMap, events: { type: 'array', items: webhookEvent }, enabled: bool }),
    EmulatorWebhookDelivery: object(
      {
        id: int,
        webhookId: int,
        url: str,
        event: webhookEvent,
        status: { type: ['integer', 'null'], description: "The receiver's status; null: no answer (network error, timeout)." },
        ok: bool,
        error: { type: ['string', 'null'], description: "A non-2xx answer's text, or the network error." },
        body: { type: 'object', description: 'The payload sent: `{event, createdAt, model, uid, entry}` or `{event, createdAt, media}`.' },
        sentAt: dateTime,
      },
      undefined,
      { description: 'One delivery attempt (Strapi does not retry).' },
    ),
  };
}

function faultSchemas(): Record<string, Schema> {
  const props: Record<string, Schema> = {
    route: { type: 'string', description: '`[METHOD ]pattern`, e.g. `POST /api/auth/local` or `/api/articles*` (`*` matches anything).' },
    latency: { type: 'number', minimum: 0, maximum: 600000, description: 'Milliseconds to wait before answering.' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: "Answer with this status and Strapi's error envelope instead." },
    drop: { type: 'boolean', description: 'Drop the connection (in-process: a network error).' },
    ratio: { type: 'number', minimum: 0, maximum: 1, description: 'The share of matching requests the fault applies to (seeded PRNG).' },
    seed: { type: 'integer', description: 'The PRNG seed for `ratio` (default 1).' },
  };
  return {
    EmulatorFaultSeed: {
      type: 'object',
      description: 'A fault for the routes `route` matches: latency, then a status or a dropped connection. The control API is never faulted.',
      properties: { ...props, times: { type: 'integer', minimum: 1, description: 'Apply to the next N matching requests only.' } },
      required: ['route'],
      additionalProperties: false,
    },
    EmulatorFault: object(
      {
        id: int,
        ...props,
        matched: { type: 'integer', description: 'Requests that matched the route.' },
        applied: { type: 'integer', description: 'Requests the fault was applied to.' },
        remaining: { type: ['integer', 'null'], description: 'Applications left (null: no limit).' },
      },
      ['id', 'route', 'seed', 'matched', 'applied', 'remaining'],
    ),
  };
}

/** The inspector (/_emulator/ui): server-rendered HTML pages for people, no script. */
function inspectorPaths(): Record<string, Record<string, Operation>> {
  const html = (description: string) => ({ description, content: { 'text/html': { schema: str } } });
  const pageParam = { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'Page of a long list (100 rows each).' };
  const ui = (operationId: string, summary: string, rest: Partial<Operation> = {}) => ({ get: op(operationId, summary, { responses: { 200: html('The page.') }, ...rest }) });
  const q = (what: string) => ({ name: 'q', in: 'query', required: false, schema: str, description: `Only the ${what} containing this text (case-insensitive).` });
  const uidParam = { name: 'uid', in: 'path', required: true, schema: str, description: 'The content type uid, e.g. `api::article.article`.' };
  return {
    '/_emulator/ui': ui('emulatorUi', 'Inspector: overview (counts, content types, API tokens, settings)'),
    '/_emulator/ui/users': ui('emulatorUiUsers', 'Inspector: users (never their password or tokens), with add, edit, block and delete', { parameters: [pageParam, q('users whose username or email is one')] }),
    '/_emulator/ui/roles': ui('emulatorUiRoles', 'Inspector: roles, their user counts and permissions by controller'),
    '/_emulator/ui/admins': ui('emulatorUiAdmins', 'Inspector: admin panel accounts and admin roles (apart from end-users; never passwords)', { parameters: [pageParam] }),
    '/_emulator/ui/documents': ui('emulatorUiDocuments', 'Inspector: content types and their document counts'),
    '/_emulator/ui/documents/{uid}': ui('emulatorUiDocumentList', 'Inspector: the documents of one content type', {
      parameters: [uidParam, pageParam, q('documents whose documentId, id or a text or number attribute is one')],
      responses: { 200: html('The page.'), 404: html('No such content type.') },
    }),
    '/_emulator/ui/documents/{uid}/{documentId}': ui('emulatorUiDocument', "Inspector: one document's stored rows (locales, draft and published versions)", {
      parameters: [uidParam, { name: 'documentId', in: 'path', required: true, schema: str, description: "The document's documentId." }],
      responses: { 200: html('The page.'), 404: html('No such content type or document.') },
    }),
    '/_emulator/ui/files': ui('emulatorUiFiles', 'Inspector: uploaded files', { parameters: [pageParam] }),
    '/_emulator/ui/outbox': ui('emulatorUiOutbox', 'Inspector: the emails sent, newest first, links clickable'),
    '/_emulator/ui/requests': ui('emulatorUiRequests', 'Inspector: the last 200 requests answered (status, operation, duration, headers, bodies with secrets masked), filtered', {
      parameters: [
        pageParam,
        { name: 'method', in: 'query', required: false, schema: str, description: 'Only this method.' },
        { name: 'status', in: 'query', required: false, schema: str, description: 'Only this status (`404`) or class (`4xx`).' },
        q('requests whose path or operationId is one'),
      ],
    }),
  };
}

const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, schema: int, description: `The ${what}'s id.` });

/**
 * What emulator/control/guard.ts answers before any /_emulator operation runs (applied by spec/build.ts to every part): 403 to cross-site
 * browser requests and to a Host that is not this machine, 401 without the control token when
 * one is in force, 415 to a write whose body is not JSON.
 */
export function guarded(paths: Record<string, Record<string, Operation>>): Record<string, Record<string, Operation>> {
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/_emulator')) continue;
    for (const [method, operation] of Object.entries(item)) {
      operation.responses = {
        ...operation.responses,
        401: jsonContent(ref('Error401'), "A control token is in force (given, or the server listens beyond loopback) and the request has none or a wrong one (`X-Emulator-Control-Token` header, or the inspector's cookie)."),
        403: jsonContent(ref('Error403'), "A cross-site browser request (Origin not the server's own, `null` included, or Sec-Fetch-Site not same-origin/none), or a Host that is not localhost or the address the server listens on (DNS rebinding)."),
        ...(method === 'get' ? {} : { 415: jsonContent(ref('Error415'), 'A body that is not JSON (a form, text): the control API takes `application/json` only.') }),
      };
    }
  }
  return paths;
}

/** The same control API for both majors (the user and role schemas it answers with are the major's). */
export function control(_major: Major): Part {
  return {
    schemas: {
      ...schemas(),
      Error415: object({
        data: { type: 'null' },
        error: object({ status: { type: 'integer', const: 415 }, name: { type: 'string', const: 'UnsupportedMediaTypeError' }, message: str, details: { type: 'object' } }, ['status', 'name', 'message', 'details']),
      }),
    },
    paths: {
      '/_emulator/reset': {
        post: op('emulatorReset', 'Back to the seed (users, roles, tokens, outbox, rate limiter, settings)', {
          requestBody: jsonBody({ type: 'object', properties: { clock: { type: 'boolean', description: 'Also undo clock moves.' } }, additionalProperties: false }, false),
          responses: { 200: ok('Reset.'), ...errors([400]) },
        }),
      },
      '/_emulator/snapshot': {
        get: op('emulatorSnapshot', 'The whole emulated world', { responses: { 200: jsonContent(ref('EmulatorSnapshot'), 'A snapshot to restore later.') } }),
        put: op('emulatorRestore', 'Restore a snapshot', { requestBody: jsonBody(ref('EmulatorSnapshot')), responses: { 200: ok('Restored.'), ...errors([400]) } }),
      },
      '/_emulator/providers': {
        get: op('emulatorProviders', "users-permissions' OAuth providers (grant settings, secrets included)", { responses: { 200: jsonContent({ type: 'object', additionalProperties: { type: 'object' } }, 'By provider name.') } }),
        put: op('emulatorProvidersUpdate', "Change providers' settings: `{github: {enabled: true, key, secret, callback}}`, merged per provider", {
          requestBody: jsonBody({ type: 'object', additionalProperties: { type: 'object' } }),
          responses: { 200: jsonContent({ type: 'object', additionalProperties: { type: 'object' } }, 'All providers after the change.'), ...errors([400]) },
        }),
      },
      '/_emulator/idp/{provider}/authorize': {
        get: op('emulatorIdpAuthorize', 'The local identity provider: the consent page Strapi\'s connect redirect opens (pick or type a user)', {
          parameters: ['provider', 'client_id', 'redirect_uri', 'state', 'scope', 'response_type'].map((name) => ({ name, in: name === 'provider' ? 'path' : 'query', required: name === 'provider', schema: str })),
          responses: { 200: { description: 'The page.', content: { 'text/html': { schema: str } } }, 400: { description: 'A request the provider refuses (disabled, unknown client_id, a redirect_uri not this server\'s callback).', content: { 'text/html': { schema: str } } } },
        }),
        post: op('emulatorIdpConsent', "The consent page's form: back to Strapi's /api/connect/<provider>/callback with a code (or error=access_denied)", {
          parameters: [{ name: 'provider', in: 'path', required: true, schema: str }],
          requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: { type: 'string' } } } } },
          responses: {
            302: { description: 'Back to Strapi.', headers: { Location: { required: true, schema: str } }, content: { 'text/plain': { schema: str } } },
            // A page for a refused request; a body that does not parse gets the body parser's JSON error.
            400: { description: 'Refused (a page), or a body that does not parse (JSON error).', content: { 'text/html': { schema: str }, ...(errors([400])['400'] as { content: Record<string, unknown> }).content } },
          },
        }),
      },
      '/_emulator/outbox': {
        get: op('emulatorOutbox', 'The emails sent, oldest first', {
          parameters: [{ name: 'to', in: 'query', required: false, schema: str, description: 'Only the mails to this address.' }],
          responses: { 200: jsonContent(object({ mails: { type: 'array', items: ref('EmulatorMail') } }), 'The outbox.') },
        }),
        delete: op('emulatorOutboxClear', 'Empty the outbox', { responses: { 200: ok('Emptied.') } }),
      },
      '/_emulator/users': {
        post: op('emulatorSeedUser', 'Write a user into the store', {
          requestBody: jsonBody(ref('EmulatorUserSeed')),
          responses: { 201: jsonContent(ref('UsersPermissionsUserSelection'), 'The user, role populated when it has one.'), ...errors([400]) },
        }),
      },
      '/_emulator/users/{id}': {
        put: op('emulatorUpdateUser', "Change a stored user (the inspector's edit and block): only the keys given", {
          parameters: [idParam('user')],
          requestBody: jsonBody(ref('EmulatorUserUpdate')),
          responses: { 200: jsonContent(ref('UsersPermissionsUserSelection'), 'The user, role populated when it has one.'), ...errors([400, 404]) },
        }),
        delete: op('emulatorDeleteUser', 'Delete a stored user (and its sessions)', { parameters: [idParam('user')], responses: { 200: ok('Deleted.'), ...errors([404]) } }),
      },
      '/_emulator/roles': {
        post: op('emulatorSeedRole', 'Write a role and its actions into the store', {
          requestBody: jsonBody(ref('EmulatorRoleSeed')),
          responses: { 201: jsonContent(ref('UsersPermissionsRole'), 'The role.'), ...errors([400]) },
        }),
      },
      '/_emulator/api-tokens': {
        post: op('emulatorSeedApiToken', 'Add an API token', {
          requestBody: jsonBody(ref('EmulatorApiTokenSeed')),
          responses: { 201: jsonContent(ref('EmulatorApiToken'), 'The token.'), ...errors([400]) },
        }),
      },
      '/_emulator/admins': {
        post: op('emulatorSeedAdmin', 'Add an admin panel account (active, Super Admin unless `roles` says otherwise)', {
          requestBody: jsonBody({
            type: 'object',
            required: ['email', 'password'],
            properties: { email: str, password: str, firstname: str, lastname: { type: ['string', 'null'] }, roles: { type: 'array', items: str, description: 'Admin role codes or names (strapi-super-admin, Editor, author…).' } },
          }),
          responses: { 201: jsonContent(ref('AdminUser'), 'The admin, as /admin/users answers it.'), ...errors([400]) },
        }),
      },
      '/_emulator/clock': {
        get: op('emulatorClock', 'The emulated time', { responses: { 200: jsonContent(ref('EmulatorClock'), 'Now.') } }),
        post: op('emulatorClockMove', 'Move the emulated time (token expiry, rate-limit windows, timestamps)', {
          requestBody: jsonBody({
            type: 'object',
            properties: {
              advance: { type: 'integer', description: 'Milliseconds to move forward (negative: back).' },
              set: { anyOf: [dateTime, int], description: 'An absolute instant (ISO date or epoch ms).' },
              reset: { type: 'boolean', description: 'Back to the real time source.' },
            },
            additionalProperties: false,
          }),
          responses: { 200: jsonContent(ref('EmulatorClock'), 'The new time.'), ...errors([400]) },
        }),
      },
      '/_emulator/rate-limit': {
        get: op('emulatorRateLimit', "The rate limiter's open windows", { responses: { 200: jsonContent(ref('EmulatorRateLimit'), 'The limiter state.') } }),
        delete: op('emulatorRateLimitClear', 'Forget every rate-limit window', { responses: { 200: ok('Cleared.') } }),
      },
      '/_emulator/settings': {
        get: op('emulatorSettings', 'users-permissions advanced settings', { responses: { 200: jsonContent(ref('EmulatorAdvancedSettings'), 'The settings.') } }),
        put: op('emulatorSettingsUpdate', 'Change users-permissions advanced settings (e.g. email_confirmation)', {
          requestBody: jsonBody({ type: 'object', properties: settingsProps, additionalProperties: false }),
          responses: { 200: jsonContent(ref('EmulatorAdvancedSettings'), 'The settings after the change.'), ...errors([400]) },
        }),
      },
      // Beside the API rather than under /_emulator: where OpenAPI tools look for it first.
      '/openapi.json': {
        get: op('emulatorOpenApi', 'This OpenAPI document, for the content types the emulator serves', {
          responses: { 200: jsonContent(ref('EmulatorOpenApiDocument'), 'The OpenAPI 3.1 document.') },
        }),
      },
      '/_emulator/webhooks': {
        get: op('emulatorWebhooks', 'The configured webhooks', { responses: { 200: jsonContent(object({ webhooks: { type: 'array', items: ref('EmulatorWebhook') } }), 'The webhooks.') } }),
        post: op('emulatorWebhookAdd', 'Add a webhook', { requestBody: jsonBody(ref('EmulatorWebhookSeed')), responses: { 201: jsonContent(ref('EmulatorWebhook'), 'The webhook.'), ...errors([400]) } }),
        delete: op('emulatorWebhooksClear', 'Remove every webhook', { responses: { 200: ok('Removed.') } }),
      },
      '/_emulator/webhooks/deliveries': {
        get: op('emulatorWebhookDeliveries', 'Recent webhook deliveries, oldest first', {
          parameters: [{ name: 'wait', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] }, description: 'Answer once every queued delivery is done.' }],
          responses: {
            200: jsonContent(object({ deliveries: { type: 'array', items: ref('EmulatorWebhookDelivery') }, pending: { type: 'integer', description: 'Deliveries queued or under way.' } }), 'The deliveries.'),
            ...errors([400]),
          },
        }),
        delete: op('emulatorWebhookDeliveriesClear', 'Forget the deliveries', { responses: { 200: ok('Forgotten.') } }),
      },
      '/_emulator/webhooks/{id}': {
        delete: op('emulatorWebhookRemove', 'Remove a webhook', { parameters: [idParam('webhook')], responses: { 200: ok('Removed.'), ...errors([404]) } }),
      },
      '/_emulator/faults': {
        get: op('emulatorFaults', 'The injected faults', { responses: { 200: jsonContent(object({ faults: { type: 'array', items: ref('EmulatorFault') } }), 'The faults.') } }),
        post: op('emulatorFaultAdd', 'Inject a fault (latency, a status, a dropped connection)', { requestBody: jsonBody(ref('EmulatorFaultSeed')), responses: { 201: jsonContent(ref('EmulatorFault'), 'The fault.'), ...errors([400]) } }),
        delete: op('emulatorFaultsClear', 'Remove every fault', { responses: { 200: ok('Removed.') } }),
      },
      '/_emulator/faults/{id}': {
        delete: op('emulatorFaultRemove', 'Remove a fault', { parameters: [idParam('fault')], responses: { 200: ok('Removed.'), ...errors([404]) } }),
      },
      ...inspectorPaths(),
    },
  };
}
