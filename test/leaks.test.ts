// The leak walk: with users holding password hashes, a pending reset code and an email
// confirmation token, documents with private and password attributes (at the top level, in
// components and behind relations) and uploaded files, every GET route of the spec and the
// answers of the write routes are read as the Public role, as a logged-in user and with a
// full-access API token, with the queries that try to reach a secret (populate=*, nested and
// deep populates, fields/filters/sort on private keys). No private key may appear at any depth,
// and no secret value (hash, token, private text) anywhere in any answer.
// Every GET action is granted to Public and Authenticated, the worst case an app can configure.
import { adminOf } from '../emulator/admin/state.js';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { png } from '../contracts/fixtures.js';
import { loadStrapiSchemas } from '../spec/content-types.js';
import { grant } from '../emulator/seed.js';
import { fullAccessToken, password, seedWorld, shopTypes, worldTypes } from './fuzz/world.js';
import { seederFor } from '../emulator/control/seeding.js';

const privateTypes = fileURLToPath(new URL('./fixtures/private/src', import.meta.url));

/** Keys that must never be answered: the user's secrets, the file's folderPath, and every private or password attribute of the schemas. */
function privateKeys(): Set<string> {
  const keys = new Set(['password', 'resetPasswordToken', 'confirmationToken', 'folderPath', 'encryptedKey']);
  const { contentTypes, components } = loadStrapiSchemas([shopTypes, privateTypes]);
  for (const model of [...contentTypes, ...components]) for (const [name, a] of Object.entries(model.attributes)) if (a.private || a.type === 'password') keys.add(name);
  return keys;
}

/** Private relations: their key must not be answered, but what they hold are ids of public entries. */
const privateLinks = new Set(['hiddenLink']);

