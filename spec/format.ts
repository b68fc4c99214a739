// The v4/v5 difference in response shape, in one place. v5 answers flat documents with a
// `documentId`; v4 wraps every content-api entity as `{id, attributes}` and every populated
// relation or media as `{data: …}`. Plugins' own routes (users, files) are flat on both.
import { type Major, type Schema, int, nullable, object, ref, str } from './openapi.js';

/** Schemas for an entity named `name`: v5 `name` (flat), v4 `nameAttributes` + `nameEntity`. */
export function entitySchemas(major: Major, name: string, props: Record<string, Schema>, required: string[]): Record<string, Schema> {
  if (major === 5) return { [name]: object({ id: int, documentId: str, ...props }, ['id', 'documentId', ...required]) };
  return {
    [`${name}Attributes`]: object(props, required),
    [`${name}Entity`]: object({ id: int, attributes: ref(`${name}Attributes`) }),
  };
}

/** The schema of one entity in a content-api answer. */
export const entityRef = (major: Major, name: string): Schema => (major === 5 ? ref(name) : ref(`${name}Entity`));

/** A populated to-one relation or single media. */
export const toOne = (major: Major, entity: Schema): Schema => (major === 5 ? nullable(entity) : object({ data: nullable(entity) }));

/** A populated to-many relation or multiple media. */
export const toMany = (major: Major, entity: Schema): Schema => {
  const list = { type: 'array', items: entity };
  return major === 5 ? nullable(list) : object({ data: nullable(list) });
};

/** The path parameter that addresses one document: v5 documentId, v4 numeric id. */
export const documentIdParam = (major: Major): Schema =>
  major === 5
    ? { name: 'id', in: 'path', required: true, schema: str, description: 'The documentId (numeric ids are not accepted on v5).' }
    : { name: 'id', in: 'path', required: true, schema: int, description: 'The numeric entry id.' };
