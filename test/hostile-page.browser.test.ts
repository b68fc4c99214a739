// Hostile pages in real Chromium (playwright-core, Debian's /usr/bin/chromium) against an emulator
// on 127.0.0.1: a page of another loopback origin — 127.0.0.2 (cross-site) and another port of
// 127.0.0.1 (same-site) — tries to read the outbox and the snapshot and to write through every
// way a page has (fetch with and without credentials, simple and preflighted, no-cors, beacons,
// <form> posts of every enctype, a sandboxed iframe whose Origin is `null`); an uploaded HTML/SVG
// opened from the emulator itself tries the same; a DNS name rebound to 127.0.0.1 tries it as a
// same-origin page. Every attempt fails, the server saw each one that reached it refused, and the
// world is unchanged. The inspector keeps working from its own origin, with and without a token.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { listen } from '../emulator/server.js';
import { inspectorCsp } from '../emulator/inspector/layout.js';

const executablePath = '/usr/bin/chromium';
const rebound = 'rebind.test';

type Seen = { method: string; path: string; status: number; origin: string | null; site: string | null };
type Attempt = { name: string; outcome: string };

let browser: Browser;

/** A page server of the attacker's: every path answers the same empty HTML page. */
async function hostileServer(host: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>hostile</title><body><h1>cute cats</h1></body>');
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as { port: number };
  return { url: `http://${host}:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** Records every control request the emulator answered, with what the browser said about its origin. */
function spy(emulator: Emulator): Seen[] {
  const seen: Seen[] = [];
  emulator.use({
    name: 'test-spy',
    after: ({ request, url, method, response }) => {
      if (url.pathname.startsWith('/_emulator')) seen.push({ method, path: url.pathname, status: response.status, origin: request.headers.get('origin'), site: request.headers.get('sec-fetch-site') });
    },
  });
  return seen;
}

/** A world with something to steal: a user, a reset code in the outbox, an API token. */
async function seeded(options: Parameters<typeof createEmulator>[0] = {}) {
  const emulator = createEmulator({ strapi: 5, bcryptCost: 4, apiTokens: [{ accessKey: 'seeded-full-access-key', type: 'full-access' }], ...options });
  await emulator.ready;
  const post = (path: string, body: unknown) =>
    emulator.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(emulator.guard.token ? { 'x-emulator-control-token': emulator.guard.token } : {}) }, body: JSON.stringify(body) });
  expect((await post('/api/auth/local/register', { username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' })).status).toBe(200);
  expect((await post('/api/auth/forgot-password', { email: 'ann@example.com' })).status).toBe(200);
  expect(emulator.control.outbox()).toHaveLength(1);
  return emulator;
}

const world = (emulator: Emulator) => JSON.stringify(emulator.control.snapshot());

/** Everything a page's script can try from its own origin; returns what each attempt gave the page. */
async function attackWithScripts(page: Page, target: string): Promise<Attempt[]> {
  return page.evaluate(async (target) => {
    const out: Array<{ name: string; outcome: string }> = [];
    const attempt = async (name: string, run: () => Promise<string>) => {
      try {
        out.push({ name, outcome: await run() });
      } catch (e) {
        out.push({ name, outcome: `rejected: ${(e as Error).name}` });
      }
    };
    const read = async (res: Response) => (res.type === 'opaque' ? 'opaque' : `read ${res.status}: ${(await res.text()).slice(0, 60)}`);
    for (const path of ['/_emulator/outbox', '/_emulator/snapshot', '/_emulator/api-tokens', '/_emulator/ui/outbox']) {
      for (const credentials of ['omit', 'include'] as const) {
        await attempt(`GET ${path} cors ${credentials}`, async () => read(await fetch(target + path, { credentials })));
        await attempt(`GET ${path} cors ${credentials} +token header`, async () => read(await fetch(target + path, { credentials, headers: { 'x-emulator-control-token': 'guess-guess-guess-guess' } })));
        await attempt(`GET ${path} no-cors ${credentials}`, async () => read(await fetch(target + path, { credentials, mode: 'no-cors' })));
      }
    }
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/_emulator/api-tokens', { accessKey: 'evil-full-access-key', type: 'full-access' }],
      ['POST', '/_emulator/webhooks', { url: 'http://127.0.0.2:9/steal', headers: { 'x-evil': '1' } }],
      ['POST', '/_emulator/users', { username: 'eve', email: 'eve@example.com', password: 'Passw0rd!' }],
      ['POST', '/_emulator/reset', {}],
      ['PUT', '/_emulator/snapshot', { users: { nextId: 1, rows: [] } }],
      ['PUT', '/_emulator/settings', { allow_register: false }],
      ['DELETE', '/_emulator/outbox', undefined],
    ];
    for (const [method, path, body] of writes) {
      const json = body === undefined ? undefined : JSON.stringify(body);
      for (const credentials of ['omit', 'include'] as const) {
        await attempt(`${method} ${path} json ${credentials}`, async () => read(await fetch(target + path, { method, credentials, headers: { 'content-type': 'application/json' }, body: json })));
        await attempt(`${method} ${path} text ${credentials}`, async () => read(await fetch(target + path, { method, credentials, body: json })));
        await attempt(`${method} ${path} no-cors text ${credentials}`, async () => read(await fetch(target + path, { method, credentials, mode: 'no-cors', body: json })));
        await attempt(`${method} ${path} no-cors untyped blob ${credentials}`, async () => read(await fetch(target + path, { method, credentials, mode: 'no-cors', body: new Blob([json ?? '']) })));
        await attempt(`${method} ${path} no-cors form ${credentials}`, async () => read(await fetch(target + path, { method, credentials, mode: 'no-cors', body: new URLSearchParams((body ?? {}) as Record<string, string>) })));
      }
    }
    await attempt('beacon POST /_emulator/reset', async () => String(navigator.sendBeacon(`${target}/_emulator/reset`, '{}')));
    return out;
  }, target);
}

/** <form> posts of every enctype (a form can submit with no script at all), into iframes. */
async function attackWithForms(page: Page, target: string): Promise<number> {
  const forms = [
    { path: '/_emulator/users', enctype: 'application/x-www-form-urlencoded', fields: [['username', 'eve'], ['email', 'eve@example.com'], ['password', 'Passw0rd!']] },
    // The text/plain trick: the body reads `{"username":"eve",…,"x":"="}`, valid JSON.
    { path: '/_emulator/users', enctype: 'text/plain', fields: [['{"username":"eve","email":"eve@example.com","password":"Passw0rd!","x":"', '"}']] },
    { path: '/_emulator/api-tokens', enctype: 'multipart/form-data', fields: [['accessKey', 'evil-full-access-key'], ['type', 'full-access']] },
    { path: '/_emulator/reset', enctype: 'application/x-www-form-urlencoded', fields: [] },
    { path: '/_emulator/reset', enctype: 'text/plain', fields: [['{"clock":true,"x":"', '"}']] },
  ];
  await page.evaluate(
    ({ target, forms }) => {
      forms.forEach((f, i) => {
        const frame = document.createElement('iframe');
        frame.name = `sink${i}`;
        document.body.append(frame);
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = target + f.path;
        form.enctype = f.enctype;
        form.target = frame.name;
        for (const [name, value] of f.fields) {
          const input = document.createElement('input');
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      });
    },
    { target, forms },
  );
  return forms.length;
}

/** A sandboxed iframe that may run scripts: its requests carry `Origin: null`. */
async function attackFromOpaqueOrigin(page: Page, target: string): Promise<void> {
  await page.evaluate((target) => {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts allow-forms');
    frame.srcdoc = `<script>
      fetch(${JSON.stringify(`${target}/_emulator/reset`)}, { method: 'POST', mode: 'no-cors', body: '{}' });
      fetch(${JSON.stringify(`${target}/_emulator/outbox`)}, { mode: 'no-cors' });
    </script>`;
    document.body.append(frame);
  }, target);
}

function expectNothingRead(attempts: Attempt[]) {
  expect(attempts.length).toBe(95);
  const read = attempts.filter((a) => a.outcome.startsWith('read'));
  expect(read, 'no attempt may read an answer').toEqual([]);
  for (const a of attempts) expect(a.outcome, a.name).toMatch(/^(rejected: TypeError|opaque|true|false)$/);
}

beforeAll(async () => {
  browser = await chromium.launch({ executablePath, args: [`--host-resolver-rules=MAP ${rebound} 127.0.0.1`] });
});

afterAll(async () => {
  await browser?.close();
});

describe('on loopback (no token)', () => {
  let emulator: Emulator;
  let server: Awaited<ReturnType<typeof listen>>;
  let seen: Seen[];
  let context: BrowserContext;
  const hostile: Array<Awaited<ReturnType<typeof hostileServer>>> = [];

  beforeAll(async () => {
    emulator = await seeded();
    seen = spy(emulator);
    server = await listen(emulator, { port: 0, host: '127.0.0.1' });
    hostile.push(await hostileServer('127.0.0.2'), await hostileServer('127.0.0.1'));
    context = await browser.newContext();
  });
  afterAll(async () => {
    await context?.close();
    for (const h of hostile) await h.close();
    await server?.close();
  });

  test('the inspector works from its own origin (and so gets cookies a page could abuse, were it not refused)', async () => {
    const page = await context.newPage();
    const overview = await page.goto(`${server.url}/_emulator/ui`);
    expect(overview?.status()).toBe(200);
    // Its own CSP: its one script by hash, no other from anywhere, not even one of this origin.
    const csp = overview?.headers()['content-security-policy'];
    expect(csp).toBe(inspectorCsp);
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; connect-src 'self';/);
    expect(await page.locator('h1').textContent()).toBe('Overview');
    // A script element added to the page (what an injection would do) is refused, same-origin file or inline.
    const refused = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      (window as unknown as { ran?: boolean }).ran = false;
      const inline = document.createElement('script');
      inline.textContent = 'window.ran = true';
      document.body.append(inline);
      const file = document.createElement('script');
      file.src = '/api/articles';
      document.body.append(file);
      await new Promise((done) => setTimeout(done, 300));
      return { ran: (window as unknown as { ran?: boolean }).ran, violations };
    });
    expect(refused.ran).toBe(false);
    expect(refused.violations.sort()).toEqual(['script-src-elem', 'script-src-elem']);
    await page.locator('header nav').getByRole('link', { name: 'Outbox', exact: true }).click();
    await page.waitForURL('**/_emulator/ui/outbox');
    expect(await page.locator('.mail dd code').first().textContent()).toMatch(/^[0-9a-f]{128}$/);
    // A script of the server's own origin may call the control API (as the inspector's own does;
    // this one runs on a page of Strapi's CSP, connect-src 'self').
    await page.goto(`${server.url}/api/articles`);
    expect(await page.evaluate(async () => (await fetch('/_emulator/outbox')).status)).toBe(200);
    expect(await page.evaluate(async () => (await fetch('/_emulator/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance":0}' })).status)).toBe(200);
    await page.close();
  });

  for (const [label, at] of [['cross-site (127.0.0.2)', 0], ['same-site (127.0.0.1, another port)', 1]] as const) {
    test(`a ${label} page can neither read nor write the control API, by script, form or sandboxed frame`, async () => {
      const before = world(emulator);
      seen.length = 0;
      const page = await context.newPage();
      await page.goto(hostile[at].url);
      const attempts = await attackWithScripts(page, server.url);
      expectNothingRead(attempts);
      const posted = await attackWithForms(page, server.url);
      await attackFromOpaqueOrigin(page, server.url);
      // The simple requests reached the server (form posts, no-cors fetches, the beacon, the null-origin frame) and were refused there.
      // (A no-cors GET carries no Origin at all; its Sec-Fetch-Site gives it away.)
      await expect.poll(() => seen.filter((s) => s.origin === 'null').map((s) => `${s.method} ${s.path}`)).toEqual(['POST /_emulator/reset']);
      await expect.poll(() => seen.filter((s) => s.site === 'same-site' || s.site === 'cross-site').length).toBeGreaterThan(posted + 20);
      expect(seen.filter((s) => s.status !== 403), 'every request from the page was refused').toEqual([]);
      expect(seen.some((s) => s.method === 'OPTIONS'), 'preflights were refused too').toBe(true);
      expect(world(emulator)).toBe(before);
      expect(emulator.store.apiTokens.count()).toBe(1);
      expect(emulator.control.webhooks.list()).toEqual([]);
      await page.close();
    });
  }

  test('an uploaded HTML or SVG opened from the emulator runs sandboxed: no script, and its links are cross-site', async () => {
    const before = seen.length;
    const key = 'seeded-full-access-key';
    const upload = async (name: string, type: string, content: string) => {
      const form = new FormData();
      form.append('files', new File([content], name, { type }));
      const res = await fetch(`${server.url}/api/upload`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
      expect(res.status).toBe(201);
      return ((await res.json()) as Array<{ url: string }>)[0].url;
    };
    // A script file of the same origin passes script-src 'self': only the sandbox stops it.
    const script = await upload(
      'evil.js',
      'text/javascript',
      `document.title = 'pwned'; fetch('/_emulator/outbox').then((r) => r.text()).then((t) => fetch('/_emulator/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));`,
    );
    const html = await upload('evil.html', 'text/html', `<!doctype html><title>cats</title><script src="${script}"></script><a id="go" href="/_emulator/ui/outbox">more cats</a>`);
    const svg = await upload('evil.svg', 'image/svg+xml', `<svg xmlns="http://www.w3.org/2000/svg"><title>cats</title><script href="${script}"/></svg>`);
    const worldBefore = world(emulator);
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => blocked.push(m.text()));
    for (const url of [html, svg]) {
      const res = await page.goto(`${server.url}${url}`);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toMatch(/;sandbox$/);
      expect(await page.title()).toBe('cats');
    }
    expect(blocked.filter((t) => /sandboxed and the 'allow-scripts' permission is not set/.test(t)).length).toBe(2);
    // A person clicking a link in it: the navigation comes from an opaque origin.
    await page.goto(`${server.url}${html}`);
    const [nav] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/_emulator/ui/outbox')), page.click('#go')]);
    expect(nav.status()).toBe(403);
    expect(world(emulator)).toBe(worldBefore);
    expect(seen.slice(before).map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual(['GET /_emulator/ui/outbox 403']);
    await page.close();
  });

  test('a DNS name rebound to 127.0.0.1 is refused on the control API and the inspector, and serves /api as Strapi does', async () => {
    const page = await context.newPage();
    const rebind = `http://${rebound}:${server.port}`;
    expect((await page.goto(`${rebind}/_emulator/ui/outbox`))?.status()).toBe(403);
    const api = await page.goto(`${rebind}/api/articles`);
    expect(api?.status()).toBe(200);
    // The rebound page is "same-origin" with the emulator to the browser: only the Host gives it away.
    const answers = await page.evaluate(async () => {
      const outbox = await fetch('/_emulator/outbox');
      const reset = await fetch('/_emulator/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return [outbox.status, (await outbox.text()).includes('code='), reset.status];
    });
    expect(answers).toEqual([403, false, 403]);
    expect(emulator.control.outbox()).toHaveLength(1);
    await page.close();
  });
});

