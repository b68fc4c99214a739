// Creating and revoking API tokens during a contract run. Real Strapi does it through its admin
// API, as an administrator would in the panel: the first admin is registered (or logs in when
// one exists), then POST /admin/api-tokens and DELETE /admin/api-tokens/:id. The emulator's
// target creates these tokens with the control API and revokes them in its store (its admin API
// is covered by admin.ts, which registers the same admin first on every target).
// Locales (i18n) are added through the same admin session: POST /i18n/locales.
import { fetch } from 'undici';
import type { LocaleAdmin } from './i18n.js';

export type ApiTokenAdmin = {
  /** A new full-access token; resolves to its access key and a function that deletes it. */
  create(): Promise<{ accessKey: string; revoke(): Promise<void> }>;
};

const admin = { email: 'contracts-admin@example.com', password: 'Contracts-Admin-1', firstname: 'Contract', lastname: 'Admin' };

type Fetcher = (url: URL, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; text(): Promise<string> }>;

async function call(url: string, method: string, path: string, body?: unknown, jwt?: string, fetcher: Fetcher = fetch): Promise<{ status: number; json: { data?: Record<string, unknown> } }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (jwt) headers.authorization = `Bearer ${jwt}`;
  const res = await fetcher(new URL(path, url), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

const sessions = new Map<string, Promise<string>>();

async function login(url: string, fetcher?: Fetcher): Promise<string> {
  let r = await call(url, 'POST', '/admin/register-admin', admin, undefined, fetcher);
  // An admin exists already (a second run against the same instance): log in instead.
  if (r.status !== 200) r = await call(url, 'POST', '/admin/login', { email: admin.email, password: admin.password }, undefined, fetcher);
  const jwt = (r.json.data?.accessToken ?? r.json.data?.token) as string | undefined;
  if (r.status !== 200 || !jwt) throw new Error(`admin login failed: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  return jwt;
}

/**
 * An admin JWT for the Strapi at `url` (one registration or login per instance). `fetcher`: how
 * the first call is sent (the admin scenarios send it through the contract, so the first
 * registration is validated and counted).
 */
export function adminSession(url: string, fetcher?: Fetcher): Promise<string> {
  let session = sessions.get(url);
  if (!session) sessions.set(url, (session = login(url, fetcher)));
  return session;
}

export const contractAdmin = admin;

/** Locales through the admin API (Settings → Internationalization): POST /i18n/locales; one that exists is fine. */
export function adminLocales(url: string): LocaleAdmin {
  return {
    async add(code, name) {
      const r = await call(url, 'POST', '/i18n/locales', { code, name, isDefault: false }, await adminSession(url));
      const exists = r.status === 400 && (r.json as { error?: { message?: string } }).error?.message === 'This locale already exists';
      if (r.status !== 200 && !exists) throw new Error(`POST /i18n/locales answered ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    },
  };
}

/** The admin API of a real Strapi at `url` (4.x and 5.x answer the same shapes here). */
export function adminApiTokens(url: string): ApiTokenAdmin {
  return {
    async create() {
      const jwt = await adminSession(url);
      const made = await call(url, 'POST', '/admin/api-tokens', { name: `contracts revocable ${Date.now()}-${Math.random()}`, description: '', type: 'full-access', lifespan: null }, jwt);
      if (made.status !== 201) throw new Error(`POST /admin/api-tokens answered ${made.status} ${JSON.stringify(made.json).slice(0, 300)}`);
      const { id, accessKey } = made.json.data as { id: number; accessKey: string };
      return {
        accessKey,
        async revoke() {
          const r = await call(url, 'DELETE', `/admin/api-tokens/${id}`, undefined, jwt);
          if (r.status !== 200) throw new Error(`DELETE /admin/api-tokens/${id} answered ${r.status}`);
        },
      };
    },
  };
}
