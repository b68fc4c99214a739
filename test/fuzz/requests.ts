// Requests generated from the spec: one arbitrary per operation (path ids, query string,
// headers, body), all of them plain data so that a failing request prints as a reproducer.
import fc from 'fast-check';
import qs from 'qs';
import { png } from '../../contracts/fixtures.js';
import type { Operation, Schema } from '../../spec/openapi.js';
import { routesOf } from '../../spec/router.js';
import { SchemaValues, junk, oddString } from './schema-values.js';

export type Part = { name: string; value: string } | { name: string; filename: string; type: string; bytes: string };
export type FuzzBody = { kind: 'text'; text: string } | { kind: 'multipart'; parts: Part[] };
export type FuzzRequest = {
  operationId: string;
  method: string;
  /** Path and query string, as sent. */
  path: string;
  headers: Record<string, string>;
  body?: FuzzBody;
  /** The client address (rate-limit buckets). */
  ip: string;
};

/** What the generator needs to know of the seeded world: real ids and credentials. */
export type World = {
  /** Existing ids per path template (`/api/users/{id}` → ['1', '2']). */
  ids: Record<string, string[]>;
  /** Valid JWTs of seeded users (a blocked one included). */
  jwts: string[];
  /** Valid API tokens (full-access, read-only, custom). */
  apiTokens: string[];
  /** Content type uids (the inspector's routes). */
  uids: string[];
};

/**
 * The control operations left out: faults answer 5xx on purpose, webhooks deliver over the
 * network, reset/restore replace the world the fuzzer keeps its ids for, `wait=true` on the
 * delivery log blocks until deliveries are done.
 */
const skipped = new Set(['emulatorFaultAdd', 'emulatorFaultsClear', 'emulatorFaultRemove', 'emulatorFaults', 'emulatorWebhookAdd', 'emulatorReset', 'emulatorRestore']);

export type FuzzOperation = { operationId: string; method: string; template: string; operation: Operation; fields: string[] };

export function fuzzOperations(spec: { paths: Record<string, Record<string, unknown>> }, values: SchemaValues): FuzzOperation[] {
  return routesOf(spec)
    .filter((r) => !skipped.has(r.operation.operationId))
    .map((r) => ({ operationId: r.operation.operationId, method: r.method, template: r.template, operation: r.operation, fields: fieldNames(r.operation, values) }));
}

/** Attribute names an operation answers with (for fields/sort/filters/populate), plus the secrets. */
function fieldNames(operation: Operation, values: SchemaValues): string[] {
  const names = new Set<string>();
  const walk = (raw: Schema | undefined, depth: number) => {
    if (!raw || depth > 4) return;
    const s = values.resolve(raw);
    for (const alt of [...((s.anyOf as Schema[]) ?? []), ...((s.oneOf as Schema[]) ?? []), ...((s.allOf as Schema[]) ?? [])]) walk(alt, depth + 1);
    if (s.items) walk(s.items as Schema, depth + 1);
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
      if (!['data', 'meta', 'attributes', 'pagination'].includes(k)) names.add(k);
      walk(v, depth + 1);
    }
  };
  const ok = (operation.responses['200'] ?? operation.responses['201']) as Schema | undefined;
  walk((ok?.content as Record<string, { schema: Schema }> | undefined)?.['application/json']?.schema, 0);
  for (const secret of ['password', 'resetPasswordToken', 'confirmationToken', 'secret', 'internalNote', 'notes', 'role', 'users', 'permissions', 'createdBy', 'updatedBy', 'localizations', 'folder', 'related']) names.add(secret);
  return [...names];
}

