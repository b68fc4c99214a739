// A project's users-permissions user extension (spec/fixtures/user-extension: job, age, a
// private secretNote, a picture, reviews → review.author (inverse) and badges (owned)), merged
// into the user model. The expectations were recorded on real 5.54.0 and 4.26.2 booted with
// the same schema files, with and without register.allowedFields.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import { createEmulator } from '../index.js';
import { fullAccessToken, password, setup } from '../testing.js';

const root = fileURLToPath(new URL('../../spec/fixtures/user-extension/src', import.meta.url));
const admin = { token: fullAccessToken };
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function world(major: 4 | 5, registerAllowedFields?: string[]) {
  const t = await setup({ strapi: major, contentTypes: [`${root}/api`], extensions: `${root}/extensions`, registerAllowedFields });
  let n = 0;
  const register = (extra: Record<string, unknown> = {}) => {
    n++;
    return t.call('POST', '/api/auth/local/register', { json: { username: `user${n}x`, email: `user${n}x@example.com`, password, ...extra }, ip: `10.1.0.${n}` });
  };
  const badge = (await t.call('POST', '/api/badges', { ...admin, json: { data: { name: 'gold' } } })).body.data;
  const review = (await t.call('POST', '/api/reviews', { ...admin, json: { data: { text: 'nice' } } })).body.data;
  const form = new FormData();
  form.append('files', new Blob([png], { type: 'image/png' }), 'p.png');
  const file = (await t.call('POST', '/api/upload', { ...admin, raw: form })).body[0];
  return { ...t, register, badge, review, file };
}

const keys = (o: object) => Object.keys(o);

