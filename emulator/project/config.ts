// A project's config/ read as Strapi reads it: config/<name>.{js,ts,cjs,mjs,json}, then
// config/env/<NODE_ENV>/<name>.* merged over it; a file exports an object or a function of
// `{ env }` (Strapi's env helper, over the project's .env and process.env, process.env
// winning as dotenv does). Only what changes REST answers is evaluated (api, plugins): a
// config file that cannot be evaluated is one warning, the others still apply.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import type { EmulatorOptions } from '../config.js';
import { ProjectFileError, evaluateFile, reasonOf, sourceExtensions } from './evaluate.js';
import { strapiShims } from './shim.js';

type Env = Record<string, string | undefined>;

/** Strapi's `env` helper (@strapi/utils env-helper): env(key, default) plus its typed readers. */
export function envHelper(vars: Env) {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(vars, key) && vars[key] !== undefined;
  const raw = (key: string) => vars[key] ?? '';
  const env = <T>(key: string, defaultValue?: T) => (has(key) ? raw(key) : defaultValue);
  return Object.assign(env, {
    int: <T>(key: string, defaultValue?: T) => (has(key) ? parseInt(raw(key), 10) : defaultValue),
    float: <T>(key: string, defaultValue?: T) => (has(key) ? parseFloat(raw(key)) : defaultValue),
    bool: <T>(key: string, defaultValue?: T) => (has(key) ? raw(key) === 'true' : defaultValue),
    json: <T>(key: string, defaultValue?: T) => {
      if (!has(key)) return defaultValue;
      try {
        return JSON.parse(raw(key)) as unknown;
      } catch (error) {
        throw new Error(`Invalid json environment variable ${key}: ${(error as Error).message}`);
      }
    },
    array: <T>(key: string, defaultValue?: T) => {
      if (!has(key)) return defaultValue;
      let value = raw(key);
      if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
      return value.split(',').map((v) => v.trim().replace(/^"+|"+$/g, ''));
    },
    date: <T>(key: string, defaultValue?: T) => (has(key) ? new Date(raw(key)) : defaultValue),
    oneOf: <T>(key: string, expected: unknown[], defaultValue?: T) => {
      const value = has(key) ? raw(key) : defaultValue;
      if (!expected.includes(value)) throw new Error(`env("${key}") must be one of ${expected.join(', ')}`);
      return value;
    },
  });
}