/** The string values stored under private keys anywhere in the world (hashes, tokens, private text). */
function secretValues(snapshot: unknown, keys: Set<string>, out = new Set<string>()): Set<string> {
  const walk = (v: unknown, key?: string) => {
    if (typeof v === 'string') {
      if (key !== undefined && keys.has(key) && !privateLinks.has(key) && v.length >= 6) out.add(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(snapshot);
  return out;
}

/** Private keys found at any depth of a JSON answer, with their paths. */
function leakedKeys(body: unknown, keys: Set<string>, path = '$', out: string[] = []): string[] {
  if (Array.isArray(body)) body.forEach((x, i) => leakedKeys(x, keys, `${path}[${i}]`, out));
  else if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) {
      if (keys.has(k)) out.push(`${path}.${k}`);
      leakedKeys(v, keys, `${path}.${k}`, out);
    }
  }
  return out;
}

/** Queries that try to reach a secret; the ones that do not apply to a route just get a 400. */
const probes = [
  '',
  'populate=*',
  'populate=deep',
  'populate=deep,10',
  'fields=*',
  'fields[0]=password',
  'fields[0]=resetPasswordToken',
  'fields[0]=internalNote',
  'fields[0]=internal',
  'fields[0]=folderPath',
  'filters[password][$notNull]=true',
  'filters[password][$startsWith]=$2',
  'filters[resetPasswordToken][$notNull]=true',
  'filters[confirmationToken][$notNull]=true',
  'filters[internalNote][$notNull]=true',
  'filters[$or][0][password][$null]=false',
  'filters[owner][password][$notNull]=true',
  'sort=password',
  'sort=internalNote:desc',
  'sort=owner.password',
  'populate[role][populate]=*',
  'populate[role][populate][users][populate]=*',
  'populate[owner]=*',
  'populate[owner][populate]=*',
  'populate[owner][fields][0]=password',
  'populate[owner][populate][role][populate][users][populate][role]=*',
  'populate[author][populate]=*',
  'populate[tags][populate][products][populate][owner][populate]=*',
  'populate[variants][populate][owner][populate]=*',
  'populate[parent][populate]=*',
  'populate[features][populate]=*',
  'populate[blocks][populate]=*',
  'populate[featured][populate][owner]=*',
  'populate[audit][populate]=*',
  'populate[audit][populate][reviewer][populate]=*',
  'populate[history][populate]=*',
  'populate[hiddenLink]=*',
  'populate[product][populate][owner][populate]=*',
  'populate[related]=*',
  'populate[0]=owner&populate[1]=audit&populate[2]=product',
];

describe.each([4, 5] as const)('Strapi v%i: no secret in any answer', (major) => {
  test('every GET route × caller × probe, and the answers of the writes', { timeout: 180_000 }, async () => {
    const world = await seedWorld({ strapi: major, contentTypes: [...worldTypes, privateTypes], emailConfirmation: true });
    const { emulator, validator, send } = world;
    const { store } = emulator;
    const seed = seederFor({ ...emulator, major });
    const getRoutes = validator.routes.filter((r) => r.method === 'GET' && !r.operation['x-emulator-control']);
    for (const type of ['public', 'authenticated']) {
      const role = store.roles.first((r) => r.type === type)!;
      await grant(store, role.id, [...new Set(getRoutes.map((r) => r.operation['x-strapi-action']).filter((a): a is string => !!a))]);
    }
    const ann = world.ids['/api/users/{id}'][0];
    const product = world.ids['/api/products/{id}'][0];
    const note = await seed.document('api::note.note', {
      title: 'A note',
      internal: 'note-internal-value',
      pin: 'note-pin-value',
      owner: Number(ann),
      product: major === 5 ? product : Number(product),
      hiddenLink: major === 5 ? world.ids['/api/tags/{id}'][0] : Number(world.ids['/api/tags/{id}'][0]),
      audit: { by: 'ann', ip: '10.9.8.7-audit-ip', reviewer: Number(ann) },
      history: [{ by: 'bob', ip: '10.9.8.6-history-ip' }],
      attachments: world.ids['/api/upload/files/{id}'].map(Number),
    });
    const ids: Record<string, string[]> = {
      ...world.ids,
      '/api/notes/{id}': [String(major === 5 ? note.documentId : note.id)],
      // users-permissions' OAuth routes: off (github, the default), unknown, and the local one.
      '/api/connect/{provider}': ['github', 'nope', 'email'],
      '/api/connect/{provider}/callback': ['github'],
      '/api/auth/{provider}/callback': ['github', 'local'],
    };
    // A user with a pending email confirmation (confirmationToken in the store).
    const registered = await send('/api/auth/local/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'eve', email: 'eve@example.com', password }) }, '127.0.0.9');
    expect(registered.status).toBe(200);
    expect(store.users.first((u) => u.username === 'eve')?.confirmationToken).toBeTruthy();
    expect(store.users.first((u) => u.username === 'ann')?.resetPasswordToken).toBeTruthy();
    const jwt = world.jwts[0];
    // The admin API: an admin, an invited one (registration token), a webhook; walked as the admin too.
    const first = await send('/admin/register-admin', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'boss@example.com', password: 'Boss-Passw0rd', firstname: 'Bo' }) }, '127.0.0.11');
    expect(first.status).toBe(200);
    const adminJwt = ((await first.json()) as { data: { token: string } }).data.token;
    const asAdminJwt = { authorization: `Bearer ${adminJwt}`, 'content-type': 'application/json' };
    const invited = await send('/admin/users', { method: 'POST', headers: asAdminJwt, body: JSON.stringify({ email: 'ed@example.com', firstname: 'Ed', roles: [2] }) });
    const hook = await send('/admin/webhooks', { method: 'POST', headers: asAdminJwt, body: JSON.stringify({ name: 'h', url: 'http://localhost:9999/h', headers: { authorization: 'hook-secret' }, events: ['entry.create'] }) });
    ids['/admin/users/{id}'] = ['1', String(((await invited.json()) as { data: { id: number } }).data.id)];
    ids['/admin/roles/{id}'] = ['1', '2'];
    ids['/admin/api-tokens/{id}'] = store.apiTokens.all().map((t) => String(t.id));
    ids['/admin/webhooks/{id}'] = [String(((await hook.json()) as { data: { id: string | number } }).data.id)];
    const callers: Record<string, Record<string, string>> = { public: {}, user: { authorization: `Bearer ${jwt}` }, fullAccess: { authorization: `Bearer ${fullAccessToken}` }, admin: { authorization: `Bearer ${adminJwt}` } };

    const keys = privateKeys();
    const secrets = secretValues(store.snapshot(), keys);
    // What the store keeps of API token keys (their hashes) never leaves, nor an invited admin's registration token outside its creation.
    for (const t of store.apiTokens.all()) secrets.add(t.accessKey);
    for (const u of adminOf(store).users.all()) if (u.registrationToken) secrets.add(u.registrationToken);
    const answers: Array<{ request: string; status: number; text: string; write?: boolean }> = [];
    const record = async (request: string, res: Response, write = true) => answers.push({ request, status: res.status, text: await res.text(), write });
    await record('POST /api/auth/local/register (eve)', registered);

    // The GET walk.
    const walked = new Set<string>();
    for (const route of getRoutes) {
      const names = [...route.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const paths = names.length === 0 ? [route.template] : (ids[route.template] ?? []).map((id) => route.template.replace(`{${names[0]}}`, encodeURIComponent(id)));
      expect(paths.length, `${route.template}: no id to walk it with`).toBeGreaterThan(0);
      for (const path of paths) {
        for (const [caller, headers] of Object.entries(callers)) {
          for (const probe of probes) {
            const url = probe ? `${path}?${probe}` : path;
            await record(`GET ${url} as ${caller}`, await send(url, { headers }), false);
          }
        }
      }
      walked.add(route.operation.operationId);
    }

    // The write routes' answers (populated where they take a populate).
    const asAdmin = { authorization: `Bearer ${fullAccessToken}`, 'content-type': 'application/json' };
    const write = async (method: string, path: string, body: unknown, headers: Record<string, string> = asAdmin, ip = '127.0.0.10') => {
      await record(`${method} ${path}`, await send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, ip));
    };
    const productBody = { data: { name: 'Leaky', internalNote: 'created-internal-note', secret: 'created-secret-pass', owner: Number(ann), features: [{ label: 'x' }] } };
    await write('POST', '/api/products?populate=*', productBody);
    await write('PUT', `/api/products/${ids['/api/products/{id}'][0]}?populate[owner][populate]=*`, { data: { internalNote: 'updated-internal-note', secret: 'updated-secret-pass' } });
    await write('POST', '/api/notes?populate=*', { data: { title: 'n2', internal: 'created-note-internal', pin: 'created-note-pin', audit: { ip: 'created-audit-ip', reviewer: Number(ann) } } });
    await write('PUT', `/api/notes/${ids['/api/notes/{id}'][0]}?populate[audit][populate]=*`, { data: { internal: 'updated-note-internal', audit: { ip: 'updated-audit-ip' } } });
    await write('PUT', '/api/setting?populate=*', { data: { siteName: 'Shop 2' } });
    await write('POST', '/api/users', { username: 'fay', email: 'fay@example.com', password, role: store.roles.first((r) => r.type === 'authenticated')!.id });
    await write('PUT', `/api/users/${ann}`, { username: 'ann2', password: 'N3wPassw0rd!' });
    await write('POST', '/api/auth/local', { identifier: 'bob', password }, { 'content-type': 'application/json' }, '127.0.0.11');
    await write('POST', '/api/auth/send-email-confirmation', { email: 'eve@example.com' }, { 'content-type': 'application/json' }, '127.0.0.12');
    await write('POST', '/api/auth/forgot-password', { email: 'bob@example.com' }, { 'content-type': 'application/json' }, '127.0.0.13');
    const code = store.users.first((u) => u.username === 'bob')!.resetPasswordToken!;
    await write('POST', '/api/auth/change-password', { currentPassword: 'N3wPassw0rd!', password: 'Chang3d!', passwordConfirmation: 'Chang3d!' }, { 'content-type': 'application/json', authorization: `Bearer ${jwt}` }, '127.0.0.14');
    // Secrets spent by the answers below are still secrets: take them now.
    secretValues(store.snapshot(), keys, secrets);
    const confirmation = store.users.first((u) => u.username === 'eve')!.confirmationToken!;
    await write('POST', '/api/auth/reset-password', { code, password: 'Res3tPass!', passwordConfirmation: 'Res3tPass!' }, { 'content-type': 'application/json' }, '127.0.0.15');
    await record('GET /api/auth/email-confirmation', await send(`/api/auth/email-confirmation?confirmation=${encodeURIComponent(confirmation)}`, {}));
    const form = new FormData();
    form.append('files', new File([new Uint8Array(png(2, 2))], 'leak.png', { type: 'image/png' }));
    await record('POST /api/upload', await send('/api/upload', { method: 'POST', headers: { authorization: `Bearer ${fullAccessToken}` }, body: form }));
    await write('DELETE', `/api/notes/${ids['/api/notes/{id}'][0]}`, undefined);
    await write('DELETE', `/api/products/${ids['/api/products/{id}'][1]}`, undefined);
    await write('DELETE', `/api/users/${world.ids['/api/users/{id}'][3]}`, undefined);
    await write('DELETE', `/api/upload/files/${world.ids['/api/upload/files/{id}'][1]}`, undefined);
    secretValues(store.snapshot(), keys, secrets);

    // The writes all went through (their answers carry the entries, not errors).
    expect(answers.filter((a) => a.write && a.status >= 400).map((a) => `${a.request} → ${a.status} ${a.text.slice(0, 200)}`)).toEqual([]);
    // Every walked route was answered with data at least once (the walk reached real content).
    expect(getRoutes.map((r) => r.operation.operationId).filter((id) => !walked.has(id))).toEqual([]);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(getRoutes.length * 3);
    for (const s of ['note-internal-value', '10.9.8.7-audit-ip', 'internal-note-value', 'created-internal-note', 'updated-audit-ip']) expect(secrets.has(s), `secret ${s} is in the store`).toBe(true);
    expect([...secrets].filter((s) => s.startsWith('$2')).length, 'password hashes').toBeGreaterThanOrEqual(6);

    const leaks: string[] = [];
    for (const a of answers) {
      let body: unknown;
      try {
        body = JSON.parse(a.text);
      } catch {
        body = undefined;
      }
      for (const path of leakedKeys(body, keys)) leaks.push(`${a.request} → ${a.status}: key ${path}`);
      for (const s of [...secrets, password]) if (a.text.includes(s)) leaks.push(`${a.request} → ${a.status}: the secret ${s.slice(0, 12)}…`);
    }
    expect(leaks).toEqual([]);
    console.log(`v${major} leak walk: ${getRoutes.length} GET routes, ${answers.length} answers (${answers.filter((a) => a.status === 200).length} × 200), ${secrets.size} secrets checked`);
  });
});
