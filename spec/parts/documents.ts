// Content-API routes generated from Strapi content-type schemas: one set of routes and
// schemas per content type, for any schema.json a project has.
import { errors } from './errors.js';
import { publicationParam, queryParams } from './query.js';
import { anyCaller } from './users-permissions.js';
import { type Attribute, type Component, type ContentType, type StrapiSchemas, camel, isToMany, pascal } from '../content-types.js';
import { documentIdParam, entityRef, entitySchemas, toMany, toOne } from '../format.js';
import { type Major, type Operation, type Part, type Schema, dateTime, int, jsonBody, jsonContent, object, ref, str } from '../openapi.js';

const tags = ['documents'];
const indefinite = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
export const componentSchemaName = (uid: string) => `Component${pascal(uid)}`;
export const documentSchemaName = (ct: ContentType) => pascal(ct.info.singularName);

// An `enum` must list null too, or a null enumeration fails the schema although its type allows it.
const withNull = (schema: Schema): Schema =>
  schema.type ? { ...schema, type: [schema.type, 'null'], ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}) } : { anyOf: [schema, { type: 'null' }] };

/**
 * The JSON type of a scalar attribute, as Strapi stores and answers it. The constraints
 * (min/max, lengths, patterns) only describe what a client may send: drafts skip them, so an
 * answer may not meet them.
 */
function scalar(attr: Attribute, input = false): Schema {
  if (!input) {
    const { minimum: _a, maximum: _b, minLength: _c, maxLength: _d, pattern: _e, ...plain } = scalar(attr, true);
    return attr.type === 'biginteger' ? { ...plain, pattern: '^-?[0-9]+$' } : attr.type === 'time' ? { ...plain, pattern: '^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?$' } : plain;
  }
  switch (attr.type) {
    case 'integer':
      return { type: 'integer', ...(attr.min !== undefined && { minimum: attr.min }), ...(attr.max !== undefined && { maximum: attr.max }) };
    case 'biginteger':
      return { type: 'string', pattern: '^-?[0-9]+$', description: 'Big integers travel as strings.' };
    case 'float':
    case 'decimal':
      return { type: 'number', ...(attr.min !== undefined && { minimum: attr.min }), ...(attr.max !== undefined && { maximum: attr.max }) };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'time':
      return { type: 'string', pattern: '^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?$' };
    case 'json':
      return {};
    case 'blocks':
      return { type: 'array', items: { type: 'object' }, description: 'Rich text blocks.' };
    case 'enumeration':
      return { type: 'string', enum: attr.enum };
    case 'uid':
      return { type: 'string', pattern: attr.regex ?? '^[A-Za-z0-9-_.~]*$' };
    default: // string, text, richtext, email, password
      return {
        type: 'string',
        ...(attr.minLength !== undefined && { minLength: attr.minLength }),
        ...(attr.maxLength !== undefined && { maxLength: attr.maxLength }),
        ...(attr.regex !== undefined && { pattern: attr.regex }),
        ...(attr.type === 'email' && { format: 'email' }),
      };
  }
}

function relatedEntity(major: Major, target: string | undefined, byUid: Map<string, ContentType>): Schema {
  if (target === 'plugin::users-permissions.user') return major === 5 ? ref('UsersPermissionsUserSelection') : ref('DocumentUserEntity');
  if (target === 'plugin::users-permissions.role') return major === 5 ? ref('UsersPermissionsRole') : ref('DocumentRoleEntity');
  if (target === 'plugin::upload.file') return mediaEntity(major);
  const ct = target ? byUid.get(target) : undefined;
  return ct ? entityRef(major, documentSchemaName(ct)) : { type: 'object' };
}

/** A populated media: every file attribute may be narrowed away by `fields`. */
const mediaEntity = (major: Major): Schema => (major === 5 ? ref('UploadFileSelection') : ref('UploadFileEntity'));

/**
 * What a project's user extension (spec/extensions.ts) adds to the user's schemas: its public
 * scalars (always answered), its relations and media (when populated) and its inputs. `flat`:
 * users-permissions' own routes answer v4 links without `{data}` envelopes.
 */