/** The project's .env under process.env (dotenv never overrides a variable already set). */
export function projectEnv(root: string, processEnv: Env = process.env): Env {
  const file = join(root, '.env');
  let fromFile: Env = {};
  if (existsSync(file)) {
    try {
      fromFile = parseEnv(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ProjectFileError(file, `cannot be read (${reasonOf(error)})`);
    }
  }
  return { ...fromFile, ...processEnv };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

function readConfigFile(dir: string, name: string, env: ReturnType<typeof envHelper>, warnings: string[]): Record<string, unknown> | undefined {
  const file = sourceExtensions.map((ext) => join(dir, `${name}${ext}`)).find((f) => existsSync(f));
  if (!file) return undefined;
  try {
    let value = evaluateFile(file, strapiShims);
    if (typeof value === 'function') value = (value as (a: unknown) => unknown)({ env });
    if (value === undefined || value === null) return {};
    if (!isObject(value)) throw new ProjectFileError(file, `exports ${Array.isArray(value) ? 'an array' : typeof value}, not an object or a function of { env } answering one`);
    return value;
  } catch (error) {
    const e = error instanceof ProjectFileError ? error : new ProjectFileError(file, `throws when called with { env } (${reasonOf(error)})`);
    warnings.push(`config ${e.file} ${e.reason}: its settings are not applied`);
    return undefined;
  }
}

export type ProjectConfig = {
  api: Record<string, unknown>;
  plugins: Record<string, unknown>;
  /** What the config gives createEmulator (explicit options win over it). */
  options: Partial<EmulatorOptions>;
  warnings: string[];
  /** Settings read and applied, for the start-up line. */
  applied: string[];
};

const timeUnits: Record<string, number> = { ms: 1, sec: 1000, min: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

/** koa2-ratelimit's interval: milliseconds, or `{ min: 5 }`-like units added up. */
function intervalMs(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (!isObject(value)) return undefined;
  let total = 0;
  for (const [unit, n] of Object.entries(value)) if (timeUnits[unit] && typeof n === 'number') total += n * timeUnits[unit];
  return total || undefined;
}

export function loadProjectConfig(root: string, processEnv: Env = process.env): ProjectConfig {
  const warnings: string[] = [];
  const vars = projectEnv(root, processEnv);
  const env = envHelper(vars);
  const nodeEnv = vars.NODE_ENV || 'development';
  const read = (name: string) => {
    const base = readConfigFile(join(root, 'config'), name, env, warnings) ?? {};
    const over = readConfigFile(join(root, 'config', 'env', nodeEnv), name, env, warnings) ?? {};
    return deepMerge(base, over);
  };
  const api = read('api');
  const plugins = read('plugins');
  const server = read('server');
  const options: Partial<EmulatorOptions> = {};
  // Koa's app.keys sign the refresh cookie (`<name>.sig`).
  const appKeys = isObject(server.app) && Array.isArray(server.app.keys) ? server.app.keys.filter((k): k is string => typeof k === 'string' && k !== '') : [];
  if (appKeys.length) options.appKeys = appKeys;
  const applied: string[] = [];
  const rest = isObject(api.rest) ? api.rest : undefined;
  if (rest) {
    const r: NonNullable<EmulatorOptions['rest']> = {};
    if (typeof rest.defaultLimit === 'number') r.defaultLimit = rest.defaultLimit;
    if (typeof rest.maxLimit === 'number' || rest.maxLimit === null) r.maxLimit = rest.maxLimit as number | null;
    if (typeof rest.withCount === 'boolean') r.withCount = rest.withCount;
    options.rest = r;
    applied.push('api.rest');
    if (typeof rest.prefix === 'string' && rest.prefix !== '/api') warnings.push(`config api.rest.prefix "${rest.prefix}" is not emulated: the routes stay under /api`);
  }
  const responses = isObject(api.responses) ? api.responses : undefined;
  if (Array.isArray(responses?.privateAttributes) && responses.privateAttributes.length) warnings.push(`config api.responses.privateAttributes (${responses.privateAttributes.join(', ')}) is not emulated: only attributes marked private in a schema are hidden`);
  const up = isObject(plugins['users-permissions']) ? plugins['users-permissions'] : undefined;
  const upConfig = up && isObject(up.config) ? up.config : undefined;
  if (upConfig) {
    const jwt = isObject(upConfig.jwt) ? upConfig.jwt : {};
    if (typeof jwt.expiresIn === 'string' || typeof jwt.expiresIn === 'number') options.jwtExpiresIn = jwt.expiresIn;
    if (typeof jwt.algorithm === 'string') options.jwtAlgorithm = jwt.algorithm as EmulatorOptions['jwtAlgorithm'];
    if (typeof upConfig.jwtSecret === 'string' && upConfig.jwtSecret) options.jwtSecret = upConfig.jwtSecret;
    if (upConfig.jwtManagement === 'legacy-support' || upConfig.jwtManagement === 'legacy') options.jwtManagement = 'legacy';
    if (upConfig.jwtManagement === 'refresh') options.jwtManagement = 'refresh';
    if (isObject(upConfig.ratelimit)) {
      const rl = upConfig.ratelimit;
      options.rateLimit = {
        ...(typeof rl.enabled === 'boolean' ? { enabled: rl.enabled } : {}),
        ...(typeof rl.max === 'number' ? { max: rl.max } : {}),
        ...(intervalMs(rl.interval) ? { interval: intervalMs(rl.interval) } : {}),
      };
    }
    const register = isObject(upConfig.register) ? upConfig.register : {};
    if (Array.isArray(register.allowedFields)) options.registerAllowedFields = register.allowedFields.filter((f): f is string => typeof f === 'string');
    if (isObject(upConfig.sessions)) {
      const s = upConfig.sessions;
      const lifespans = ['accessTokenLifespan', 'maxRefreshTokenLifespan', 'idleRefreshTokenLifespan', 'maxSessionLifespan', 'idleSessionLifespan'] as const;
      const sessions: NonNullable<EmulatorOptions['sessions']> = {};
      for (const k of lifespans) if (typeof s[k] === 'number') sessions[k] = s[k] as number;
      if (typeof s.httpOnly === 'boolean') sessions.httpOnly = s.httpOnly;
      if (isObject(s.cookie)) {
        const c = s.cookie;
        sessions.cookie = {
          ...(typeof c.name === 'string' ? { name: c.name } : {}),
          ...(typeof c.path === 'string' ? { path: c.path } : {}),
          ...(typeof c.sameSite === 'string' || typeof c.sameSite === 'boolean' ? { sameSite: c.sameSite as 'lax' } : {}),
          ...(typeof c.secure === 'boolean' ? { secure: c.secure } : {}),
          ...(typeof c.domain === 'string' ? { domain: c.domain } : {}),
          ...(typeof c.maxAge === 'number' ? { maxAge: c.maxAge } : {}),
        };
      }
      if (Object.keys(sessions).length) options.sessions = sessions;
    }
    applied.push("plugins['users-permissions']");
  }
  const upload = isObject(plugins.upload) && isObject(plugins.upload.config) ? plugins.upload.config : undefined;
  if (upload && typeof upload.sizeLimit === 'number') {
    options.uploadSizeLimit = upload.sizeLimit;
    applied.push('plugins.upload.sizeLimit');
  }
  return { api, plugins, options, warnings, applied };
}
