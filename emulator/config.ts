// createEmulator() options, and the resolved configuration every module reads.
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock, TimeSource } from './store/clock.js';
import type { ApiTokenType } from './store/records.js';
import type { WebhookSeed } from './webhooks/hub.js';
import type { RequestHook } from './http/app.js';

export type Major = 4 | 5;

/** The Strapi release each major is emulated as (the contract suite runs against these). */
export const strapiVersions = { 4: '4.26.2', 5: '5.54.0' } as const;

export type ApiTokenSeed = {
  /** The bearer value (`Authorization: Bearer <accessKey>`). */
  accessKey: string;
  type: ApiTokenType;
  name?: string;
  description?: string;
  /** For `custom` tokens: the actions granted (`api::article.article.find`, …). */
  permissions?: string[];
  expiresAt?: string | null;
};

/** An admin panel account (admin::user), seeded active with a password. */
export type AdminSeed = {
  email: string;
  password: string;
  firstname?: string;
  lastname?: string | null;
  /** Admin role codes or names (default: Super Admin). */
  roles?: string[];
};

export type EmulatorOptions = {
  /** Which Strapi major to behave as (default 5). */
  strapi?: Major;
  /** admin.auth.secret: signs admin panel JWTs (default: random, never the users-permissions secret). */
  adminJwtSecret?: string;
  /** admin.apiToken.salt: API token keys are stored as HMAC-SHA512 with it. */
  apiTokenSalt?: string;
  /** admin.secrets.encryptionKey (Strapi 5): API token keys are also kept encrypted with it. */
  encryptionKey?: string;
  /** Admin panel accounts created at start (`--admin email:password`, seed file `admins`). */
  admins?: AdminSeed[];
  /** users-permissions jwtSecret (default: random, like Strapi without JWT_SECRET). */
  jwtSecret?: string;
  /** users-permissions jwt.expiresIn: seconds, or a `ms` string like '30d' (default '30d'). */
  jwtExpiresIn?: string | number;
  /** Advanced setting email_confirmation (default false). */
  emailConfirmation?: boolean;
  /** Advanced setting email_confirmation_redirection (default null → redirect to '/'). */
  emailConfirmationRedirection?: string | null;
  /** Advanced setting email_reset_password: the URL put before `?code=` in reset emails (default null). */
  emailResetPasswordUrl?: string | null;
  /** Strapi 5 `jwtManagement`: 'legacy' (legacy-support, default) or 'refresh' (sessions). */
  jwtManagement?: 'legacy' | 'refresh';
  /** users-permissions ratelimit config (default enabled, 10 per 60000 ms). */
  rateLimit?: { enabled?: boolean; max?: number; interval?: number };
  /**
   * users-permissions' OAuth providers (Settings → Providers; Strapi's grant settings), merged over
   * Strapi's defaults: `{github: {enabled: true, key, secret, callback: 'http://localhost:3000/…'}}`.
   * The local identity provider plays them. Part of the seed: reset() brings them back.
   */
  providers?: Record<string, Partial<import('./identity-provider/providers.js').ProviderSettings>>;
  /** API tokens to seed. */
  apiTokens?: ApiTokenSeed[];
  /** The time source (default Date.now), or a Clock. */
  clock?: TimeSource | Clock;
  /** bcrypt cost for new hashes (default 10 as Strapi; any `$2a$`/`$2b$` hash verifies). */
  bcryptCost?: number;
  /** Actions granted on top of Strapi's defaults, by role type (default: spec/seed/permissions.json). */
  seedPermissions?: Record<string, string[]>;
  /** The built OpenAPI document to serve (default: spec/dist/strapi-v<major>.json). */
  spec?: SpecDocument;
  /** server.absoluteUrl for links in emails (default: the origin of the request that sends the mail). */
  serverUrl?: string;
  /**
   * Strapi 5 refresh mode's `sessions`: lifespans in seconds, `httpOnly` (every login/refresh sets
   * the refresh token as an httpOnly cookie instead of answering it; without it a request opts in
   * with `x-strapi-refresh-cookie: httpOnly`) and the cookie's attributes.
   */
  sessions?: Partial<SessionLifespans> & { httpOnly?: boolean; cookie?: Partial<RefreshCookieOptions> };
  /**
   * Koa's `app.keys` (Strapi's APP_KEYS): the first signs cookies (`<name>.sig`, as Koa's
   * `cookies` does). Default: random.
   */
  appKeys?: string[];
  /**
   * users-permissions `jwt` options: `algorithm` (HS256 default; HS384, HS512; RS/ES/PS algorithms
   * with `jwtSecret` a PEM private key, as jsonwebtoken takes it) — the legacy JWT is signed with
   * it and, on v5, only that algorithm verifies.
   */
  jwtAlgorithm?: JwtAlgorithm;
  /**
   * Folders of Strapi content-type and component schemas to serve: a Strapi project's `src/`
   * (or `src/api` + `src/components`), or folders of `<name>/schema.json`. They replace the
   * default `article` (spec/content-types), which is served only when neither this nor
   * `project` is given. The spec the emulator serves is rebuilt from them.
   */
  contentTypes?: string[];
  /**
   * A Strapi project's root, read as Strapi reads it: its src/ content types and components
   * (instead of the default article), its config/ (api.rest, plugins['users-permissions'],
   * plugins.upload; the options given here win), its route policies and middlewares. What of
   * its code is not emulated is reported once through `onWarning`.
   */
  project?: string;
  /** Custom fields beyond the built-in table: `{'plugin::x.y': 'string'}` (the type the plugin stores). */
  customFields?: Record<string, string>;
  /**
   * users-permissions `register.allowedFields`: the user attributes register accepts besides
   * username, email and password. v5 refuses any other key ("Invalid parameters: …"); unset,
   * v4 accepts every public writable attribute of the user and drops the rest.
   */
  registerAllowedFields?: string[];
  /**
   * Actions of the served content types opened to the Public role at start: full actions
   * (`api::page.page.find`) or bare action names (`find`, `findOne`) for every served type.
   */
  publicActions?: string[];
  /** Hooks to install at start (see RequestHook and `use()`), e.g. to re-express a project's custom code. */
  hooks?: RequestHook[];
  /** Start-up warnings (an unknown custom field, a config file that failed, what is not emulated); default console.warn. */
  onWarning?: (line: string) => void;
  /** The largest uploaded file accepted, in bytes (default 200 MB, koa-body's maxFileSize); more → 413. */
  uploadSizeLimit?: number;
  /** The JSON limit of the control API (/_emulator/*), in bytes (default 16 MB; more → 413). */
  controlBodyLimit?: number;
  /** The JSON limit of a snapshot restore (PUT /_emulator/snapshot), in bytes (default 256 MB). */
  snapshotBodyLimit?: number;
  /**
   * Strapi's `config/api.js` `rest` settings for document lists, defaulting to what
   * create-strapi-app writes: defaultLimit 25, maxLimit 100 (null: no cap, as in an app
   * without config/api.js) and withCount true.
   */
  rest?: { defaultLimit?: number; maxLimit?: number | null; withCount?: boolean };
  /**
   * Webhooks to deliver entry.* and media.* events to, as Strapi's admin configures them
   * (`events` default: all). They are part of the seed: reset() brings them back.
   */
  webhooks?: WebhookSeed[];
  /**
   * A token the control API (/_emulator/*) and the inspector then require (X-Emulator-Control-Token
   * header, or the cookie /_emulator/ui?token=T sets). Without one they answer this machine's
   * programs only; `listen()` beyond loopback generates one when none is given.
   */
  controlToken?: string;
  /**
   * Requests that make real Strapi crash: 'mimic' (default) answers the same 500 as Strapi, with
   * an `X-Strapi-Emulator-Crash` header and one log line saying why; 'explain' answers a 400
   * ValidationError that names the mistake instead.
   */
  strapiCrashes?: 'mimic' | 'explain';
  /** Called for each such 500 (default: one line on stderr). */
  onStrapiCrash?: (why: string, request: Request) => void;
  /**
   * A Strapi project's `src/extensions` folder: `<plugin>/content-types/<name>/schema.json`
   * files merged into the plugin's models as Strapi merges them (their attributes replace the
   * plugin's), for users-permissions' user and role and upload's file (spec/extensions.ts).
   * Default: `<project>/src/extensions` when `project` is given.
   */
  extensions?: string;
  /**
   * The i18n plugin's locales (default `['en']`, as a fresh Strapi has): codes like `'fr'` or
   * `{code, name?, isDefault?}`. The first is the default unless one says `isDefault`. Part of
   * the seed: reset() brings them back.
   */
  locales?: Array<string | { code: string; name?: string; isDefault?: boolean }>;
};