const operators = ['$eq', '$eqi', '$ne', '$nei', '$lt', '$lte', '$gt', '$gte', '$in', '$notIn', '$contains', '$notContains', '$containsi', '$notContainsi', '$null', '$notNull', '$between', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi', '$or', '$and', '$not', '$foo', '$where', '$jsonSupersetOf', 'eq', '$'];

function queryArb(op: FuzzOperation): fc.Arbitrary<string> {
  const field = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...op.fields) }, { weight: 1, arbitrary: fc.constantFrom('*', 'id', 'documentId', '__proto__', 'constructor', 'a.b', 'role.name', '') }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
  const scalar = fc.oneof(fc.constantFrom('1', '0', '-1', 'true', 'false', 'null', '', 'a', '%', '2024-01-01', '1e309', 'NaN'), oddString());
  const leaf = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
  const filters: fc.Arbitrary<unknown> = fc.letrec<{ f: unknown }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.dictionary(fc.oneof(field, fc.constantFrom(...operators)), fc.oneof(leaf, tie('f')), { maxKeys: 3 }),
      fc.array(tie('f'), { maxLength: 3 }),
    ),
  })).f;
  const sort = fc.oneof(
    field,
    field.chain((f) => fc.constantFrom(`${f}:asc`, `${f}:desc`, `${f}:DESC`, `${f}:sideways`, `${f}:`, `${f},id`)),
    fc.array(field, { maxLength: 3 }),
    fc.dictionary(field, fc.constantFrom('asc', 'desc', 'x')),
  );
  const fieldsParam = fc.oneof(field, fc.array(field, { maxLength: 4 }), fc.constant('*'), fc.constant(['password']));
  const populate: fc.Arbitrary<unknown> = fc.letrec<{ p: unknown }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('*', 'true', 'false', '', 'deep'),
      field,
      fc.array(field, { maxLength: 3 }),
      fc.dictionary(field, fc.oneof(fc.constantFrom('*', true, 'true', false), fc.record({ populate: tie('p'), fields: fieldsParam, filters, sort, on: fc.dictionary(fc.string({ maxLength: 12 }), tie('p'), { maxKeys: 2 }), count: fc.boolean() }, { requiredKeys: [] })), { maxKeys: 3 }),
    ),
  })).p;
  const numberish = fc.oneof(fc.integer({ min: -3, max: 200 }).map(String), fc.constantFrom('1e9', '2.5', 'abc', '', '0x10', '-0', '1e309', 'Infinity'));
  const pagination = fc.record({ page: numberish, pageSize: numberish, start: numberish, limit: numberish, withCount: fc.constantFrom('true', 'false', 'x') }, { requiredKeys: [] });
  const params = new Set(((op.operation.parameters ?? []) as Schema[]).filter((p) => p.in === 'query').map((p) => p.name as string));
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  if (params.has('filters')) record.filters = filters;
  if (params.has('sort')) record.sort = sort;
  if (params.has('fields')) record.fields = fieldsParam;
  if (params.has('populate')) record.populate = populate;
  if (params.has('pagination')) record.pagination = pagination;
  if (params.has('start')) record.start = numberish;
  if (params.has('limit')) record.limit = numberish;
  if (params.has('status')) record.status = fc.constantFrom('draft', 'published', 'x', '');
  if (params.has('publicationState')) record.publicationState = fc.constantFrom('live', 'preview', 'x');
  if (params.has('locale')) record.locale = fc.constantFrom('en', 'fr', 'all', '*', '');
  for (const name of params) record[name] ??= fc.oneof(fc.constantFrom('true', 'false', '1', '0', ''), oddString());
  // Parameters the route does not declare: Strapi rejects some ("Invalid key") and ignores others.
  record.extra = fc.dictionary(fc.constantFrom('filters', 'sort', 'fields', 'populate', 'pagination', 'foo', '_q', 'publicationState', 'status'), fc.oneof(scalar, populate), { maxKeys: 2 });
  const structured = fc.tuple(fc.record(record, { requiredKeys: [] }), fc.constantFrom<'indices' | 'brackets' | 'repeat'>('indices', 'brackets', 'repeat'), fc.boolean()).map(([q, arrayFormat, encode]) => {
    const { extra, ...rest } = q as Record<string, unknown>;
    return qs.stringify({ ...(extra as object), ...rest }, { arrayFormat, encode, encodeValuesOnly: !encode });
  });
  // Raw query strings: qs's depth/parameter limits, broken brackets, stray escapes.
  const deep = fc.integer({ min: 15, max: 30 }).map((n) => `filters${'[a]'.repeat(n)}[$eq]=1`);
  const deepPopulate = fc.integer({ min: 5, max: 25 }).map((n) => `populate${'[populate][role]'.repeat(n)}=*`);
  const raw = fc.constantFrom('filters[[x]=1', 'filters]=1', 'filters[id][$in][]=1&filters[id][$in][]=2', 'sort[]=', 'populate[0][populate]=*', 'populate[role][populate]=*', 'populate=*&populate[role]=true', '%00=%00', 'filters[%00]=1', 'a=%zz', '&&&=&', 'fields[0]=password', 'filters[password][$notNull]=true', 'sort=password:desc', 'populate=deep,10', 'pagination[page]=1&pagination[start]=0', 'filters[$or][0][id]=1&filters[$or][1][username][$containsi]=a', `pagination[pageSize]=${'9'.repeat(400)}`, 'filters[id][$between]=1', 'filters[id][$in]=1');
  const many = fc.integer({ min: 990, max: 1010 }).map((n) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&'));
  return fc.oneof({ weight: 10, arbitrary: structured }, { weight: 2, arbitrary: raw }, { weight: 1, arbitrary: deep }, { weight: 1, arbitrary: deepPopulate }, { weight: 1, arbitrary: fc.tuple(structured, raw).map(([a, b]) => `${a}&${b}`) }, { weight: 1, arbitrary: many });
}

