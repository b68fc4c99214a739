// A populated emulator for the fuzzer and the leak walk: users (one blocked, one with a
// pending reset code), a custom role, API tokens of every type, documents of the shop fixture
// with relations, components and private attributes, and uploaded files. Everything goes in
// through the seeder or the HTTP API, as a user of the emulator would put it there.
import { fileURLToPath } from 'node:url';
import { defaultContentTypesDir } from '../../spec/build.js';
import { png } from '../../contracts/fixtures.js';
import { SpecValidator } from '../../contracts/validate.js';
import { seederFor } from '../../emulator/control/seeding.js';
import { type Emulator, type EmulatorOptions, createEmulator } from '../../emulator/index.js';
import type { World } from './requests.js';

export const shopTypes = fileURLToPath(new URL('../../emulator/documents/fixtures/shop/src', import.meta.url));
// The world has the default article beside the shop: a folder given replaces the default, so it is named.
export const worldTypes = [defaultContentTypesDir, shopTypes];
export const fullAccessToken = 'fuzz-full-access-token';
export const readOnlyToken = 'fuzz-read-only-token';
export const customToken = 'fuzz-custom-token';
export const password = 'Passw0rd!';


export type Seeded = World & {
  emulator: Emulator;
  validator: SpecValidator;
  /** Sends a request as a client at `ip` would (no socket: app.request with an env). */
  send(path: string, init: RequestInit, ip?: string): Promise<Response>;
};

export async function seedWorld(options: EmulatorOptions = {}): Promise<Seeded> {
  const emulator = createEmulator({
    bcryptCost: 4,
    jwtSecret: 'fuzz-jwt-secret',
    // Deliberate 500s (what real Strapi crashes on) are expected here: the fuzzer checks their header.
    onStrapiCrash: () => undefined,
    contentTypes: worldTypes,
    apiTokens: [
      { accessKey: fullAccessToken, type: 'full-access' },
      { accessKey: readOnlyToken, type: 'read-only' },
      { accessKey: customToken, type: 'custom', permissions: ['api::article.article.find', 'api::product.product.find', 'plugin::users-permissions.user.find', 'plugin::upload.content-api.find'] },
    ],
    ...options,
  });
  await emulator.ready;
  const validator = new SpecValidator(emulator.spec);
  const send = (path: string, init: RequestInit, ip = '127.0.0.1') => emulator.app.request(`http://127.0.0.1:1337${path}`, init, { incoming: { socket: { remoteAddress: ip } } }) as Promise<Response>;
  const major = emulator.major;
  const seed = seederFor({ ...emulator, major });

  const editor = await seed.role({ name: 'Editor', description: 'Writes products', permissions: ['api::product.product.find', 'api::product.product.create', 'api::product.product.update', 'plugin::users-permissions.user.me', 'plugin::upload.content-api.upload'] });
  const ann = await seed.user({ username: 'ann', email: 'ann@example.com', password });
  const bob = await seed.user({ username: 'bob', email: 'bob@example.com', password, role: editor.id as number });
  const carl = await seed.user({ username: 'carl', email: 'carl@example.com', password, blocked: true });
  const dora = await seed.user({ username: 'dora', email: 'dora@example.com', password, confirmed: false });
  // A pending reset code for ann (resetPasswordToken in the store).
  const forgot = await send('/api/auth/forgot-password', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ann@example.com' }) }, '127.0.0.2');
  if (forgot.status !== 200) throw new Error(`forgot-password: ${forgot.status} ${await forgot.text()}`);

  const files: string[] = [];
  for (const name of ['one.png', 'two.png']) {
    const form = new FormData();
    form.append('files', new File([new Uint8Array(png(2, 2))], name, { type: 'image/png' }));
    form.append('fileInfo', JSON.stringify({ alternativeText: `alt of ${name}`, caption: 'a caption' }));
    const r = await send('/api/upload', { method: 'POST', headers: { authorization: `Bearer ${fullAccessToken}` }, body: form });
    if (r.status >= 300) throw new Error(`upload: ${r.status} ${await r.text()}`);
    files.push(String(((await r.json()) as Array<{ id: number }>)[0].id));
  }
  const ref = (d: Record<string, unknown>) => (major === 5 ? (d.documentId as string) : (d.id as number));
  const tagA = await seed.document('api::tag.tag', { name: 'red', rank: 1 });
  const tagB = await seed.document('api::tag.tag', { name: 'blue', rank: 2 });
  const product = await seed.document('api::product.product', {
    name: 'Widget',
    sku: 'ABC-1',
    secret: 'product-secret-pass',
    internalNote: 'internal-note-value',
    stock: 3,
    tags: [ref(tagA), ref(tagB)],
    owner: ann.id,
    image: Number(files[0]),
    gallery: files.map(Number),
    pricing: { amount: 9.5, currency: 'EUR' },
    features: [{ label: 'fast', icon: Number(files[1]) }],
    blocks: [{ __component: 'blocks.banner', title: 'Hello' }, { __component: 'blocks.text', body: 'text' }],
  });
  const child = await seed.document('api::product.product', { name: 'Gadget', parent: ref(product), owner: bob.id }, { status: 'draft' });
  await seed.document('api::setting.setting', { siteName: 'Shop', featured: [ref(product)], logo: Number(files[0]), footer: { body: 'footer' } });
  const article = await seed.document('api::article.article', { title: 'Hello', body: 'text', author: ann.id, cover: Number(files[1]) });
  const draft = await seed.document('api::article.article', { title: 'Draft' }, { status: 'draft' });
  // The localized types of the default world (i18n).
  const post = await seed.document('api::post.post', { title: 'Hallo', body: 'text', sku: 'P-1' });
  await seed.document('api::greeting.greeting', { text: 'Hi', theme: 'dark' });

  const jwts = await Promise.all([ann, bob, carl, dora].map((u) => emulator.services.jwt.issue({ id: u.id as number })));
  const idOf = (d: Record<string, unknown>) => String(major === 5 ? d.documentId : d.id);
  const documentIds = [product, child, article, draft, post, tagA, tagB].map((d) => String(d.documentId ?? d.id));
  const roles = emulator.store.roles.all().map((r) => String(r.id));
  return {
    emulator,
    validator,
    send,
    jwts,
    apiTokens: [fullAccessToken, readOnlyToken, customToken],
    uids: ['api::product.product', 'api::tag.tag', 'api::article.article', 'api::post.post', 'api::setting.setting', 'plugin::users-permissions.user', 'api::nope.nope'],
    ids: {
      '/api/users/{id}': [ann, bob, carl, dora].map((u) => String(u.id)),
      '/api/users-permissions/roles/{id}': roles,
      '/api/upload/files/{id}': files,
      '/api/articles/{id}': [article, draft].map(idOf),
      '/api/products/{id}': [product, child].map(idOf),
      '/api/posts/{id}': [post].map(idOf),
      '/api/posts/{id}/localizations': [post].map(idOf),
      '/api/tags/{id}': [tagA, tagB].map(idOf),
      '/_emulator/ui/documents/{uid}/{documentId}': documentIds,
      '/_emulator/webhooks/{id}': ['1'],
      '/_emulator/users/{id}': [ann, bob, carl, dora].map((u) => String(u.id)),
    },
  };
}