export type UserExtensionSchemas = { scalars: Record<string, Schema>; links: Record<string, Schema>; input: Record<string, Schema> };

export function userExtensionSchemas(major: Major, schemas: StrapiSchemas, flat: boolean): UserExtensionSchemas {
  const out: UserExtensionSchemas = { scalars: {}, links: {}, input: {} };
  const ext = schemas.extensions?.['plugin::users-permissions.user'];
  if (!ext) return out;
  const byUid = new Map(schemas.contentTypes.map((ct) => [ct.uid, ct]));
  const builtIn = ['username', 'email', 'provider', 'password', 'resetPasswordToken', 'confirmationToken', 'confirmed', 'blocked', 'role'];
  for (const [name, attr] of Object.entries(ext.attributes)) {
    if (builtIn.includes(name)) continue;
    if (!attr.private && attr.type !== 'password') {
      const link = ['relation', 'media', 'component', 'dynamiczone'].includes(attr.type);
      if (!link) out.scalars[name] = outputAttribute(major, attr, byUid);
      // v4 users-permissions routes answer plain entities, which no v4 document schema describes.
      else out.links[name] = flat && major === 4 ? { description: `Populated: plain entities (no {data: {id, attributes}} envelopes).` } : outputAttribute(major, attr, byUid);
    }
    out.input[name] = inputAttribute(major, attr);
  }
  return out;
}

/** v4 wraps a user populated into an entry, and the user's own populated role, as entities. */
function v4UserSchemas(extension: UserExtensionSchemas): Record<string, Schema> {
  const stamp = { type: 'string', format: 'date-time' };
  return {
    DocumentUserEntity: object({
      id: int,
      attributes: object(
        { username: str, email: str, provider: str, confirmed: { type: 'boolean' }, blocked: { type: 'boolean' }, ...extension.scalars, createdAt: stamp, updatedAt: stamp, role: object({ data: { anyOf: [ref('DocumentRoleEntity'), { type: 'null' }] } }), ...extension.links },
        [],
      ),
    }),
    DocumentRoleEntity: object({ id: int, attributes: object({ name: { type: ['string', 'null'] }, description: { type: ['string', 'null'] }, type: { type: ['string', 'null'] }, createdAt: stamp, updatedAt: stamp }, []) }),
  };
}

/** An attribute as it appears in an answer (relations and media only when populated). */
function outputAttribute(major: Major, attr: Attribute, byUid: Map<string, ContentType>): Schema {
  switch (attr.type) {
    case 'media': {
      const file = mediaEntity(major);
      return attr.multiple ? toMany(major, file) : toOne(major, file);
    }
    case 'relation': {
      const entity = relatedEntity(major, attr.target, byUid);
      const links = isToMany(attr) ? toMany(major, entity) : toOne(major, entity);
      // v5 answers `populate[rel][count]=true` with the number of links.
      return major === 5 ? { anyOf: [links, object({ count: int })] } : links;
    }
    case 'component': {
      const component = ref(componentSchemaName(attr.component!));
      return attr.repeatable ? { type: 'array', items: component } : withNull(component);
    }
    case 'dynamiczone':
      return { type: 'array', items: { anyOf: attr.components!.map((uid) => ref(componentSchemaName(uid))) } };
    default:
      return withNull(scalar(attr));
  }
}

const scalarInput = (attr: Attribute): Schema => withNull(scalar(attr, true));

const connectable = (one: Schema): Schema => ({
  anyOf: [
    { type: 'array', items: one },
    {
      type: 'object',
      properties: { connect: { type: 'array', items: {} }, disconnect: { type: 'array', items: {} }, set: { type: 'array', items: {} } },
      additionalProperties: false,
    },
  ],
});