export const jwtAlgorithms = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type JwtAlgorithm = (typeof jwtAlgorithms)[number];

/** utils/refresh-cookie-options.js: the refresh cookie's name and attributes. */
export type RefreshCookieOptions = {
  name: string;
  path: string;
  sameSite: 'lax' | 'strict' | 'none' | boolean;
  /** Unset: secure only when NODE_ENV is production, which the emulator never is. */
  secure: boolean;
  domain: string | undefined;
  /** Milliseconds (Koa's cookies: an `expires` attribute of now + maxAge). */
  maxAge: number | undefined;
};

export type SessionLifespans = {
  accessTokenLifespan: number;
  maxRefreshTokenLifespan: number;
  idleRefreshTokenLifespan: number;
  maxSessionLifespan: number;
  idleSessionLifespan: number;
};

export type SpecDocument = { paths: Record<string, Record<string, unknown>>; [key: string]: unknown };

export type Config = {
  major: Major;
  jwtSecret: string;
  /** admin.auth.secret. */
  adminJwtSecret: string;
  /** Signs the admin refresh cookie (koa's keys, Strapi's APP_KEYS). */
  appKey: string;
  jwtExpiresInSeconds: number;
  jwtManagement: 'legacy' | 'refresh';
  rateLimit: { enabled: boolean; max: number; interval: number };
  bcryptCost: number;
  serverUrl: string | undefined;
  sessions: SessionLifespans;
  /** sessions.httpOnly: every login and refresh answers the refresh token as a cookie. */
  refreshCookieAlways: boolean;
  refreshCookie: RefreshCookieOptions;
  appKeys: string[];
  jwtAlgorithm: JwtAlgorithm;
  /** formidable's maxFileSize: the bytes of all files of one multipart request together. */
  uploadSizeLimit: number;
  controlBodyLimit: number;
  snapshotBodyLimit: number;
  strapiCrashes: 'mimic' | 'explain';
  /** users-permissions register.allowedFields (undefined: Strapi's default). */
  registerAllowedFields: string[] | undefined;
  /** The Strapi project served (`project` option): its root, where plugin extensions are read from. */
  projectRoot: string | undefined;
};

