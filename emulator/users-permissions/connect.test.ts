// The whole OAuth sign-in through the local identity provider, on both majors: Strapi's connect
// redirect → the consent page → back to /api/connect/:provider/callback → the front end →
// /api/auth/:provider/callback → {jwt, user}; and what Strapi does with the user it finds.
import { describe, expect, test } from 'vitest';
import { type Answer, password, setup } from '../testing.js';

const front = 'http://localhost:3000/connect/github/redirect';
const github = { enabled: true, key: 'client-1', secret: 'secret-1', callback: front };
const cookiesOf = (a: Answer) => a.headers.getSetCookie().map((l) => l.split(';')[0]).join('; ');
const pathOf = (location: string) => {
  const u = new URL(location, 'http://127.0.0.1:1337');
  return u.pathname + u.search;
};

async function world(major: 4 | 5, options: Parameters<typeof setup>[0] = {}) {
  const t = await setup({ strapi: major, providers: { github }, ...options });
  /** Connect, consent as `who`, come back: what the front end's redirect URL receives, and the session cookie. */
  async function signIn(who: { email: string; username?: string; verified?: boolean }, provider = 'github') {
    const start = await t.call('GET', `/api/connect/${provider}`, { ip: t.ip() });
    expect(start.status).toBe(302);
    const consent = await t.call('GET', pathOf(start.headers.get('location')!));
    expect(consent.status).toBe(200);
    const form = [...consent.text.matchAll(/<form method="post">([\s\S]*?)<\/form>/g)].at(-1)![1];
    const fields = Object.fromEntries([...form.matchAll(/name="(client_id|redirect_uri|state|mac)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
    const body = new URLSearchParams({ ...fields, email: who.email, username: who.username ?? '', ...(who.verified === false ? {} : { verified: 'on' }), decision: 'allow' });
    const back = await t.call('POST', pathOf(start.headers.get('location')!).split('?')[0], { raw: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(back.status).toBe(302);
    const done = await t.call('GET', pathOf(back.headers.get('location')!), { headers: { cookie: cookiesOf(start) } });
    expect(done.status).toBe(302);
    return { location: done.headers.get('location')!, cookie: cookiesOf(done) };
  }
  /** The front end's last step: v5 with the session cookie, v4 with the access_token it was given. */
  async function finish(came: { location: string; cookie: string }, provider = 'github') {
    const query = new URL(came.location).search;
    return t.call('GET', `/api/auth/${provider}/callback${major === 4 ? query : ''}`, major === 5 ? { headers: { cookie: came.cookie } } : {});
  }
  return { t, signIn, finish };
}

describe.each([4, 5] as const)('v%i OAuth through the local identity provider', (major) => {
  test('a new person: connect → consent → front end → {jwt, user} (provider github, confirmed, default role)', async () => {
    const { t, signIn, finish } = await world(major);
    const came = await signIn({ email: 'Octo@Example.com', username: 'octocat' });
    if (major === 5) expect(came.location).toBe(front);
    else expect(new URL(came.location).searchParams.get('access_token')).toMatch(/^idp_/);
    const r = await finish(came);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username: 'octocat', email: 'octo@example.com', provider: 'github', confirmed: true, blocked: false });
    expect((await t.call('GET', '/api/users/me', { token: r.body.jwt })).body.email).toBe('octo@example.com');
    // The same person again is the same user.
    expect((await finish(await signIn({ email: 'octo@example.com', username: 'octocat' }))).body.user.id).toBe(r.body.user.id);
  });

  test('an email a local user has → "Email is already taken." (unique_email); a blocked user → 400 blocked', async () => {
    const { t, signIn, finish } = await world(major);
    await t.register({ username: 'local', email: 'ann@example.com' });
    const taken = await finish(await signIn({ email: 'ann@example.com', username: 'ann' }));
    expect(taken.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'Email is already taken.', details: {} });
    const first = await finish(await signIn({ email: 'bob@example.com', username: 'bobby' }));
    await t.services.users.edit(first.body.user.id, { blocked: true });
    const blocked = await finish(await signIn({ email: 'bob@example.com', username: 'bobby' }));
    expect(blocked.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'Your account has been blocked by an administrator', details: {} });
  });

  test('GitHub refuses an unverified email; register turned off refuses new people', async () => {
    const { t, signIn, finish } = await world(major);
    expect((await finish(await signIn({ email: 'x@example.com', username: 'xavier', verified: false }))).body.error.message).toBe('Email not verified by GitHub');
    t.store.advanced.allow_register = false;
    expect((await finish(await signIn({ email: 'y@example.com', username: 'yvonne' }))).body.error.message).toBe('Register action is actually not available.');
  });

  test('errors before the provider: disabled or unknown provider, a foreign callback, no token', async () => {
    const { t } = await world(major);
    for (const p of ['/api/connect/google', '/api/connect/nope', '/api/auth/google/callback', '/api/connect/%E0%A4%A', '/api/connect/%67ithub', '/api/connect/__proto__', '/api/auth/constructor/callback', '/api/auth/%E0%A4%A/callback']) {
      expect((await t.call('GET', p, { ip: t.ip() })).body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'This provider is disabled', details: {} });
    }
    const foreign = await t.call('GET', '/api/connect/github?callback=http://evil.test/x', { ip: t.ip() });
    expect(foreign.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Invalid callback URL provided', details: { callback: 'http://evil.test/x' } });
    const none = await t.call('GET', '/api/auth/github/callback');
    expect(none.body.error.message).toBe(major === 5 ? 'OAuth authentication requires a completed provider session' : 'No access_token.');
  });
});

describe('v5 specifics', () => {
  test('a username another user has → name + 4 digits (findValidUsername)', async () => {
    const { t, signIn, finish } = await world(5);
    await t.register({ username: 'octocat', email: 'other@example.com' });
    const r = await finish(await signIn({ email: 'octo@example.com', username: 'octocat' }));
    expect(r.body.user.username).toMatch(/^octocat\d{4}$/);
  });

  test('state: a callback without the session or with another state goes back with oauth_error', async () => {
    const { t } = await world(5);
    const r = await t.call('GET', '/api/connect/github/callback?code=abc&state=s');
    expect(r.headers.get('location')).toBe(`${front}?error=oauth_error&error_description=OAuth2+state+mismatch`);
    const denied = await t.call('GET', '/api/connect/github/callback?error=access_denied&error_description=The+user+denied');
    expect(denied.headers.get('location')).toBe(`${front}?error=access_denied&error_description=The+user+denied`);
  });

  test('refresh mode: the provider sign-in starts a session (refresh token, or the cookie with the opt-in header)', async () => {
    const { signIn, t } = await world(5, { jwtManagement: 'refresh' });
    const came = await signIn({ email: 'octo@example.com', username: 'octocat' });
    const r = await t.call('GET', '/api/auth/github/callback', { headers: { cookie: came.cookie, 'x-strapi-refresh-cookie': 'httpOnly' } });
    expect(Object.keys(r.body)).toEqual(['jwt', 'user']);
    expect(r.headers.getSetCookie()[0]).toMatch(/^strapi_up_refresh=/);
  });

  test('a tampered session cookie is no session', async () => {
    const { t } = await world(5);
    const start = await t.call('GET', '/api/connect/github');
    const forged = cookiesOf(start).replace(/koa\.sess=[^;]+/, `koa.sess=${Buffer.from(JSON.stringify({ grant: { response: { access_token: 'x' } }, _expire: Date.now() + 1e6 })).toString('base64')}`);
    expect((await t.call('GET', '/api/auth/github/callback', { headers: { cookie: forged } })).body.error.message).toBe('OAuth authentication requires a completed provider session');
    void password;
  });
});
