// Builds the OpenAPI 3.1 documents, one per Strapi major, from the shared parts and the
// content types. `tsx spec/build.ts` writes spec/dist/strapi-v4.json and strapi-v5.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StrapiSchemas, loadStrapiSchemas } from './content-types.js';
import { type Major, merge } from './openapi.js';
import { adminApi } from './parts/admin.js';
import { control, guarded } from './parts/control.js';
import { documents, userExtensionSchemas } from './parts/documents.js';
import { i18n } from './parts/i18n.js';
import { addBodyParserErrors, addCrashAnswers, errorSchemas } from './parts/errors.js';
import { upload } from './parts/upload.js';
import { usersPermissions } from './parts/users-permissions.js';

// `../spec/` rather than this file's folder: it also resolves from the bundled dist/*.js (one level down too).
export const specDir = fileURLToPath(new URL('../spec/', import.meta.url)).replace(/[\\/]$/, '');
export const defaultContentTypesDir = join(specDir, 'content-types');
export const majors: Major[] = [4, 5];

export type OpenApiDocument = ReturnType<typeof buildSpec>;

export function buildSpec(major: Major, schemas: StrapiSchemas = loadStrapiSchemas([defaultContentTypesDir])) {
  const { paths, schemas: componentSchemas } = merge(usersPermissions(major, userExtensionSchemas(major, schemas, true)), upload(major), documents(major, schemas), i18n(major, schemas), adminApi(major), control(major));
  addBodyParserErrors(paths as Record<string, Record<string, unknown>>);
  // Every /_emulator route, whichever part declares it, answers the control guard's refusals.
  guarded(paths as Parameters<typeof guarded>[0]);
  addCrashAnswers(paths as Record<string, Record<string, unknown>>);
  return {
    openapi: '3.1.0',
    info: {
      title: `Strapi v${major} content API`,
      version: major === 5 ? '5.54.0' : '4.26.2',
      description:
        `The Strapi v${major} REST API as real Strapi ${major === 5 ? '5.54.0' : '4.26.2'} answers it: users-permissions, upload, and the documents of ` +
        `${schemas.contentTypes.map((c) => c.uid).join(', ') || 'no content type'}. Where real Strapi and its docs disagree, this follows real Strapi.`,
    },
    servers: [{ url: 'http://127.0.0.1:1337' }],
    tags: [
      { name: 'users-permissions', description: 'Auth, users, roles and permissions (the users-permissions plugin).' },
      { name: 'upload', description: 'The media library (the upload plugin).' },
      { name: 'documents', description: 'Content types, from their schema.json.' },
      { name: 'i18n', description: 'Locales (the i18n plugin).' },
      { name: 'admin', description: 'The admin panel API: admins, admin roles, API tokens, webhooks (admin JWTs only).' },
    ],
    'x-strapi-major': major,
    paths,
    components: {
      securitySchemes: {
        jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A users-permissions JWT (HS256, `{id, iat, exp}`).' },
        apiToken: { type: 'http', scheme: 'bearer', description: 'An API token (read-only, full-access or custom).' },
        adminJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An admin panel JWT (admin.auth.secret): v4 `{id}`, v5 a session access token `{userId, sessionId, type}`.' },
      },
      schemas: { ...errorSchemas, ...componentSchemas },
    },
  };
}

export function writeSpecs(outDir: string, schemas?: StrapiSchemas): string[] {
  mkdirSync(outDir, { recursive: true });
  return majors.map((major) => {
    const file = join(outDir, `strapi-v${major}.json`);
    writeFileSync(file, JSON.stringify(buildSpec(major, schemas), null, 2) + '\n');
    return file;
  });
}

// Compared with the source's own path, not import.meta.url: inside a bundle (dist/server.js) every
// module shares the bundle's URL, and this would run on every start.
if (process.argv[1] && resolve(process.argv[1]) === join(specDir, 'build.ts')) {
  for (const file of writeSpecs(join(specDir, 'dist'))) console.log(`wrote ${file}`);
}