describe.each([4, 5] as const)('v%i user extension', (major) => {
  const v5 = major === 5;
  const userKeys = ['id', ...(v5 ? ['documentId'] : []), 'username', 'email', 'provider', 'confirmed', 'blocked', 'job', 'age', 'createdAt', 'updatedAt', ...(v5 ? ['publishedAt'] : [])];

  test('answers carry the public extra fields in the schema order (private ones never)', async () => {
    const t = await world(major);
    const r = await t.register();
    expect(r.status).toBe(200);
    expect(keys(r.body.user)).toEqual(userKeys);
    expect(r.body.user).toMatchObject({ job: null, age: null });
    const me = await t.call('GET', '/api/users/me?populate=*', { token: r.body.jwt });
    // The Authenticated role can read neither roles, reviews nor badges: only the media comes.
    expect(keys(me.body)).toEqual([...userKeys, 'picture']);
  });

  test('register without allowedFields: v5 refuses every extra key, v4 takes the public attributes', async () => {
    const t = await world(major);
    const job = await t.register({ job: 'dev', age: 3 });
    if (v5) expect(job.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Invalid parameters: job, age', details: {} });
    else expect(job.body.user).toMatchObject({ job: 'dev', age: 3 });
    const secret = await t.register({ secretNote: 's', nope: 1 });
    if (v5) expect(secret.body.error.message).toBe('Invalid parameters: secretNote, nope');
    else expect(secret.status).toBe(200);
    if (!v5) {
      const linked = await t.register({ badges: [t.badge.id] });
      const found = await t.call('GET', `/api/users?filters[badges][name][$eq]=gold`, admin);
      expect(found.body.map((u: { id: number }) => u.id)).toEqual([linked.body.user.id]);
      // A private attribute is never taken.
      const u = await t.call('GET', `/api/users/${secret.body.user.id}`, admin);
      expect(u.body).not.toHaveProperty('secretNote');
    }
  });

  test('register with allowedFields: those keys are taken and validated, the others refused (v5) or dropped (v4)', async () => {
    const t = await world(major, ['job', 'age', 'picture', 'badges']);
    const ok = await t.register({ job: 'dev' });
    expect(ok.body.user.job).toBe('dev');
    const long = await t.register({ job: 'x'.repeat(40) });
    expect(long.body.error).toMatchObject({ status: 400, name: 'ValidationError', message: 'job must be at most 30 characters' });
    const age = await t.register({ age: 'abc' });
    expect(age.body.error.message).toBe('age must be a `number` type, but the final value was: `NaN` (cast from the value `"abc"`).');
    const reviews = await t.register({ reviews: [t.review.id], confirmed: false });
    if (v5) expect(reviews.body.error.message).toBe('Invalid parameters: reviews, confirmed');
    else expect(reviews.status).toBe(200);
    const badges = await t.register({ badges: [t.badge.id] });
    expect(badges.status).toBe(200);
    const found = await t.call('GET', `/api/users/${badges.body.user.id}?populate=badges`, admin);
    expect(found.body.badges.map((b: { name: string }) => b.name)).toEqual(['gold']);
  });

  test('POST/PUT /api/users write the extension (relations and media too); errors as ApplicationError', async () => {
    const t = await world(major);
    const created = await t.call('POST', '/api/users', { ...admin, json: { username: 'made1', email: 'made1@example.com', password, role: 1, job: 'ops', age: 7, secretNote: 'hidden', picture: t.file.id, badges: [t.badge.id], reviews: [t.review.id], confirmed: true } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ job: 'ops', age: 7 });
    expect(created.body).not.toHaveProperty('secretNote');
    expect(keys(created.body)).toEqual([...userKeys, 'role']);
    for (const [body, message] of [
      [{ age: 'abc' }, 'age must be a `number` type, but the final value was: `NaN` (cast from the value `"abc"`).'],
      [{ job: 'x'.repeat(40) }, 'job must be at most 30 characters'],
      [{ badges: [9999] }, '1 relation(s) of type api::badge.badge associated with this entity do not exist'],
    ] as const) {
      const r = await t.call('POST', '/api/users', { ...admin, json: { username: 'made2', email: 'made2@example.com', password, role: 1, ...body } });
      expect(r.body.error).toEqual({ status: 400, name: 'ApplicationError', message, details: {} });
    }
    const id = created.body.id;
    const updated = await t.call('PUT', `/api/users/${id}`, { ...admin, json: { job: 'lead', badges: [], age: 8 } });
    expect(updated.body).toMatchObject({ job: 'lead', age: 8 });
    await t.call('PUT', `/api/users/${id}`, { ...admin, json: { badges: { connect: [t.badge.id] } } });
    const full = await t.call('GET', `/api/users/${id}?populate[0]=badges&populate[1]=reviews&populate[2]=picture`, admin);
    expect(keys(full.body)).toEqual([...userKeys, 'badges', 'reviews', 'picture']);
    expect(full.body.badges).toEqual([expect.objectContaining({ id: t.badge.id, name: 'gold' })]);
    expect(full.body.reviews).toEqual([expect.objectContaining({ id: t.review.id, text: 'nice' })]);
    expect(full.body.picture).toMatchObject({ id: t.file.id, mime: 'image/png' });
    // Plain entities on both majors: no v4 {data: {id, attributes}} envelopes.
    expect(full.body.badges[0]).not.toHaveProperty('attributes');
    const star = await t.call('GET', `/api/users/${id}?populate=*`, admin);
    expect(keys(star.body)).toEqual([...userKeys, 'role', 'picture', 'reviews', 'badges']);
  });

  test('filters, sort and fields on the extension; private fields refused', async () => {
    const t = await world(major);
    const made = await t.call('POST', '/api/users', { ...admin, json: { username: 'made1', email: 'made1@example.com', password, role: 1, job: 'lead', age: 8, reviews: [t.review.id], badges: [t.badge.id] } });
    await t.register();
    const ids = (r: { body: Array<{ id: number }> }) => r.body.map((u) => u.id);
    expect(ids(await t.call('GET', '/api/users?filters[job][$eq]=lead', admin))).toEqual([made.body.id]);
    expect(ids(await t.call('GET', '/api/users?filters[reviews][text][$eq]=nice', admin))).toEqual([made.body.id]);
    expect(ids(await t.call('GET', '/api/users?filters[badges][name][$eq]=gold', admin))).toEqual([made.body.id]);
    const secret = await t.call('GET', '/api/users?filters[secretNote][$eq]=x', admin);
    expect(secret.status).toBe(400);
    expect(secret.body.error.message).toBe(v5 ? 'Invalid key secretNote' : 'Invalid parameter secretNote');
    const fields = await t.call('GET', '/api/users?fields[0]=job', admin);
    expect(fields.body[0]).toEqual({ id: made.body.id, ...(v5 ? { documentId: made.body.documentId } : {}), job: 'lead' });
    const sorted = await t.call('GET', '/api/users?sort=age:desc&fields[0]=age', admin);
    expect(sorted.body.map((u: { age: number | null }) => u.age)).toEqual([8, null]);
  });

  test('relations to the user: the inverse side, populated from a document and nested', async () => {
    const t = await world(major);
    const r = await t.register();
    const uid = r.body.user.id;
    const reviewKey = v5 ? t.review.documentId : t.review.id;
    await t.call('PUT', `/api/reviews/${reviewKey}`, { ...admin, json: { data: { author: uid } } });
    const mine = await t.call('GET', `/api/users/${uid}?populate=reviews`, admin);
    expect(mine.body.reviews.map((x: { id: number }) => x.id)).toEqual([t.review.id]);
    const nested = await t.call('GET', '/api/reviews?populate[author][populate][0]=badges', admin);
    const author = v5 ? nested.body.data[0].author : nested.body.data[0].attributes.author.data.attributes;
    expect(author).toMatchObject({ job: null, age: null, badges: v5 ? [] : { data: [] } });
    // A type's inverse side of a relation the user owns (badge.holders ← user.badges): read and written.
    const badgeKey = v5 ? t.badge.documentId : t.badge.id;
    await t.call('PUT', `/api/badges/${badgeKey}`, { ...admin, json: { data: { holders: [uid] } } });
    const holders = await t.call('GET', '/api/badges?populate=holders', admin);
    const list = v5 ? holders.body.data[0].holders : holders.body.data[0].attributes.holders.data.map((h: { id: number; attributes: object }) => ({ id: h.id, ...h.attributes }));
    expect(list).toEqual([expect.objectContaining({ id: uid, job: null })]);
    const badges = await t.call('GET', `/api/users/${uid}?populate=badges`, admin);
    expect(badges.body.badges.map((b: { name: string }) => b.name)).toEqual(['gold']);
    const filtered = await t.call('GET', `/api/badges?filters[holders][username][$eq]=${r.body.user.username}`, admin);
    expect(filtered.body.data).toHaveLength(1);
    // Without review.find the link is left out, as real Strapi's output sanitizer does.
    const me = await t.call('GET', '/api/users/me?populate=reviews', { token: r.body.jwt });
    expect(me.body).not.toHaveProperty('reviews');
  });
});

test("what an extension adds to the role or the file is named once at start (not emulated)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'upext-role-'));
  const file = join(dir, 'users-permissions', 'content-types', 'role', 'schema.json');
  mkdirSync(join(file, '..'), { recursive: true });
  const own = { name: { type: 'string' }, description: { type: 'string' }, type: { type: 'string' }, permissions: { type: 'relation', relation: 'oneToMany', target: 'plugin::users-permissions.permission', mappedBy: 'role' }, users: { type: 'relation', relation: 'oneToMany', target: 'plugin::users-permissions.user', mappedBy: 'role' } };
  writeFileSync(file, JSON.stringify({ attributes: { ...own, level: { type: 'integer' } } }));
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    createEmulator({ extensions: dir });
    expect(warn.mock.calls).toEqual([[`[strapi-emulator] ${file}: not emulated: the attributes level that it adds to plugin::users-permissions.role`]]);
  } finally {
    warn.mockRestore();
  }
});

