// The requests `diff` sends, generated from the content types: per collection type create,
// find (scoped to the run's own entries), findOne, populate, fields, filters, sort, pagination,
// relations, localizations, update, delete and their errors; per single type the same when it
// is empty; then users-permissions and upload basics. Everything created is named with the
// run's tag and removed at the end (Cleanup), also when a step fails or the run is stopped.
import { isToMany } from '../spec/content-types.js';
import type { ContentType } from '../spec/content-types.js';
import { png } from '../contracts/fixtures.js';
import type { WireRequest } from './mapping.js';
import type { Answer } from './replay.js';
import { type Schemas, cannotCreate, sampleData, scopeField } from './sample.js';

/** Sends one request to both sides (`send`), or to the instance alone (`peek`: a look that is not compared). */
export type Channel = { send(req: WireRequest): Promise<Answer>; peek(req: WireRequest): Promise<Answer> };

export type PlanOptions = { major: 4 | 5; token: string; tag: string; readOnly?: boolean; uploads?: boolean; locales?: string[]; log?: (line: string) => void };

/** What the run created, removed in reverse order; a removal that answers 2xx or 404 is done. */
export class Cleanup {
  private items: Array<{ key: string; req: WireRequest }> = [];
  add(key: string, req: WireRequest): void {
    if (!this.items.some((i) => i.key === key)) this.items.push({ key, req });
  }
  done(key: string): void {
    this.items = this.items.filter((i) => i.key !== key);
  }
  get pending(): string[] {
    return this.items.map((i) => i.key);
  }
  /** Runs every removal (through `send`); returns what could not be removed. */
  async run(send: (req: WireRequest) => Promise<Answer>): Promise<string[]> {
    const failed: string[] = [];
    for (const item of [...this.items].reverse()) {
      try {
        const a = await send(item.req);
        if (a.status < 300 || a.status === 404) this.done(item.key);
        else failed.push(`${item.key} (${item.req.method} ${item.req.path} answered ${a.status})`);
      } catch (error) {
        failed.push(`${item.key} (${(error as Error).message})`);
      }
    }
    return failed;
  }
}

type Json = any;
const json = (a: Answer): Json => (a.body && 'json' in a.body ? a.body.json : undefined);
const q = (params: Record<string, string | number | boolean>) =>
  Object.entries(params)
    .map(([k, v]) => `${k.replace(/[^[\]$\w.-]/g, encodeURIComponent)}=${encodeURIComponent(String(v))}`)
    .join('&');