/** An attribute as a client sends it in `data`. */
function inputAttribute(major: Major, attr: Attribute): Schema {
  const key: Schema = major === 5 ? { type: ['string', 'integer'] } : { type: 'integer' };
  switch (attr.type) {
    case 'media':
      return attr.multiple ? withNull({ type: 'array', items: { type: 'integer' } }) : { type: ['integer', 'null'] };
    case 'relation':
      return isToMany(attr) ? connectable(key) : { anyOf: [key, { type: 'null' }, connectable(key)] };
    case 'component': {
      const component = ref(`${componentSchemaName(attr.component!)}Input`);
      return attr.repeatable ? { type: 'array', items: component } : withNull(component);
    }
    case 'dynamiczone':
      return { type: 'array', items: { anyOf: attr.components!.map((uid) => ref(`${componentSchemaName(uid)}DynamicZoneInput`)) } };
    default:
      return scalarInput(attr);
  }
}

const visible = (attributes: Record<string, Attribute>) => Object.entries(attributes).filter(([, a]) => !a.private && a.type !== 'password');
const mapAttrs = (entries: Array<[string, Attribute]>, fn: (a: Attribute) => Schema) => Object.fromEntries(entries.map(([name, a]) => [name, fn(a)]));

function componentSchemas(major: Major, component: Component, byUid: Map<string, ContentType>): Record<string, Schema> {
  const name = componentSchemaName(component.uid);
  const input = mapAttrs(Object.entries(component.attributes), (a) => inputAttribute(major, a));
  return {
    [name]: object({ id: int, __component: { type: 'string', const: component.uid }, ...mapAttrs(visible(component.attributes), (a) => outputAttribute(major, a, byUid)) }, ['id']),
    [`${name}Input`]: { type: 'object', properties: { id: int, ...input }, additionalProperties: false },
    [`${name}DynamicZoneInput`]: { type: 'object', properties: { __component: { type: 'string', const: component.uid }, ...input }, required: ['__component'], additionalProperties: false },
  };
}

function contentTypeSchemas(major: Major, ct: ContentType, byUid: Map<string, ContentType>): Record<string, Schema> {
  const name = documentSchemaName(ct);
  const system: Record<string, Schema> = {
    createdAt: dateTime,
    updatedAt: dateTime,
    ...(ct.options?.draftAndPublish || major === 5 ? { publishedAt: withNull(dateTime) } : {}),
    ...(ct.pluginOptions?.i18n?.localized ? { locale: str } : {}),
  };
  const props = { ...mapAttrs(visible(ct.attributes), (a) => outputAttribute(major, a, byUid)), ...system };
  const inputProps = {
    ...mapAttrs(Object.entries(ct.attributes), (a) => inputAttribute(major, a)),
    ...(ct.options?.draftAndPublish ? { publishedAt: withNull(dateTime) } : {}),
    ...(system.locale ? { locale: str } : {}),
  };
  const required = Object.entries(ct.attributes).filter(([, a]) => a.required).map(([n]) => n);
  const entity = entityRef(major, name);
  return {
    ...entitySchemas(major, name, props, []),
    [`${name}Input`]: { type: 'object', properties: inputProps, required, additionalProperties: false },
    [`${name}PartialInput`]: { type: 'object', properties: inputProps, additionalProperties: false, description: 'Only the attributes sent change.' },
    [`${name}Request`]: object({ data: ref(`${name}Input`) }),
    [`${name}UpdateRequest`]: object({ data: ref(`${name}PartialInput`) }),
    [`${name}Response`]: object({ data: entity, meta: { type: 'object' } }),
    [`${name}ListResponse`]: object({ data: { type: 'array', items: entity }, meta: object({ pagination: ref('Pagination') }) }),
  };
}