describe.each([4, 5] as const)('v%i user extension with required and unique attributes', (major) => {
  // The fixture with `job` required and a unique `nick`, as recorded on real 5.54.0 and 4.26.2.
  async function strict(registerAllowedFields?: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'upext-strict-'));
    const schema = JSON.parse(readFileSync(join(root, 'extensions/users-permissions/content-types/user/schema.json'), 'utf8'));
    schema.attributes.job.required = true;
    schema.attributes.nick = { type: 'string', unique: true };
    mkdirSync(join(dir, 'users-permissions/content-types/user'), { recursive: true });
    writeFileSync(join(dir, 'users-permissions/content-types/user/schema.json'), JSON.stringify(schema));
    return setup({ strapi: major, contentTypes: [`${root}/api`], extensions: dir, registerAllowedFields });
  }

  test('register and POST/PUT /api/users answer the entity validator, both attribute sets together', async () => {
    const t = await strict(['job', 'nick']);
    const reg = (username: string, extra: Record<string, unknown>) => t.call('POST', '/api/auth/local/register', { json: { username, email: `${username}@example.com`, password, ...extra }, ip: `10.2.0.${username.length}` });
    const noJob = await reg('plain', {});
    expect(noJob.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'job must be defined.', details: { errors: [{ path: ['job'], message: 'job must be defined.', name: 'ValidationError' }] } });
    expect((await reg('first', { job: 'dev', nick: 'n1' })).status).toBe(200);
    const dup = await reg('second', { job: 'dev', nick: 'n1' });
    expect(dup.body.error.details.errors).toEqual([{ path: ['nick'], message: 'This attribute must be unique', name: 'ValidationError', ...(major === 5 ? { value: 'n1' } : {}) }]);
    const users = (body: Record<string, unknown>) => t.call('POST', '/api/users', { ...admin, json: { password, role: 1, ...body } });
    expect((await users({ username: 'made1', email: 'made1@example.com' })).body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'job must be defined.', details: {} });
    expect((await users({ username: 'ab', email: 'made4@example.com', job: 5 })).body.error.message).toBe('2 errors occurred');
    const made = await users({ username: 'made2', email: 'made2@example.com', job: 'x', nick: 'n2' });
    expect((await t.call('PUT', `/api/users/${made.body.id}`, { ...admin, json: { nick: 'n2' } })).status).toBe(200);
    const cleared = await t.call('PUT', `/api/users/${made.body.id}`, { ...admin, json: { job: null } });
    expect(cleared.body.error.message).toBe('job must be a `string` type, but the final value was: `null`.');
  });
});

