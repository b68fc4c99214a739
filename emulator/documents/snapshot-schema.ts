// The content part of a snapshot (`extensions.content`), from the loaded models: every row of
// every content type with the attributes its schema has, each holding what the row format of
// documents/state.ts says (scalars as Strapi answers them, relations as documentIds or ids,
// media as file ids, components and dynamic zones as {id, ...attributes}), plus the media
// library's file rows and bytes. A row the handlers would trip on is refused here; content
// types and attributes the loaded schemas no longer have are dropped (Strapi drops their
// tables and columns when a schema loses them), so editing a schema does not lock out a
// --data file.
import * as z from 'zod/mini';
import { id, tableSchema, timestamp } from '../store/snapshot-schema.js';
import { fileSchema, formatSchema } from '../upload/store.js';
import { type Attribute, type ModelDef, type Registry, holdsMany } from './models.js';

const date = (pattern: RegExp, what: string) => z.string().check(z.regex(pattern, `must be ${what}`));
const finite = () => z.number().check(z.refine(Number.isFinite, 'must be a finite number'));

function scalar(a: Attribute): z.ZodMiniType {
  switch (a.type) {
    case 'integer':
      return z.int();
    case 'float':
    case 'decimal':
      return finite();
    case 'biginteger':
      return date(/^-?\d+$/, 'an integer as a string');
    case 'boolean':
      return z.boolean();
    case 'date':
      return date(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2024-01-31');
    case 'time':
      return date(/^\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/, 'a time like 12:30:00.000');
    case 'datetime':
    case 'timestamp':
      return z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date and time'));
    case 'json':
    case 'blocks':
      return z.json();
    case 'enumeration': {
      const values = (a as { enum?: string[] }).enum;
      return values?.length ? z.enum(values as [string, ...string[]]) : z.string();
    }
    default:
      return z.string();
  }
}

/** What a row stores for each attribute of a model (relations, media, components, zones, scalars). */
function attributeSchemas(registry: Registry) {
  const components = new Map<string, z.ZodMiniType>();
  /** {id, ...attributes} of a component (built once, lazily: components nest). */
  const component = (uid: string): z.ZodMiniType => {
    let schema = components.get(uid);
    if (!schema) {
      schema = z.lazy(() => z.object({ id, ...attributes(registry.get(uid)) }));
      components.set(uid, schema);
    }
    return schema;
  };
  const known = registry.components.map((c) => c.uid);
  const attribute = (a: Attribute): z.ZodMiniType => {
    switch (a.type) {
      case 'relation':
      case 'media': {
        const link = a.type === 'media' ? id : z.union([z.string(), id]);
        return holdsMany(a) ? z.array(link) : z.nullable(link);
      }
      case 'component': {
        const c = component((a as { component: string }).component);
        return (a as { repeatable?: boolean }).repeatable ? z.array(c) : z.nullable(c);
      }
      case 'dynamiczone': {
        const allowed = ((a as { components?: string[] }).components ?? []).filter((uid) => known.includes(uid));
        const entry = z.looseObject({ id, __component: allowed.length ? z.enum(allowed as [string, ...string[]]) : z.never() });
        return z.array(
          z.pipe(
            entry.check(
              z.superRefine((value, ctx) => {
                const { __component, ...rest } = value;
                const checked = component(__component).safeParse(rest);
                if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
              }),
            ),
            // Checked above: parsing again only drops the attributes the component no longer has.
            z.transform(({ __component, ...rest }: z.infer<typeof entry>) => ({ __component, ...(component(__component).parse(rest) as object) })),
          ),
        );
      }
      default:
        return z.nullable(scalar(a));
    }
  };
  const attributes = (model: ModelDef): Record<string, z.ZodMiniType> =>
    Object.fromEntries(
      Object.entries(model.attributes)
        .filter(([name]) => !['createdAt', 'updatedAt', 'publishedAt', 'locale'].includes(name))
        .map(([name, a]) => [name, z.optional(attribute(a))]),
    );
  return { attribute, attributes };
}

/** The attributes a project's user extension adds, as a users row holds them (snapshots of users). */
export function userExtensionSchema(registry: Registry): Record<string, z.ZodMiniType> {
  const { attribute } = attributeSchemas(registry);
  return Object.fromEntries(Object.entries(registry.userExtras()).map(([name, a]) => [name, z.optional(attribute(a))]));
}

export function contentSchema(registry: Registry): z.ZodMiniType {
  const { attributes } = attributeSchemas(registry);
  // Not strict: an attribute the schema no longer has is dropped, as Strapi drops its column.
  const row = (model: ModelDef) =>
    z.object({
      id,
      documentId: z.string().check(z.minLength(1)),
      createdAt: timestamp,
      updatedAt: timestamp,
      publishedAt: z.nullable(timestamp),
      ...(model.localized ? { locale: z.optional(z.nullable(z.string())) } : {}),
      ...attributes(model),
    });
  const tables = Object.fromEntries(registry.contentTypes.map((m) => [m.uid, z.optional(tableSchema(row(m) as unknown as z.ZodMiniType<{ id: number }>))]));
  // The table's own row schema, made strict, with ids and timestamps a handler can print.
  const file = z.strictObject({
    ...fileSchema.shape,
    id,
    formats: z.nullable(z.record(z.string(), z.strictObject(formatSchema.shape))),
    size: finite(),
    url: z.string().check(z.startsWith('/', 'must be a path like /uploads/…')),
    provider_metadata: z.nullable(z.record(z.string(), z.json())),
    createdAt: timestamp,
    updatedAt: timestamp,
    publishedAt: z.nullable(timestamp),
  });
  return z.strictObject({
    documents: z.strictObject({
      // A content type the emulator no longer has is dropped, as Strapi drops its table.
      tables: z.object(tables),
      componentIds: z.record(z.string(), id),
      // The inverse sides' own order (links.ts): "<owner>.<attribute>|<target ref>" → owner refs.
      inverseOrder: z.optional(z.record(z.string(), z.array(z.union([id, z.string()])))),
    }),
    upload: z.optional(
      z.strictObject({
        files: tableSchema(file),
        blobs: z.array(z.strictObject({ path: z.string().check(z.startsWith('/')), mime: z.string(), base64: z.base64(), modified: z.optional(z.string()) })),
      }),
    ),
  });
}
