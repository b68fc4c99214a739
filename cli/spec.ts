// `strapi-emulator spec` and `generate`: the OpenAPI document of a project (its content types and
// components; the default article without --project), as the emulator serves it at /openapi.json.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildSpec, defaultContentTypesDir } from '../spec/build.js';
import { loadStrapiSchemas } from '../spec/content-types.js';
import { customFieldFlags, projectSource } from '../emulator/server.js';
import { UsageError, majorOf, parseArgs, text } from './args.js';

export const specUsage = `usage: strapi-emulator spec [--project PATH] [--strapi 4|5] [--out FILE] [--custom-field UID=TYPE]…

Prints the OpenAPI 3.1 document of the Strapi REST API the emulator serves for that project
(users-permissions, upload and the project's content types; the default article without
--project), or writes it to FILE. It is what GET /openapi.json answers on \`serve --project PATH\`.`;

export const generateUsage = `usage: strapi-emulator generate --out DIR [--project PATH] [--strapi 4|5] [--custom-field UID=TYPE]…

Writes a typed client for that project's API into DIR: DIR/openapi.json (the spec),
DIR/sdk (a @hey-api/openapi-ts fetch client: one typed function per operation) and
DIR/paths.ts (openapi-typescript path types). DIR must be new, empty or a previous output.`;

export function projectSpec(argv: string[]) {
  // --custom-field may repeat: parseArgs takes each flag once, so those are read first.
  const customFieldValues: string[] = [];
  const rest = argv.filter((arg, i) => {
    if (arg.startsWith('--custom-field=')) return !customFieldValues.push(arg.slice('--custom-field='.length));
    if (arg === '--custom-field') return !customFieldValues.push(argv[i + 1] ?? '');
    return argv[i - 1] !== '--custom-field';
  });
  const { flags, positionals } = parseArgs(rest, ['project', 'strapi', 'out']);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const project = text(flags, 'project');
  const dirs = project ? [projectSource(project)] : [defaultContentTypesDir];
  const schemas = loadStrapiSchemas(dirs, { customFields: customFieldFlags(customFieldValues) });
  for (const line of schemas.warnings ?? []) console.error(`warning: ${line}`);
  return { spec: buildSpec(majorOf(flags), schemas), out: text(flags, 'out') };
}

export function specCommand(argv: string[]): void {
  const { spec, out } = projectSpec(argv);
  const json = `${JSON.stringify(spec, null, 2)}\n`;
  if (!out) {
    // `spec | head` closes the pipe early: that is the reader's choice, not an error.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
    process.stdout.write(json);
    return;
  }
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, json);
  console.error(`wrote ${out} (OpenAPI ${spec.openapi}, ${Object.keys(spec.paths).length} paths)`);
}

/** A previous `generate` output, or nothing at all: the only folders generate may empty. */
function safeToReplace(dir: string): boolean {
  if (!existsSync(dir)) return true;
  const names = readdirSync(dir);
  return names.length === 0 || (names.includes('openapi.json') && names.every((n) => ['openapi.json', 'sdk', 'paths.ts'].includes(n)));
}

export async function generateCommand(argv: string[]): Promise<void> {
  const { spec, out } = projectSpec(argv);
  if (!out) throw new UsageError('generate needs --out DIR');
  if (!safeToReplace(out)) throw new UsageError(`--out ${out}: the folder has other files (generate writes openapi.json, sdk/ and paths.ts into a folder of its own)`);
  let generateClient: typeof import('../clients/generate.js').generateClient;
  try {
    ({ generateClient } = await import('../clients/generate.js'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new UsageError('generate needs @hey-api/openapi-ts and openapi-typescript (devDependencies of strapi-emulator): npm install -D @hey-api/openapi-ts@0.95.0 openapi-typescript@7.13.0');
  }
  const tmp = mkdtempSync(join(tmpdir(), 'strapi-emulator-spec-'));
  try {
    const specFile = join(tmp, 'openapi.json');
    const json = `${JSON.stringify(spec, null, 2)}\n`;
    writeFileSync(specFile, json);
    await generateClient(specFile, out, 'openapi.json');
    writeFileSync(join(out, 'openapi.json'), json);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`wrote ${out}/openapi.json, ${out}/sdk/ and ${out}/paths.ts (${Object.keys(spec.paths).length} paths)`);
}