const units: Record<string, number> = {
  ms: 0.001, msec: 0.001, msecs: 0.001, millisecond: 0.001, milliseconds: 0.001,
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
  w: 604800, week: 604800, weeks: 604800,
  y: 31557600, yr: 31557600, yrs: 31557600, year: 31557600, years: 31557600,
};

/** jsonwebtoken's expiresIn: a number is seconds, a string goes through `ms` (a bare number string is ms). */
export function parseExpiresIn(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`jwtExpiresIn must be finite, got ${value}`);
    return Math.floor(value);
  }
  const m = /^(-?(?:\d+)?\.?\d+) *([a-z]+)?$/i.exec(value.trim());
  if (!m) throw new TypeError(`jwtExpiresIn: cannot parse "${value}" (expected seconds or a string like "30d", "12h")`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  if (!(unit in units)) throw new TypeError(`jwtExpiresIn: unknown unit "${m[2]}" in "${value}"`);
  return Math.floor((n * units[unit] * 1000) / 1000);
}

export function resolveConfig(options: EmulatorOptions): Config {
  const major = options.strapi ?? 5;
  if (major !== 4 && major !== 5) throw new TypeError(`strapi must be 4 or 5, got ${String(major)}`);
  const jwtManagement = options.jwtManagement ?? 'legacy';
  if (jwtManagement !== 'legacy' && jwtManagement !== 'refresh') throw new TypeError(`jwtManagement must be 'legacy' or 'refresh', got ${String(jwtManagement)}`);
  if (jwtManagement === 'refresh' && major === 4) throw new TypeError("jwtManagement 'refresh' exists only in Strapi 5");
  const bcryptCost = options.bcryptCost ?? 10;
  if (!Number.isInteger(bcryptCost) || bcryptCost < 4 || bcryptCost > 31) throw new TypeError(`bcryptCost must be an integer 4..31, got ${bcryptCost}`);
  const rl = options.rateLimit ?? {};
  const uploadSizeLimit = options.uploadSizeLimit ?? 200 * 1024 * 1024;
  const strapiCrashes = options.strapiCrashes ?? 'mimic';
  if (strapiCrashes !== 'mimic' && strapiCrashes !== 'explain') throw new TypeError(`strapiCrashes must be 'mimic' or 'explain', got ${String(strapiCrashes)}`);
  if (options.registerAllowedFields !== undefined && (!Array.isArray(options.registerAllowedFields) || options.registerAllowedFields.some((f) => typeof f !== 'string'))) throw new TypeError('registerAllowedFields must be a list of field names');
  const jwtSecret = options.jwtSecret ?? randomBytes(16).toString('base64');
  const bytes = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be a whole number of bytes, got ${String(value)}`);
    return value;
  };
  const { httpOnly, cookie, ...lifespans } = options.sessions ?? {};
  const jwtAlgorithm = options.jwtAlgorithm ?? 'HS256';
  if (!(jwtAlgorithms as readonly string[]).includes(jwtAlgorithm)) throw new TypeError(`jwtAlgorithm must be one of ${jwtAlgorithms.join(', ')}, got ${String(jwtAlgorithm)}`);
  if (options.appKeys !== undefined && (!Array.isArray(options.appKeys) || !options.appKeys.length || options.appKeys.some((k) => typeof k !== 'string' || !k))) throw new TypeError('appKeys must be a non-empty list of strings');
  return {
    refreshCookieAlways: httpOnly === true,
    refreshCookie: {
      name: cookie?.name || 'strapi_up_refresh',
      path: cookie?.path ?? '/',
      sameSite: cookie?.sameSite ?? 'lax',
      secure: typeof cookie?.secure === 'boolean' ? cookie.secure : false,
      domain: cookie?.domain,
      maxAge: cookie?.maxAge,
    },
    appKeys: options.appKeys ?? [randomBytes(16).toString('base64')],
    jwtAlgorithm,
    uploadSizeLimit: bytes('uploadSizeLimit', uploadSizeLimit),
    controlBodyLimit: bytes('controlBodyLimit', options.controlBodyLimit ?? 16 * 1024 * 1024),
    snapshotBodyLimit: bytes('snapshotBodyLimit', options.snapshotBodyLimit ?? 256 * 1024 * 1024),
    strapiCrashes,
    registerAllowedFields: options.registerAllowedFields,
    projectRoot: options.project,
    major,
    jwtSecret,
    // Derived from the users-permissions secret (never equal to it): admin sessions outlive a
    // restart whenever that secret does (--data keeps it), with no second secret to persist.
    adminJwtSecret: options.adminJwtSecret ?? createHmac('sha256', jwtSecret).update('admin.auth.secret').digest('base64'),
    appKey: createHmac('sha256', jwtSecret).update('app.keys').digest('base64'),
    jwtExpiresInSeconds: parseExpiresIn(options.jwtExpiresIn ?? '30d'),
    jwtManagement,
    rateLimit: { enabled: rl.enabled ?? true, max: rl.max ?? 10, interval: rl.interval ?? 60_000 },
    bcryptCost,
    serverUrl: options.serverUrl?.replace(/\/+$/, ''),
    sessions: {
      accessTokenLifespan: 10 * 60,
      maxRefreshTokenLifespan: 30 * 24 * 60 * 60,
      idleRefreshTokenLifespan: 14 * 24 * 60 * 60,
      maxSessionLifespan: 24 * 60 * 60,
      idleSessionLifespan: 2 * 60 * 60,
      ...lifespans,
    },
  };
}
