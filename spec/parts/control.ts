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

/** The same control API for both majors (the user and role schemas it answers with are the major's). */
export function control(_major: Major): Part {
  return {
    schemas: schemas(),
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
    },
  };
}
