// The local identity provider's consent page (the Firebase Auth Emulator's idea): Strapi's
// /api/connect/:provider redirects the browser here instead of to github.com or Google; the
// developer picks one of the emulator's users or types an email and a username, and the page
// sends the browser back to Strapi's /api/connect/:provider/callback with a one-time code.
// It is a control path (/_emulator/idp/…): the guard lets a top-level visit in and wants its
// form same-origin; the form also carries a MAC over what it was issued for, so a code is only
// ever sent to this server's own callback for the client the page was opened with.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Handler, Reply, RequestContext } from '../http/context.js';
import { escapeHtml, html, raw } from '../inspector/html.js';
import { oauthOf } from './state.js';
import type { IdpProfile } from './providers.js';

const macKey = randomBytes(32);
const mac = (parts: string[]) => createHmac('sha256', macKey).update(parts.join('\n')).digest('base64url');

// Referrer-Policy same-origin (below), not Strapi's no-referrer: under no-referrer Chromium sends
// `Origin: null` with the page's own form, which the guard refuses as it refuses a sandboxed page.
const csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'self' http: https:; base-uri 'none'; frame-ancestors 'none'";

function htmlReply(status: number, title: string, body: ReturnType<typeof html>): Reply {
  const doc = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${title} · Strapi emulator</title>
<style>${raw('body{font:15px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}form.pick{display:inline}button{margin:4px 4px 4px 0;padding:6px 10px;cursor:pointer}label{display:block;margin:8px 0}input[type=text],input[type=email]{width:100%;padding:6px;box-sizing:border-box}.muted{color:#666}')}</style>
</head><body><p class="muted">Strapi emulator · local identity provider</p><h1>${title}</h1>${body}</body></html>`;
  return { status, text: doc.markup, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': csp, 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' } };
}

type Request = { provider: string; clientId: string; redirectUri: string; state: string; scope: string };

/** Checks the authorization request as a provider checks a registered app: enabled, the client's id, our own callback. */
function authorizationRequest(ctx: RequestContext, source: Record<string, unknown>): Request | string {
  const provider = ctx.params.provider;
  const settings = Object.hasOwn(oauthOf(ctx.store).providers, provider) ? oauthOf(ctx.store).providers[provider] : undefined;
  const str = (k: string) => (typeof source[k] === 'string' ? (source[k] as string) : '');
  const req = { provider, clientId: str('client_id'), redirectUri: str('redirect_uri'), state: str('state'), scope: str('scope') };
  if (!settings?.enabled) return `The provider "${provider}" is not enabled in users-permissions.`;
  if (!req.clientId || req.clientId !== settings.key) return 'Unknown client_id: it is not the key set for this provider.';
  let target: URL;
  try {
    target = new URL(req.redirectUri);
  } catch {
    return 'redirect_uri is not a URL.';
  }
  const origins = new Set([ctx.url.origin, ctx.serverUrl, ctx.url.origin.replace('//127.0.0.1', '//localhost')]);
  if (!origins.has(target.origin) || target.pathname !== `/api/connect/${provider}/callback` || target.search) return `redirect_uri must be this server's /api/connect/${provider}/callback.`;
  return req;
}

const fields = (r: Request) => html`<input type="hidden" name="client_id" value="${r.clientId}"><input type="hidden" name="redirect_uri" value="${r.redirectUri}"><input type="hidden" name="state" value="${r.state}"><input type="hidden" name="mac" value="${mac([r.provider, r.clientId, r.redirectUri, r.state])}">`;

export const consentPage: Handler = async (ctx) => {
  const req = authorizationRequest(ctx, ctx.query);
  if (typeof req === 'string') return htmlReply(400, 'Sign-in refused', html`<p>${req}</p>`);
  const users = ctx.store.users.all().slice(0, 50);
  const picks = users.map(
    (u) => html`<form class="pick" method="post">${fields(req)}<input type="hidden" name="email" value="${u.email}"><input type="hidden" name="username" value="${u.username}"><input type="hidden" name="verified" value="on"><button name="decision" value="allow">${u.username} · ${u.email}</button></form>`,
  );
  return htmlReply(
    200,
    `Sign in with ${req.provider}`,
    html`<p>The app <code>${req.clientId}</code> asks for <code>${req.scope || 'no scope'}</code>. Sign in as:</p>
${users.length ? picks : html`<p class="muted">The emulator has no users yet.</p>`}
<h2>Someone else</h2>
<form method="post">${fields(req)}
<label>Email <input type="email" name="email" required maxlength="254"></label>
<label>Username <input type="text" name="username" maxlength="100"></label>
<label><input type="checkbox" name="verified" checked> The provider has verified this email</label>
<button name="decision" value="allow">Sign in</button> <button name="decision" value="deny" formnovalidate>Deny</button>
</form>`,
  );
};

const sameMac = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const consentAnswer: Handler = async (ctx) => {
  const body = (typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {}) as Record<string, unknown>;
  const req = authorizationRequest(ctx, body);
  if (typeof req === 'string') return htmlReply(400, 'Sign-in refused', html`<p>${req}</p>`);
  if (typeof body.mac !== 'string' || !sameMac(body.mac, mac([req.provider, req.clientId, req.redirectUri, req.state]))) return htmlReply(400, 'Sign-in refused', html`<p>This form was not issued by this emulator for that request: open the sign-in again.</p>`);
  const back = new URL(req.redirectUri);
  if (body.decision === 'deny') {
    back.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user has denied your application access.', ...(req.state ? { state: req.state } : {}) }).toString();
  } else {
    const email = typeof body.email === 'string' ? body.email.trim().slice(0, 254) : '';
    if (!email) return htmlReply(400, 'Sign-in refused', html`<p>An email is needed.</p>`);
    const username = typeof body.username === 'string' && body.username.trim() ? body.username.trim().slice(0, 100) : email.split('@')[0];
    const profile: IdpProfile = { email, username, emailVerified: body.verified === 'on' || body.verified === 'true' };
    const code = oauthOf(ctx.store).issueCode(req.provider, req.clientId, req.redirectUri, profile);
    back.search = new URLSearchParams({ code, ...(req.state ? { state: req.state } : {}) }).toString();
  }
  const location = back.toString();
  return { status: 302, text: `Redirecting to ${escapeHtml(location)}.`, contentType: 'text/plain; charset=utf-8', headers: { Location: location, 'Cache-Control': 'no-store' } };
};

/** GET /_emulator/providers: the grant settings, secrets included (this is the control API). */
export const providersList: Handler = async (ctx) => ({ status: 200, json: oauthOf(ctx.store).providers });

/** PUT /_emulator/providers: `{<name>: {enabled, key, secret, callback, scope, …}}`, merged into each provider's settings. */
export const providersUpdate: Handler = async (ctx) => {
  const body = ctx.body as Record<string, unknown>;
  const oauth = oauthOf(ctx.store);
  for (const [name, patch] of Object.entries(body ?? {})) {
    if (['__proto__', 'constructor', 'prototype'].includes(name)) return { status: 400, json: { data: null, error: { status: 400, name: 'ValidationError', message: `"${name}" is not a provider name`, details: {} } } };
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return { status: 400, json: { data: null, error: { status: 400, name: 'ValidationError', message: `providers.${name} must be an object`, details: {} } } };
  }
  for (const [name, patch] of Object.entries(body ?? {})) oauth.providers[name] = { ...(oauth.providers[name] ?? { enabled: false, icon: '' }), ...(patch as object) } as never;
  return { status: 200, json: oauth.providers };
};
