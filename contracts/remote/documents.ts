// The scenarios of one content type, made from its schema: lists, pagination, populate of every
// relation, media, component and dynamic zone, sorting on every sortable field, filters, public
// access, and (unless --read-only) create → read back → update → delete, relations, media,
// drafts and localizations of records this run creates and removes.
import qs from 'qs';
import { type Attribute, isToMany } from '../../spec/content-types.js';
import type { Answer } from './http.js';
import type { Instance, SchemaFile } from './instance.js';
import { CheckFailure, type Ctx, type Scenario, Skip } from './runner.js';
import { uploadTiny } from './upload.js';
import { makeData, roundTripDiffs } from './values.js';

type Doc = { id: number; documentId?: string; fields: Record<string, unknown> };

/** v4 answers `{id, attributes}`, v5 a flat document. */
export function docOf(major: 4 | 5, data: unknown): Doc {
  const d = data as { id: number; documentId?: string; attributes?: Record<string, unknown> } & Record<string, unknown>;
  return major === 4 ? { id: d.id, fields: d.attributes ?? {} } : { id: d.id, documentId: d.documentId, fields: d };
}
/** What a path or a relation names a document by: v4 its id, v5 its documentId. */
export const keyOf = (major: 4 | 5, doc: Doc) => (major === 5 ? doc.documentId! : doc.id);
const q = (query: Record<string, unknown>) => qs.stringify(query, { encodeValuesOnly: true });
const dataOf = (a: Answer) => (a.json as { data: unknown }).data;
const sortable = (attr: Attribute) => !attr.private && !['password', 'json', 'blocks', 'relation', 'media', 'component', 'dynamiczone', 'richtext', 'text'].includes(attr.type);
const populatable = (attr: Attribute) => ['relation', 'media', 'component', 'dynamiczone'].includes(attr.type);
const created = (major: 4 | 5) => (major === 5 ? 201 : 200);
const deleted = (major: 4 | 5) => (major === 5 ? 204 : 200);

/** A type's first plain text field: what its records are found by. */
function labelField(schema: SchemaFile): string | undefined {
  return Object.entries(schema.attributes).find(([, a]) => ['string', 'email', 'uid'].includes(a.type) && !a.private && !a.regex)?.[0];
}

/**
 * Data for a valid record: every field a value can be made for, a required media field given a
 * file uploaded for it, a required relation a record of its target made for it (two levels deep).
 */
export async function makeRecordData(ctx: Ctx, schema: SchemaFile, depth = 0): Promise<Record<string, unknown>> {
  const { data } = makeData(schema.attributes, ctx.mark(), ctx.instance.components);
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (!attr.required || data[name] !== undefined) continue;
    if (attr.type === 'media') {
      const file = await uploadTiny(ctx);
      data[name] = attr.multiple ? [file.id] : file.id;
    } else if (attr.type === 'relation' && attr.target && ctx.instance.contentTypes[attr.target]?.kind === 'collectionType' && depth < 2) {
      const target = await createRecord(ctx, attr.target, await makeRecordData(ctx, ctx.instance.contentTypes[attr.target], depth + 1));
      data[name] = isToMany(attr) ? [keyOf(ctx.major, target)] : keyOf(ctx.major, target);
    }
  }
  const cannot = Object.entries(schema.attributes).filter(([name, a]) => a.required && data[name] === undefined).map(([name, a]) => `${name} (${a.type}${a.regex ? ' with a regex' : ''}, required)`);
  if (cannot.length) throw new Skip(`cannot make a valid record: ${cannot.join(', ')}`);
  return data;
}

