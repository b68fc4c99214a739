// Small helpers for writing OpenAPI 3.1 fragments in TypeScript: the spec is built by code so
// that the v4 and v5 documents come from one source, with the major as a parameter.

export type Major = 4 | 5;
export type Schema = { [key: string]: unknown };
export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Schema[];
  requestBody?: Schema;
  responses: Record<string, Schema>;
  /** The Strapi permission action the route checks (`plugin::users-permissions.auth.callback`). */
  'x-strapi-action'?: string;
  /** Set on routes behind users-permissions' rateLimit middleware. */
  'x-strapi-rate-limit'?: boolean;
  [vendor: `x-${string}`]: unknown;
};
export type PathItem = Partial<Record<'get' | 'post' | 'put' | 'delete', Operation>> & { parameters?: Schema[] };
export type Part = { paths: Record<string, PathItem>; schemas: Record<string, Schema> };

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
export const str: Schema = { type: 'string' };
export const int: Schema = { type: 'integer' };
export const bool: Schema = { type: 'boolean' };
export const dateTime: Schema = { type: 'string', format: 'date-time' };

export function object(properties: Record<string, Schema>, required: string[] = Object.keys(properties), extra: Schema = {}): Schema {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}

export function jsonContent(schema: Schema, description: string, headers?: Record<string, Schema>): Schema {
  return { description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } } };
}

export function jsonBody(schema: Schema, required = true): Schema {
  return { required, content: { 'application/json': { schema } } };
}

export const pathId = (name: string, schema: Schema, description: string): Schema => ({ name, in: 'path', required: true, schema, description });

export function merge(...parts: Part[]): Part {
  const out: Part = { paths: {}, schemas: {} };
  for (const part of parts) {
    for (const [path, item] of Object.entries(part.paths)) {
      if (out.paths[path]) throw new Error(`spec: path ${path} is defined twice`);
      out.paths[path] = item;
    }
    for (const [name, schema] of Object.entries(part.schemas)) {
      if (out.schemas[name]) throw new Error(`spec: schema ${name} is defined twice`);
      out.schemas[name] = schema;
    }
  }
  return out;
}
