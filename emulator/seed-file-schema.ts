// The JSON Schema of seed files (spec/seed-file.schema.json), made from the very zod schemas
// parseSeed checks entries with, so editors' completion and the reader cannot drift apart
// (seed-file-schema.test.ts fails when the committed file is stale). Write it with
// `npx tsx emulator/seed-file-schema.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { entry } from './seed-file.js';

export const seedSchemaFile = fileURLToPath(new URL('../spec/seed-file.schema.json', import.meta.url));

const section = (schema: z.ZodMiniType, description: string) => {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  return { type: 'array', description, items: json };
};

const attributes = { type: 'object', description: "A document's attributes as the content API's `data` takes them (`locale` names a localized entry's locale)." };

export function seedFileJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'strapi-emulator seed file',
    description: 'Roles, users, API tokens, locales and documents written on top of a fresh emulator (`--seed FILE`, `setupStrapiEmulator({ seed })`), in this order. Every key is optional; keys starting with `$` are ignored.',
    type: 'object',
    properties: {
      $schema: { type: 'string', description: 'This schema, for editors.' },
      roles: section(entry.roles, 'Roles to add, with the actions they may call ("api::article.article.find").'),
      users: section(entry.users, 'Users to add; `role` is a role id, a role type (e.g. "editor") or null. Usernames and emails must be unique.'),
      apiTokens: section(entry.apiTokens, 'API tokens, with the exact value clients send as `Authorization: Bearer <accessKey>`.'),
      locales: {
        type: 'array',
        description: 'i18n locales to add, written before the documents.',
        items: { anyOf: [{ type: 'string', description: 'A locale code like "fr".' }, { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, isDefault: { type: 'boolean' } }, required: ['code'], additionalProperties: false }] },
      },
      documents: {
        type: 'object',
        description: 'Content type uid → its entries: a list for a collection type, one object (or a list of one) for a single type.',
        additionalProperties: { anyOf: [{ type: 'array', items: attributes }, attributes] },
      },
    },
    patternProperties: { '^\\$': {} },
    additionalProperties: false,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(seedSchemaFile, `${JSON.stringify(seedFileJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${seedSchemaFile}`);
}