/** Runs the plan; the caller runs `cleanup` afterwards (in a finally). */
export async function runPlan(ch: Channel, schemas: Schemas, opts: PlanOptions, cleanup: Cleanup): Promise<void> {
  const { major, tag } = opts;
  const v5 = major === 5;
  const log = opts.log ?? (() => {});
  const bearer = { authorization: `Bearer ${opts.token}` };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = bearer): Promise<Answer> =>
    ch.send({ method, path, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  /** Entry data (flat on 5, `{id, attributes}` on 4). */
  const entry = (a: Answer): Json => json(a)?.data;
  const ref = (e: Json): string | number => (v5 ? e.documentId : e.id);
  const fixtures = new Map<string, Json[]>();
  const second = opts.locales?.[1];

  /** POST that registers what it created for removal, whatever it was meant to do. */
  const create = async (ct: ContentType, data: unknown, query = ''): Promise<Json | undefined> => {
    const plural = ct.info.pluralName;
    const a = await call('POST', `/api/${plural}${query}`, data === undefined ? {} : { data });
    const e = entry(a);
    if (a.status < 300 && e) cleanup.add(`${ct.uid} ${ref(e)}`, { method: 'DELETE', path: `/api/${plural}/${ref(e)}`, headers: bearer });
    return a.status < 300 ? e : undefined;
  };

  const collections = schemas.contentTypes.filter((c) => c.kind === 'collectionType');
  const singles = schemas.contentTypes.filter((c) => c.kind === 'singleType');
  const missingId = v5 ? 'zzzzzzzzzzzzzzzzzzzzzzzz' : '999999999';

  for (const ct of collections) {
    const plural = ct.info.pluralName;
    const field = scopeField(ct);
    // Lists are scoped to the run's own entries: by the tag, or (no field takes it) by their ids once they exist.
    let scope: Record<string, string | number> = field ? { [`filters[${field}][$startsWith]`]: tag } : { [`filters[${v5 ? 'documentId' : 'id'}][$eq]`]: v5 ? missingId : 0 };
    log(`${ct.uid}: reads${opts.readOnly ? '' : ', writes'}`);
    // Reads that need no entry of the run's own: errors and an empty, scoped list.
    await call('GET', `/api/${plural}?${q(scope)}`);
    await call('GET', `/api/${plural}/${missingId}`);
    await call('GET', `/api/${plural}?${q({ ...scope, 'filters[notAnAttribute][$eq]': 1 })}`);
    await call('GET', `/api/${plural}?${q({ ...scope, sort: 'notAnAttribute:asc' })}`);
    await call('GET', `/api/${plural}?${q({ ...scope, 'pagination[pageSize]': 1000 })}`);
    await call('GET', `/api/${plural}?${q({ ...scope, 'pagination[page]': 0 })}`);
    if (opts.readOnly) continue;
    const why = cannotCreate(ct.attributes, schemas);
    if (why) {
      log(`${ct.uid}: no entries created (${why})`);
      continue;
    }
    await call('POST', `/api/${plural}`, {});
    if (Object.values(ct.attributes).some((a) => a.required)) await call('POST', `/api/${plural}`, { data: {} });
    const made: Json[] = [];
    for (const [i, letter] of ['a', 'b', 'c'].entries()) {
      const e = await create(ct, sampleData(ct.attributes, `${tag}-${ct.info.singularName}-${letter}`, schemas, i));
      if (e) made.push(e);
    }
    fixtures.set(ct.uid, made);
    if (!made.length) continue;
    const [a] = made;
    if (!field) scope = Object.fromEntries(made.map((e, i) => [`filters[${v5 ? 'documentId' : 'id'}][$in][${i}]`, ref(e)]));
    const scoped = (extra: Record<string, string | number | boolean>) => call('GET', `/api/${plural}?${q({ ...scope, ...extra })}`);
    await call('GET', `/api/${plural}/${ref(a)}`);
    await call('GET', `/api/${plural}/${ref(a)}?${q({ populate: '*' })}`);
    await scoped({});
    await scoped({ populate: '*' });
    if (field) {
      const value = v5 ? a[field] : a.attributes?.[field];
      await call('GET', `/api/${plural}/${ref(a)}?${q({ 'fields[0]': field })}`);
      await scoped({ sort: `${field}:desc` });
      await scoped({ 'sort[0]': `${field}:asc`, 'pagination[page]': 2, 'pagination[pageSize]': 1 });
      await scoped({ sort: `${field}:asc`, 'pagination[start]': 1, 'pagination[limit]': 1 });
      await scoped({ 'fields[0]': field, 'pagination[withCount]': false });
      await scoped({ [`filters[${field}][$eq]`]: value });
      await scoped({ [`filters[${field}][$containsi]`]: String(value).slice(tag.length).toUpperCase() });
      await scoped({ [`filters[$or][0][${field}][$eq]`]: value, [`filters[$or][1][${field}][$endsWith]`]: '-c' });
      await scoped({ [`filters[${field}][$ne]`]: value, sort: `${field}:asc` });
      await scoped({ [`filters[${field}][$in][0]`]: value, [`filters[${field}][$in][1]`]: 'nothing' });
      await scoped({ [`filters[${field}][$notNull]`]: true, [`filters[${field}][$null]`]: false });
    }
    const numeric = Object.entries(ct.attributes).find(([, x]) => x.type === 'integer' && !x.private)?.[0];
    if (numeric) {
      await scoped({ [`filters[${numeric}][$gt]`]: 5, sort: `${numeric}:desc` });
      await scoped({ [`filters[${numeric}][$between][0]`]: 5, [`filters[${numeric}][$between][1]`]: 6 });
      await scoped({ [`filters[${numeric}][$lt]`]: 'not-a-number' });
    }
    if (ct.options?.draftAndPublish) await scoped(v5 ? { status: 'draft' } : { publicationState: 'preview' });
    // Update: a scalar, then a bad value; a missing entry.
    const updated = sampleData(ct.attributes, `${tag}-${ct.info.singularName}-a2`, schemas, 3);
    await call('PUT', `/api/${plural}/${ref(a)}`, { data: updated });
    if (numeric) await call('PUT', `/api/${plural}/${ref(a)}`, { data: { [numeric]: 'not-a-number' } });
    await call('PUT', `/api/${plural}/${missingId}`, { data: updated });
    // A second locale of a localized type.
    if (second && ct.pluginOptions?.i18n?.localized) {
      const localized = sampleData(ct.attributes, `${tag}-${ct.info.singularName}-${second}`, schemas, 4);
      if (v5) {
        const r = await call('PUT', `/api/${plural}/${ref(a)}?${q({ locale: second })}`, { data: localized });
        if (r.status < 300) cleanup.add(`${ct.uid} ${ref(a)} ${second}`, { method: 'DELETE', path: `/api/${plural}/${ref(a)}?${q({ locale: second })}`, headers: bearer });
        await call('GET', `/api/${plural}/${ref(a)}?${q({ locale: second })}`);
      } else {
        const r = await call('POST', `/api/${plural}/${ref(a)}/localizations`, { ...localized, locale: second });
        const id = json(r)?.id;
        if (r.status < 300 && typeof id === 'number') cleanup.add(`${ct.uid} ${id}`, { method: 'DELETE', path: `/api/${plural}/${id}`, headers: bearer });
        await call('GET', `/api/${plural}/${ref(a)}?${q({ populate: 'localizations' })}`);
      }
      await scoped({ locale: second });
    }
  }

  if (!opts.readOnly) {
    // Relations between the run's own entries, and back through the inverse side.
    for (const ct of collections) {
      const mine = fixtures.get(ct.uid);
      if (!mine?.length) continue;
      const plural = ct.info.pluralName;
      for (const [name, attr] of Object.entries(ct.attributes)) {
        if (attr.type !== 'relation' || !attr.target) continue;
        const targets = fixtures.get(attr.target);
        if (!targets?.length) continue;
        const value = isToMany(attr) ? targets.slice(0, 2).map(ref) : ref(targets[0]);
        await call('PUT', `/api/${plural}/${ref(mine[0])}`, { data: { [name]: value } });
        await call('GET', `/api/${plural}/${ref(mine[0])}?${q({ populate: name })}`);
        const target = schemas.contentTypes.find((c) => c.uid === attr.target)!;
        const inverse = attr.inversedBy;
        if (typeof inverse === 'string') await call('GET', `/api/${target.info.pluralName}/${ref(targets[0])}?${q({ populate: inverse })}`);
        const scopeTarget = scopeField(target);
        if (scopeTarget) await call('GET', `/api/${plural}?${q({ [`filters[${name}][${scopeTarget}][$startsWith]`]: tag, populate: name })}`);
      }
    }
    // Delete one entry per type: it is gone, and a second delete is a 404.
    for (const ct of collections) {
      const mine = fixtures.get(ct.uid);
      const last = mine?.at(-1);
      if (!last) continue;
      const path = `/api/${ct.info.pluralName}/${ref(last)}`;
      const d = await call('DELETE', path);
      if (d.status < 300) cleanup.done(`${ct.uid} ${ref(last)}`);
      await call('GET', path);
      await call('DELETE', path);
    }
  }

  for (const ct of singles) {
    const path = `/api/${ct.info.singularName}`;
    // A single type with content is left alone (the emulator cannot hold the same content, and rewriting it is not the run's to do).
    const look = await ch.peek({ method: 'GET', path: `${path}${v5 && ct.options?.draftAndPublish ? '?status=draft' : ''}`, headers: bearer });
    if (look.status !== 404) {
      log(`${ct.uid}: skipped (the instance answers ${look.status}: it has content)`);
      continue;
    }
    log(`${ct.uid}: reads${opts.readOnly ? '' : ', writes'}`);
    await call('GET', path);
    await call('GET', `${path}?${q({ populate: '*' })}`);
    if (opts.readOnly) continue;
    if (cannotCreate(ct.attributes, schemas)) continue;
    await call('PUT', path, {});
    const r = await call('PUT', path, { data: sampleData(ct.attributes, `${tag}-${ct.info.singularName}`, schemas, 0) });
    if (r.status < 300) cleanup.add(ct.uid, { method: 'DELETE', path, headers: bearer });
    await call('GET', path);
    await call('GET', `${path}?${q({ populate: '*' })}`);
    if (ct.options?.draftAndPublish) await call('GET', `${path}?${q(v5 ? { status: 'draft' } : { publicationState: 'preview' })}`);
    if (second && ct.pluginOptions?.i18n?.localized && v5) {
      const l = await call('PUT', `${path}?${q({ locale: second })}`, { data: sampleData(ct.attributes, `${tag}-${ct.info.singularName}-${second}`, schemas, 1) });
      if (l.status < 300) cleanup.add(`${ct.uid} ${second}`, { method: 'DELETE', path: `${path}?${q({ locale: second })}`, headers: bearer });
      await call('GET', `${path}?${q({ locale: second })}`);
    }
    const d = await call('DELETE', path);
    if (d.status < 300) cleanup.done(ct.uid);
    await call('GET', path);
  }

  if (opts.locales?.length) await call('GET', '/api/i18n/locales');

  log('users-permissions');
  const username = `${tag}-user`;
  const email = `${tag}-user@example.com`;
  await call('GET', `/api/users?${q({ 'filters[username][$eq]': username })}`);
  await call('GET', '/api/users/999999999');
  await call('GET', '/api/users/me', undefined, {});
  await call('GET', '/api/users-permissions/roles');
  const roles = json(await ch.peek({ method: 'GET', path: '/api/users-permissions/roles', headers: bearer }))?.roles ?? [];
  for (const role of roles as Array<{ id: number }>) await call('GET', `/api/users-permissions/roles/${role.id}`);
  if (!opts.readOnly) {
    const reg = await call('POST', '/api/auth/local/register', { username, email, password: 'Passw0rd!' }, {});
    const user = json(reg)?.user;
    if (reg.status < 300 && user?.id) cleanup.add(`user ${user.id}`, { method: 'DELETE', path: `/api/users/${user.id}`, headers: bearer });
    await call('POST', '/api/auth/local/register', { username, email, password: 'Passw0rd!' }, {});
    await call('POST', '/api/auth/local/register', { username: `${tag}-u2`, email: 'not-an-email', password: 'Passw0rd!' }, {});
    const login = await call('POST', '/api/auth/local', { identifier: email, password: 'Passw0rd!' }, {});
    await call('POST', '/api/auth/local', { identifier: email, password: 'wrong-password' }, {});
    const jwt = json(login)?.jwt;
    if (typeof jwt === 'string') {
      await call('GET', '/api/users/me', undefined, { authorization: `Bearer ${jwt}` });
      await call('GET', `/api/users/me?${q({ populate: 'role' })}`, undefined, { authorization: `Bearer ${jwt}` });
    }
    if (user?.id) {
      await call('GET', `/api/users/${user.id}`);
      await call('GET', `/api/users?${q({ 'filters[username][$eq]': username, populate: 'role' })}`);
      await call('PUT', `/api/users/${user.id}`, { username: `${tag}-user2` });
      await call('GET', `/api/users/${user.id}`);
      const d = await call('DELETE', `/api/users/${user.id}`);
      if (d.status < 300) cleanup.done(`user ${user.id}`);
      await call('GET', `/api/users/${user.id}`);
    }
  }

  log('upload');
  const fileName = `${tag}-file.png`;
  await call('GET', '/api/upload/files/999999999');
  await call('GET', `/api/upload/files?${q({ 'filters[name][$eq]': fileName })}`);
  if (!opts.readOnly && opts.uploads) {
    const boundary = `----diff${tag}`;
    const image = png(4, 4);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${fileName}"\r\nContent-Type: image/png\r\n\r\n`),
      image,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await ch.send({ method: 'POST', path: '/api/upload', headers: { ...bearer, 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
    const file = (json(up) ?? [])[0];
    if (up.status < 300 && file?.id) {
      cleanup.add(`file ${file.id}`, { method: 'DELETE', path: `/api/upload/files/${file.id}`, headers: bearer });
      await call('GET', `/api/upload/files/${file.id}`);
      await call('GET', `/api/upload/files?${q({ 'filters[name][$eq]': fileName })}`);
      const d = await call('DELETE', `/api/upload/files/${file.id}`);
      if (d.status < 300) cleanup.done(`file ${file.id}`);
      await call('GET', `/api/upload/files/${file.id}`);
    }
  }
}