/** Creates a record of `uid` and registers its removal; answers the created document. */
export async function createRecord(ctx: Ctx, uid: string, data: Record<string, unknown>, opts: { query?: Record<string, unknown> } = {}): Promise<Doc> {
  const schema = ctx.instance.contentTypes[uid];
  const path = schema.kind === 'singleType' ? `/api/${schema.info.singularName}` : `/api/${schema.info.pluralName}`;
  const search = opts.query ? `?${q(opts.query)}` : '';
  const answer = await ctx.http.send(schema.kind === 'singleType' ? 'PUT' : 'POST', path + search, { token: ctx.token, json: { data } });
  // Registered before the status is checked: an unexpected 2xx still made a record.
  if (answer.status < 300 && dataOf(answer)) {
    const doc = docOf(ctx.major, dataOf(answer));
    const target = schema.kind === 'singleType' ? path : `${path}/${keyOf(ctx.major, doc)}`;
    const locale = (opts.query?.locale as string | undefined) ?? (doc.fields.locale as string | undefined);
    ctx.created(`${uid} ${keyOf(ctx.major, doc)}${locale ? ` (${locale})` : ''}`, async () => {
      const res = await ctx.http.send('DELETE', `${target}${ctx.major === 5 && locale ? `?locale=${locale}` : ''}`, { token: ctx.token });
      if (res.status !== deleted(ctx.major) && res.status !== 404) throw new Error(`DELETE ${target} answered ${res.status}`);
    });
  }
  ctx.expect(answer, schema.kind === 'singleType' ? 200 : created(ctx.major));
  return docOf(ctx.major, dataOf(answer));
}