test('extra user fields survive snapshot and restore', async () => {
  const t = await setup({ strapi: 5, contentTypes: [`${root}/api`], extensions: `${root}/extensions` });
  const made = await t.call('POST', '/api/users', { ...admin, json: { username: 'made1', email: 'made1@example.com', password, role: 1, job: 'ops' } });
  const snapshot = t.emulator.control.snapshot();
  await t.emulator.control.reset();
  expect((await t.call('GET', `/api/users/${made.body.id}`, admin)).status).toBe(204);
  await t.emulator.control.restore(snapshot);
  expect((await t.call('GET', `/api/users/${made.body.id}`, admin)).body.job).toBe('ops');
  // The snapshot check knows the extension's attributes: a wrong type is refused with its path.
  const bad = structuredClone(snapshot) as { users: { rows: Array<Record<string, unknown>> } };
  bad.users.rows[0].age = 'old';
  await expect(t.emulator.control.restore(bad as never)).rejects.toThrow(/users\.rows\[0\]\.age/);
});

test.each([4, 5] as const)('v%i the control API seeds users with extension attributes (validated and linked)', async (major) => {
  const t = await setup({ strapi: major, contentTypes: [`${root}/api`], extensions: `${root}/extensions` });
  const badge = (await t.call('POST', '/api/badges', { ...admin, json: { data: { name: 'gold' } } })).body.data;
  const seeded = await t.call('POST', '/_emulator/users', { json: { username: 'seeded', email: 'seeded@example.com', password, job: 'ops', badges: [badge.id], secretNote: 'x' } });
  expect(seeded.status).toBe(201);
  expect(seeded.body).toMatchObject({ username: 'seeded', job: 'ops', age: null });
  expect(seeded.body).not.toHaveProperty('secretNote');
  const read = await t.call('GET', `/api/users/${seeded.body.id}?populate=badges`, admin);
  expect(read.body.badges.map((b: { id: number }) => b.id)).toEqual([badge.id]);
  const bad = await t.call('POST', '/_emulator/users', { json: { username: 'other', email: 'other@example.com', password, job: 'x'.repeat(40) } });
  expect(bad.body.error.message).toBe('job must be at most 30 characters');
});

test.each([4, 5] as const)('v%i upload with ref=plugin::users-permissions.user links a user extension media', async (major) => {
  const t = await setup({ strapi: major, contentTypes: [`${root}/api`], extensions: `${root}/extensions` });
  const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'upl1', email: 'upl1@example.com', password } });
  const uid = r.body.user.id;
  const upload = async (fields: Record<string, string>) => {
    const form = new FormData();
    form.append('files', new Blob([png], { type: 'image/png' }), 'p.png');
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const res = await t.call('POST', '/api/upload', { ...admin, raw: form });
    expect(res.status).toBe(major === 5 ? 201 : 200);
    return res.body[0].id as number;
  };
  const first = await upload({ ref: 'plugin::users-permissions.user', refId: String(uid), field: 'picture' });
  const second = await upload({ ref: 'plugin::users-permissions.user', refId: String(uid), field: 'picture' });
  await upload({ ref: 'plugin::users-permissions.user', refId: '9999', field: 'picture' });
  const user = await t.call('GET', `/api/users/${uid}?populate=picture`, admin);
  expect(user.body.picture.id).toBe(second);
  // Linking through the upload plugin leaves the user's updatedAt as it was.
  expect(user.body.updatedAt).toBe(r.body.user.updatedAt);
  const files = await t.call('GET', '/api/upload/files?populate=related', admin);
  const related = Object.fromEntries(files.body.map((f: { id: number; related?: Array<{ __type: string; id: number }> }) => [f.id, f.related]));
  expect(related[second]).toEqual([expect.objectContaining({ __type: 'plugin::users-permissions.user', id: uid, username: 'upl1', job: null })]);
  // v4 leaves an empty `related` out; v5 answers [].
  expect(related[first]).toEqual(major === 5 ? [] : undefined);
});

test('a project given as `project` brings its src/extensions along', async () => {
  const t = await setup({ strapi: 5, project: fileURLToPath(new URL('../../spec/fixtures/user-extension', import.meta.url)), registerAllowedFields: ['job'] });
  const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'proj1', email: 'proj1@example.com', password, job: 'dev' } });
  expect(r.body.user).toMatchObject({ username: 'proj1', job: 'dev', age: null });
  // The project's types replace the default article.
  expect((await t.call('GET', '/api/articles', { ...admin, validate: false })).status).toBe(404);
});