const junkIds = ['0', '-1', '1e309', '1.5', '01', '0x1', ' 1', '1 ', 'abc', 'null', 'undefined', 'true', '[]', '%00', '%zz', '%2F', 'Ωmega', '👩‍👩‍👧‍👦', 'me', 'count', '9007199254740993', '99999999999999999999', 'x'.repeat(5000)];

function pathArb(op: FuzzOperation, world: World): fc.Arbitrary<string> {
  const names = [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  if (names.length === 0) return fc.constant(op.template);
  const known = world.ids[op.template] ?? [];
  const one = (name: string) => {
    const real = name === 'uid' ? world.uids : known;
    // Percent-escapes stay as they are (the router decodes them); anything else is encoded.
    const junkId = fc.oneof(fc.constantFrom(...junkIds), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })).map((v) => (/^%[0-9A-Za-z]{2}$/.test(v) ? v : encodeURIComponent(v)))
      // `.` and `..` are dot segments: the URL parser removes them and the request lands elsewhere.
      .filter((v) => !/^(\.|%2e){1,2}$/i.test(v));
    return real.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real).map(encodeURIComponent) }, { weight: 2, arbitrary: junkId }) : junkId;
  };
  return fc.tuple(...names.map(one)).map((values) => names.reduce((path, name, i) => path.replace(`{${name}}`, values[i]), op.template));
}

function authArb(world: World): fc.Arbitrary<Record<string, string>> {
  const bearer = (v: string) => ({ authorization: `Bearer ${v}` });
  const garbage = fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer x', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJpZCI6MX0.', 'Bearer null', 'Token abc'), fc.string({ maxLength: 40 }).map((s) => `Bearer ${s.replace(/[\r\n\0]/g, '')}`));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: fc.constantFrom(...world.jwts).map(bearer) },
    { weight: 3, arbitrary: fc.constantFrom(...world.apiTokens).map(bearer) },
    { weight: 1, arbitrary: garbage.map((authorization) => ({ authorization })) },
  );
}

const jsonTypes = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/merge-patch+json'];
const otherTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/xml', 'application/octet-stream', 'garbage', ';;;', ''];

function jsonBodyArb(schema: Schema | undefined, values: SchemaValues): fc.Arbitrary<{ headers: Record<string, string>; body?: FuzzBody }> {
  const value = fc.oneof({ weight: 3, arbitrary: values.value(schema, 'valid') }, { weight: 4, arbitrary: values.value(schema, 'fuzzy') }, { weight: 1, arbitrary: junk() });
  const text = fc.oneof(
    { weight: 10, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', '[1,', 'null', '"str"', '42', '{"__proto__":{"x":1}}', '{"data":{"constructor":{"prototype":{"x":1}}}}', '\u0000', '\uFEFF{}', 'a=1&b[c]=2') },
    { weight: 1, arbitrary: fc.integer({ min: 1_048_000, max: 1_050_000 }).map((n) => JSON.stringify({ data: { title: 'x'.repeat(n) } })) },
  );
  const contentType = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...jsonTypes) }, { weight: 2, arbitrary: fc.constantFrom(...otherTypes) }, { weight: 1, arbitrary: fc.constant(undefined) });
  return fc.tuple(text, contentType, fc.boolean()).map(([t, type, withBody]) => ({
    headers: (type === undefined ? {} : { 'content-type': type }) as Record<string, string>,
    body: withBody || type !== undefined ? { kind: 'text' as const, text: t } : undefined,
  }));
}

const image = png(3, 2).toString('latin1');