function contentTypePaths(major: Major, ct: ContentType): Part['paths'] {
  const name = documentSchemaName(ct);
  const v5 = major === 5;
  const act = (a: string) => `${ct.uid}.${a}`;
  const op = (a: string, operationId: string, summary: string, rest: Partial<Operation>): Operation => ({
    operationId,
    summary,
    tags,
    security: anyCaller,
    'x-strapi-action': act(a),
    'x-strapi-content-type': ct.uid,
    responses: {},
    ...rest,
  });
  const read = [queryParams.fields, queryParams.populate, publicationParam(major), queryParams.locale];
  const one = jsonContent(ref(`${name}Response`), `One ${ct.info.singularName}.`);
  const created: Record<string, Schema> = { [v5 ? 201 : 200]: jsonContent(ref(`${name}Response`), v5 ? 'Created (published unless `status=draft`).' : 'Created (published unless `data.publishedAt` is null).') };
  const deleted: Record<string, Schema> = v5 ? { 204: { description: 'Deleted (also answered when it did not exist).' } } : { 200: jsonContent(ref(`${name}Response`), 'The deleted entry.') };
  const write = v5 ? [queryParams.fields, queryParams.populate, publicationParam(5), queryParams.locale] : [queryParams.fields, queryParams.populate, queryParams.locale];
  const singular = camel(ct.info.singularName);
  if (ct.kind === 'singleType') {
    return {
      [`/api/${ct.info.singularName}`]: {
        get: op('find', `${singular}Find`, `Get the ${ct.info.singularName} single type`, { parameters: read, responses: { 200: one, ...errors([400, 401, 403, 404]) } }),
        put: op('update', `${singular}Update`, `Create or update the ${ct.info.singularName} single type`, { parameters: write, requestBody: jsonBody(ref(`${name}UpdateRequest`)), responses: { 200: one, ...errors([400, 401, 403, 413]) } }),
        // v5 validates the query; v4 hands it to the entity service, which fails on what the emulator refuses with a 400.
        delete: op('delete', `${singular}Delete`, `Delete the ${ct.info.singularName} single type`, { parameters: [queryParams.locale], responses: { ...deleted, ...errors([400, 401, 403, 404]) } }),
      },
    };
  }
  const plural = camel(ct.info.pluralName);
  const id = documentIdParam(major);
  return {
    [`/api/${ct.info.pluralName}`]: {
      get: op('find', `${plural}Find`, `List ${ct.info.pluralName}`, {
        parameters: [queryParams.filters, queryParams.sort, queryParams.pagination, ...read],
        responses: { 200: jsonContent(ref(`${name}ListResponse`), `A page of ${ct.info.pluralName}.`), ...errors([400, 401, 403]) },
      }),
      post: op('create', `${plural}Create`, `Create a ${ct.info.singularName}`, {
        parameters: write,
        requestBody: jsonBody(ref(`${name}Request`)),
        responses: { ...created, ...errors([400, 401, 403, 413]) },
      }),
    },
    [`/api/${ct.info.pluralName}/{id}`]: {
      get: op('findOne', `${plural}FindOne`, `Get a ${ct.info.singularName}`, { parameters: [id, ...read], responses: { 200: one, ...errors([400, 401, 403, 404]) } }),
      put: op('update', `${plural}Update`, `Update a ${ct.info.singularName}`, {
        parameters: [id, ...write],
        requestBody: jsonBody(ref(`${name}UpdateRequest`)),
        responses: { 200: one, ...errors([400, 401, 403, 404, 413]) },
      }),
      delete: op('delete', `${plural}Delete`, `Delete a ${ct.info.singularName}`, {
        parameters: [id, ...(v5 ? [publicationParam(5), queryParams.locale] : [queryParams.locale])],
        // The core controller validates the query before deleting.
        responses: { ...deleted, ...errors(v5 ? [400, 401, 403] : [400, 401, 403, 404]) },
      }),
    },
  };
}

export function documents(major: Major, schemas: StrapiSchemas): Part {
  const byUid = new Map(schemas.contentTypes.map((ct) => [ct.uid, ct]));
  const part: Part = {
    paths: {},
    schemas: {
      Pagination: {
        type: 'object',
        description: '`{page,pageSize,pageCount,total}` or `{start,limit,total}`; `withCount=false` drops the counts.',
        properties: { page: int, pageSize: int, pageCount: int, total: int, start: int, limit: int },
        additionalProperties: false,
      },
    },
  };
  if (major === 4) Object.assign(part.schemas, v4UserSchemas(userExtensionSchemas(4, schemas, false)));
  for (const component of schemas.components) Object.assign(part.schemas, componentSchemas(major, component, byUid));
  for (const ct of schemas.contentTypes) {
    Object.assign(part.schemas, contentTypeSchemas(major, ct, byUid));
    Object.assign(part.paths, contentTypePaths(major, ct));
  }
  return part;
}