describe('beyond loopback (a control token)', () => {
  test('the inspector opens from the printed ?token= link; hostile pages still fail, even with the cookie in the jar', async () => {
    const emulator = await seeded();
    const seen = spy(emulator);
    // Bound on loopback, told it is exposed: the guard behaves as on 0.0.0.0, no traffic leaves the machine.
    const server = await listen(emulator, { port: 0, host: '127.0.0.1', exposed: true });
    const sameSite = await hostileServer('127.0.0.1');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      expect((await page.goto(`${server.url}/_emulator/ui`))?.status()).toBe(401);
      const opened = await page.goto(`${server.url}/_emulator/ui?token=${server.controlToken}`);
      expect(opened?.status()).toBe(200);
      expect(page.url()).toBe(`${server.url}/_emulator/ui`);
      expect(await page.locator('h1').textContent()).toBe('Overview');
      await page.locator('header nav').getByRole('link', { name: 'Users', exact: true }).click();
      await page.waitForURL('**/_emulator/ui/users');
      expect(await page.locator('tbody tr', { hasText: 'ann@example.com' }).count()).toBe(1);
      expect((await context.cookies()).map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([[`strapi_emulator_control_${server.port}`, true, 'Strict']]);

      // Cookies ignore ports: a page on another port of 127.0.0.1 is same-site, so the browser sends the cookie along.
      const before = world(emulator);
      seen.length = 0;
      const hostile = await context.newPage();
      await hostile.goto(sameSite.url);
      expectNothingRead(await attackWithScripts(hostile, server.url));
      await attackWithForms(hostile, server.url);
      await expect.poll(() => seen.filter((s) => s.site === 'same-site').length).toBeGreaterThan(20);
      expect(seen.filter((s) => s.status !== 403)).toEqual([]);
      expect(world(emulator)).toBe(before);

      // The workbench's writes go through the same guard with the cookie: block ann from her row.
      await page.reload();
      await page.locator('tbody tr', { hasText: 'ann@example.com' }).getByRole('button', { name: 'block', exact: true }).click();
      await expect.poll(async () => page.locator('tbody tr', { hasText: 'ann@example.com' }).locator('.badge.bad').textContent()).toBe('blocked');
      expect(emulator.store.users.first((u) => u.username === 'ann')?.blocked).toBe(true);
      expect(seen.filter((s) => s.method === 'PUT').map((s) => [s.path, s.status, s.site])).toEqual([['/_emulator/users/1', 200, 'same-origin']]);
    } finally {
      await context.close();
      await sameSite.close();
      await server.close();
    }
  });
});