function multipartArb(values: SchemaValues, world: World): fc.Arbitrary<{ headers: Record<string, string>; body?: FuzzBody }> {
  const file: fc.Arbitrary<Part> = fc.record({
    name: fc.constantFrom('files', 'files', 'files', 'file', 'files[0]', 'files.image', ''),
    filename: fc.oneof(fc.constantFrom('a.png', 'a.txt', 'noext', '.hidden', '../../x.png', 'Ωmega.png', 'a'.repeat(300) + '.png', ''), fc.string({ unit: 'grapheme', maxLength: 12 })),
    type: fc.constantFrom('image/png', 'text/plain', 'application/octet-stream', 'image/svg+xml', '', 'x/y'),
    bytes: fc.oneof(fc.constant(image), fc.constant(image.slice(0, 40)), fc.string({ maxLength: 64 }), fc.constant(''), fc.constant('<svg xmlns="http://www.w3.org/2000/svg"/>')),
  });
  const info = fc.oneof(values.value({ type: 'object', properties: { name: { type: 'string' }, alternativeText: { type: 'string' }, caption: { type: 'string' }, folder: { type: 'integer' } } }, 'fuzzy').map((v) => JSON.stringify(v) ?? 'null'), fc.constantFrom('{', '[]', '', 'null', '"x"'));
  const ids = Object.values(world.ids).flat();
  const field: fc.Arbitrary<Part> = fc.oneof(
    fc.record({ name: fc.constant('fileInfo'), value: info }),
    fc.record({ name: fc.constant('ref'), value: fc.constantFrom('api::article.article', 'api::product.product', 'plugin::users-permissions.user', 'api::nope.nope', '', 'admin::user') }),
    fc.record({ name: fc.constant('refId'), value: fc.oneof(fc.constantFrom(...(ids.length ? ids : ['1'])), fc.constantFrom(...junkIds.slice(0, 12))) }),
    fc.record({ name: fc.constant('field'), value: fc.constantFrom('image', 'gallery', 'cover', 'nope', '') }),
    fc.record({ name: fc.constantFrom('path', 'foo', 'data'), value: oddString() }),
  );
  const parts = fc.array(fc.oneof({ weight: 2, arbitrary: file }, { weight: 3, arbitrary: field }), { maxLength: 6 });
  const type = fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('multipart/form-data', 'multipart/form-data; boundary=nope', 'application/json', 'text/plain') });
  return fc.tuple(parts, type).map(([p, t]) => ({ headers: (t === undefined ? {} : { 'content-type': t }) as Record<string, string>, body: { kind: 'multipart' as const, parts: p } }));
}

function bodyArb(op: FuzzOperation, values: SchemaValues, world: World): fc.Arbitrary<{ headers: Record<string, string>; body?: FuzzBody }> {
  if (op.method === 'GET') return fc.constant({ headers: {} });
  const content = (op.operation.requestBody?.content ?? {}) as Record<string, { schema: Schema }>;
  if (content['multipart/form-data']) return fc.oneof({ weight: 4, arbitrary: multipartArb(values, world) }, { weight: 1, arbitrary: jsonBodyArb({ type: 'object' }, values) });
  if (content['application/json']) return jsonBodyArb(content['application/json'].schema, values);
  // No documented body (DELETE, v4 refresh): mostly none, sometimes one anyway.
  return fc.oneof({ weight: 4, arbitrary: fc.constant({ headers: {} }) }, { weight: 1, arbitrary: jsonBodyArb(undefined, values) });
}

const extraHeaders = fc.dictionary(fc.constantFrom('origin', 'accept', 'accept-language', 'x-forwarded-for', 'cookie', 'x-strapi-action'), fc.constantFrom('*', 'http://evil.test', 'application/xml', '1.2.3.4', 'koa.sess=x', 'plugin::users-permissions.user.find'), { maxKeys: 2 });

export function requestArb(op: FuzzOperation, values: SchemaValues, world: World): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({ path: pathArb(op, world), query: fc.option(queryArb(op), { freq: 3 }), auth: authArb(world), body: bodyArb(op, values, world), extra: extraHeaders, ip: fc.integer({ min: 1, max: 40 }) })
    .map(({ path, query, auth, body, extra, ip }) => ({
      operationId: op.operationId,
      method: op.method,
      path: query ? `${path}?${query}` : path,
      headers: { ...extra, ...auth, ...body.headers },
      ...(body.body ? { body: body.body } : {}),
      ip: `10.0.0.${ip}`,
    }));
}

/** One arbitrary over every operation, each equally likely. */
export function anyRequest(ops: FuzzOperation[], values: SchemaValues, world: World): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...ops.map((op) => requestArb(op, values, world)));
}