function collectionScenarios(uid: string, schema: SchemaFile, instance: Instance): Scenario[] {
  const group = `${uid} (collection type)`;
  const path = `/api/${schema.info.pluralName}`;
  const attrs = Object.entries(schema.attributes);
  const localized = Boolean((schema.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized) && Boolean(instance.locales);
  const dp = Boolean(schema.options.draftAndPublish);
  const label = labelField(schema);
  const get = (ctx: Ctx, query = '', anonymous = false) => ctx.http.send('GET', `${path}${query ? `?${query}` : ''}`, { token: anonymous ? undefined : ctx.token });
  const out: Scenario[] = [
    {
      group,
      name: 'list: 200, pages of the default size',
      async run(ctx) {
        const a = ctx.expect(await get(ctx), 200);
        const size = (a.json as { meta: { pagination: { pageSize: number } } }).meta.pagination.pageSize;
        if (ctx.instance.rest && size !== ctx.instance.rest.defaultLimit) throw new CheckFailure(`pageSize ${size}, expected the defaultLimit ${ctx.instance.rest.defaultLimit}`);
      },
    },
    {
      group,
      name: 'pagination: pageSize 1, and far more capped at maxLimit',
      async run(ctx) {
        const one = ctx.expect(await get(ctx, q({ pagination: { pageSize: 1 } })), 200);
        if ((one.json as { data: unknown[] }).data.length > 1) throw new CheckFailure('pageSize 1 answered more than one record');
        const max = ctx.instance.rest?.maxLimit;
        const many = ctx.expect(await get(ctx, q({ pagination: { pageSize: 100_000 } })), 200);
        const size = (many.json as { meta: { pagination: { pageSize: number } } }).meta.pagination.pageSize;
        if (typeof max === 'number' && size !== max) throw new CheckFailure(`pageSize ${size}, expected the maxLimit ${max}`);
      },
    },
    {
      group,
      name: 'populate=*',
      run: async (ctx) => void ctx.expect(await get(ctx, 'populate=*'), 200),
    },
  ];
  const pops = attrs.filter(([, a]) => populatable(a)).map(([n]) => n);
  if (pops.length)
    out.push({
      group,
      name: `populate each of ${pops.join(', ')}`,
      async run(ctx) {
        for (const name of pops) ctx.expect(await get(ctx, q({ populate: [name] })), 200);
        ctx.expect(await get(ctx, q({ populate: pops })), 200);
      },
    });
  const sorts = attrs.filter(([, a]) => sortable(a)).map(([n]) => n);
  if (sorts.length)
    out.push({
      group,
      name: `sort by each of ${sorts.join(', ')}`,
      async run(ctx) {
        for (const name of sorts) ctx.expect(await get(ctx, q({ sort: [`${name}:desc`] })), 200);
      },
    });
  out.push(
    {
      group,
      name: 'a filter on a field it does not have: 400',
      run: async (ctx) => void ctx.expect(await get(ctx, q({ filters: { checkNoSuchField: { $eq: 1 } } })), 400, { name: 'ValidationError', message: ctx.major === 5 ? 'Invalid key checkNoSuchField' : 'Invalid parameter checkNoSuchField' }),
    },
    {
      group,
      name: 'a record that does not exist: 404',
      run: async (ctx) => void ctx.expect(await ctx.http.send('GET', `${path}/${ctx.major === 5 ? 'checknosuchdocument0000' : '2147483000'}`, { token: ctx.token }), 404, { name: 'NotFoundError', message: 'Not Found' }),
    },
    {
      group,
      name: 'without a token: as the Public role allows',
      async run(ctx) {
        const open = ctx.instance.permissions.public?.includes(`${uid}.find`);
        ctx.expect(await get(ctx, '', true), open ? 200 : 403, open ? undefined : { name: 'ForbiddenError', message: 'Forbidden' });
      },
    },
  );
  if (localized)
    out.push({
      group,
      name: `each locale (${instance.locales!.map((l) => l.code).join(', ')}) lists its own records`,
      async run(ctx) {
        for (const { code } of ctx.instance.locales!) {
          const a = ctx.expect(await get(ctx, q({ locale: code })), 200);
          const wrong = (a.json as { data: unknown[] }).data.map((d) => docOf(ctx.major, d)).filter((d) => d.fields.locale !== code);
          if (wrong.length) throw new CheckFailure(`?locale=${code} answered records of locale ${String(wrong[0].fields.locale)}`);
        }
      },
    });
  if (dp)
    out.push({
      group,
      name: 'drafts are listed when asked for',
      run: async (ctx) => void ctx.expect(await get(ctx, ctx.major === 5 ? 'status=draft' : 'publicationState=preview'), 200),
    });

  out.push(
    {
      group,
      name: 'create, read back, update, delete a record',
      writes: true,
      async run(ctx) {
        const data = await makeRecordData(ctx, schema);
        const doc = await createRecord(ctx, uid, data);
        const back = docOf(ctx.major, dataOf(ctx.expect(await ctx.http.send('GET', `${path}/${keyOf(ctx.major, doc)}`, { token: ctx.token }), 200)));
        const diffs = roundTripDiffs(schema.attributes, data, back.fields);
        if (diffs.length) throw new CheckFailure(`read back differs: ${diffs.join('; ')}`);
        if (label) {
          const changed = `${String(data[label])}-updated`.slice(-(schema.attributes[label].maxLength ?? 200));
          const up = docOf(ctx.major, dataOf(ctx.expect(await ctx.http.send('PUT', `${path}/${keyOf(ctx.major, doc)}`, { token: ctx.token, json: { data: { [label]: changed } } }), 200)));
          if (up.fields[label] !== changed) throw new CheckFailure(`update answered ${label} ${JSON.stringify(up.fields[label])}, sent ${JSON.stringify(changed)}`);
          const found = ctx.expect(await get(ctx, q({ filters: { [label]: { $eq: changed } } })), 200);
          if ((found.json as { data: unknown[] }).data.length !== 1) throw new CheckFailure(`filters[${label}][$eq] found ${(found.json as { data: unknown[] }).data.length} records, expected the 1 updated`);
        }
        ctx.expect(await ctx.http.send('DELETE', `${path}/${keyOf(ctx.major, doc)}`, { token: ctx.token }), deleted(ctx.major));
        ctx.expect(await ctx.http.send('GET', `${path}/${keyOf(ctx.major, doc)}`, { token: ctx.token }), 404);
      },
    },
    {
      group,
      name: 'a record without its required fields: 400',
      writes: true,
      async run(ctx) {
        // Strapi (5.54.0 seen with LaunchPad) does not refuse a missing required media or relation,
        // and fills a missing uid itself: only the other types are checked.
        const required = attrs.filter(([, a]) => a.required && !['media', 'relation', 'uid', 'component', 'dynamiczone'].includes(a.type)).map(([n]) => n);
        if (!required.length) throw new Skip('no required field of a type Strapi refuses to leave out (media, relations and uids it accepts missing)');
        const data = await makeRecordData(ctx, schema);
        for (const name of required) delete data[name];
        const a = await ctx.http.send('POST', path, { token: ctx.token, json: { data } });
        if (a.status < 300 && dataOf(a)) ctx.created(`${uid} made without its required fields`, async () => void (await ctx.http.send('DELETE', `${path}/${keyOf(ctx.major, docOf(ctx.major, dataOf(a)))}`, { token: ctx.token })));
        ctx.expect(a, 400, { name: 'ValidationError' });
      },
    },
  );
  const typed = attrs.find(([, a]) => ['integer', 'boolean', 'enumeration', 'email', 'date'].includes(a.type) && !a.private);
  if (typed)
    out.push({
      group,
      name: `a value of the wrong type for ${typed[0]} (${typed[1].type}): 400`,
      writes: true,
      async run(ctx) {
        const data = { ...(await makeRecordData(ctx, schema)), [typed[0]]: typed[1].type === 'boolean' ? 'check-not-a-boolean' : 'check-not-valid' };
        const a = await ctx.http.send('POST', path, { token: ctx.token, json: { data } });
        if (a.status < 300 && dataOf(a)) ctx.created(`${uid} made with a wrong value`, async () => void (await ctx.http.send('DELETE', `${path}/${keyOf(ctx.major, docOf(ctx.major, dataOf(a)))}`, { token: ctx.token })));
        ctx.expect(a, 400, { name: 'ValidationError' });
      },
    });
  for (const [name, attr] of attrs.filter(([, a]) => a.type === 'relation' && a.target?.startsWith('api::') && instance.contentTypes[a.target]?.kind === 'collectionType'))
    out.push({
      group,
      name: `relation ${name} → ${attr.target}: linked and populated`,
      writes: true,
      async run(ctx) {
        const target = await createRecord(ctx, attr.target!, await makeRecordData(ctx, ctx.instance.contentTypes[attr.target!]));
        const many = isToMany(attr);
        const link = many ? [keyOf(ctx.major, target)] : keyOf(ctx.major, target);
        const doc = await createRecord(ctx, uid, { ...(await makeRecordData(ctx, schema)), [name]: link });
        const back = docOf(ctx.major, dataOf(ctx.expect(await ctx.http.send('GET', `${path}/${keyOf(ctx.major, doc)}?${q({ populate: [name] })}`, { token: ctx.token }), 200)));
        const rel = back.fields[name] as unknown;
        const linked = ctx.major === 4 ? (rel as { data: unknown })?.data : rel;
        const ids = [linked].flat().filter(Boolean).map((d) => docOf(ctx.major, d).id);
        if (!ids.includes(target.id)) throw new CheckFailure(`populate[${name}] answered ${JSON.stringify(rel)}, not the linked record ${target.id}`);
      },
    });
  const media = attrs.find(([, a]) => a.type === 'media');
  if (media)
    out.push({
      group,
      name: `media ${media[0]}: an uploaded file linked and populated`,
      writes: true,
      async run(ctx) {
        const file = await uploadTiny(ctx);
        const doc = await createRecord(ctx, uid, { ...(await makeRecordData(ctx, schema)), [media[0]]: media[1].multiple ? [file.id] : file.id });
        const back = docOf(ctx.major, dataOf(ctx.expect(await ctx.http.send('GET', `${path}/${keyOf(ctx.major, doc)}?${q({ populate: [media[0]] })}`, { token: ctx.token }), 200)));
        const rel = back.fields[media[0]];
        const files = [ctx.major === 4 ? (rel as { data: unknown })?.data : rel].flat().filter(Boolean) as Array<{ id: number }>;
        if (!files.some((f) => f.id === file.id)) throw new CheckFailure(`populate[${media[0]}] answered ${JSON.stringify(rel)}, not the file ${file.id}`);
      },
    });
  if (dp && label)
    out.push({
      group,
      name: 'a draft: not listed by default, listed with drafts',
      writes: true,
      async run(ctx) {
        const data = await makeRecordData(ctx, schema);
        await createRecord(ctx, uid, ctx.major === 4 ? { ...data, publishedAt: null } : data, ctx.major === 5 ? { query: { status: 'draft' } } : {});
        const filter = { filters: { [label]: { $eq: data[label] } } };
        const live = ctx.expect(await get(ctx, q(filter)), 200);
        if ((live.json as { data: unknown[] }).data.length) throw new CheckFailure('the draft is listed without asking for drafts');
        const drafts = ctx.expect(await get(ctx, q({ ...filter, ...(ctx.major === 5 ? { status: 'draft' } : { publicationState: 'preview' }) })), 200);
        if ((drafts.json as { data: unknown[] }).data.length !== 1) throw new CheckFailure('the draft is not listed with drafts');
      },
    });
  const otherLocale = instance.locales?.find((l) => !l.isDefault);
  if (localized && otherLocale && label)
    out.push({
      group,
      name: `a localization in ${otherLocale.code}`,
      writes: true,
      async run(ctx) {
        const data = await makeRecordData(ctx, schema);
        const doc = await createRecord(ctx, uid, data);
        const fr = { ...(await makeRecordData(ctx, schema)) };
        if (ctx.major === 5) {
          // v5: a localization of a document is PUT /:documentId?locale=<code>.
          const a = await ctx.http.send('PUT', `${path}/${doc.documentId}?locale=${otherLocale.code}`, { token: ctx.token, json: { data: fr } });
          if (a.status === 200) ctx.created(`${uid} ${doc.documentId} (${otherLocale.code})`, async () => void (await ctx.http.send('DELETE', `${path}/${doc.documentId}?locale=${otherLocale.code}`, { token: ctx.token })));
          ctx.expect(a, 200);
        }
        else {
          const a = await ctx.http.send('POST', `${path}/${doc.id}/localizations`, { token: ctx.token, json: { ...fr, locale: otherLocale.code } });
          const made = a.json as { id?: number } | undefined;
          if (a.status < 300 && made?.id) ctx.created(`${uid} ${made.id} (${otherLocale.code})`, async () => void (await ctx.http.send('DELETE', `${path}/${made.id}`, { token: ctx.token })));
          ctx.expect(a, [200, 201]);
        }
        const listed = ctx.expect(await get(ctx, q({ locale: otherLocale.code, filters: { [label]: { $eq: fr[label] } }, ...(ctx.major === 5 ? {} : { publicationState: 'preview' }) })), 200);
        if ((listed.json as { data: unknown[] }).data.length !== 1) throw new CheckFailure(`the ${otherLocale.code} localization is not listed with ?locale=${otherLocale.code}`);
      },
    });
  return out;
}

function singleScenarios(uid: string, schema: SchemaFile): Scenario[] {
  const group = `${uid} (single type)`;
  const path = `/api/${schema.info.singularName}`;
  const exists = async (ctx: Ctx) => ctx.expect(await ctx.http.send('GET', path, { token: ctx.token }), [200, 404]).status === 200;
  return [
    {
      group,
      name: 'read: 200 when set, 404 when not',
      async run(ctx) {
        const a = ctx.expect(await ctx.http.send('GET', path, { token: ctx.token }), [200, 404]);
        if (a.status === 404) ctx.expect(a, 404, { name: 'NotFoundError', message: 'Not Found' });
        ctx.expect(await ctx.http.send('GET', `${path}?populate=*`, { token: ctx.token }), a.status);
      },
    },
    {
      group,
      name: 'without a token: as the Public role allows',
      async run(ctx) {
        const open = ctx.instance.permissions.public?.includes(`${uid}.find`);
        const a = await ctx.http.send('GET', path);
        if (open) ctx.expect(a, [200, 404]);
        else ctx.expect(a, 403, { name: 'ForbiddenError', message: 'Forbidden' });
      },
    },
    {
      group,
      name: 'set, read back, delete (only when not set)',
      writes: true,
      async run(ctx) {
        if (await exists(ctx)) throw new Skip('it is set on the instance: check changes no record it did not create');
        const data = await makeRecordData(ctx, schema);
        await createRecord(ctx, uid, data);
        const back = docOf(ctx.major, dataOf(ctx.expect(await ctx.http.send('GET', path, { token: ctx.token }), 200)));
        const diffs = roundTripDiffs(schema.attributes, data, back.fields);
        if (diffs.length) throw new CheckFailure(`read back differs: ${diffs.join('; ')}`);
        ctx.expect(await ctx.http.send('DELETE', path, { token: ctx.token }), deleted(ctx.major));
        ctx.expect(await ctx.http.send('GET', path, { token: ctx.token }), 404);
      },
    },
  ];
}

/** Every content type's scenarios, collection types first, in uid order. */
export function documentScenarios(instance: Instance): Scenario[] {
  const types = Object.entries(instance.contentTypes).sort(([a, x], [b, y]) => (x.kind === y.kind ? a.localeCompare(b) : x.kind === 'collectionType' ? -1 : 1));
  return types.flatMap(([uid, schema]) => (schema.kind === 'collectionType' ? collectionScenarios(uid, schema, instance) : singleScenarios(uid, schema)));
}
