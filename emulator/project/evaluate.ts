// Runs a file of the user's Strapi project (config/*.ts, src/api/*/routes/*.js, middlewares,
// policies) the way Strapi loads it: ESM or CommonJS, JavaScript or TypeScript (esbuild turns
// each into CommonJS, as Strapi's own TypeScript build does), `export default` or
// `module.exports`, with `require`, `__dirname` and `__filename` of the file itself and
// `@strapi/strapi` answered by the emulator's shim. Everything stays synchronous, so
// createEmulator() can read a project without becoming async.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { transformSync } from 'esbuild';

export class ProjectFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

const loaders = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js' } as const;

/** The first line of an error, without the stack: what a user needs to fix the file. */
export const reasonOf = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0];

/**
 * Evaluates one project file and answers its default export (`export default x`, or
 * `module.exports = x`). `shims` answer `require(name)` for those names.
 */
export function evaluateFile(file: string, shims: Record<string, unknown> = {}): unknown {
  const exported = loadModule(file, shims, new Map()) as { __esModule?: boolean; default?: unknown };
  return exported && exported.__esModule && 'default' in exported ? exported.default : exported;
}

/** `./helpers` of a project file: the file itself, with an extension, or a folder's index. */
function resolveRelative(from: string, name: string): string | undefined {
  const base = resolve(dirname(from), name);
  const candidates = [base, ...sourceExtensions.map((e) => base + e), ...sourceExtensions.map((e) => join(base, `index${e}`))];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** A file's module.exports; relative requires go through here too, so TS and ESM helpers load. */
function loadModule(file: string, shims: Record<string, unknown>, cache: Map<string, unknown>): unknown {
  if (cache.has(file)) return cache.get(file);
  const ext = file.slice(file.lastIndexOf('.')) as keyof typeof loaders;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProjectFileError(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? reasonOf(error)})`);
  }
  if ((ext as string) === '.json') {
    try {
      return JSON.parse(source);
    } catch (error) {
      throw new ProjectFileError(file, `not valid JSON (${reasonOf(error)})`);
    }
  }
  let code: string;
  try {
    code = transformSync(source, { loader: loaders[ext] ?? 'js', format: 'cjs', target: 'node20', sourcefile: file, logLevel: 'silent' }).code;
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location?: { line: number; column: number } }> }).errors?.[0];
    throw new ProjectFileError(file, first ? `syntax error at line ${first.location?.line}:${first.location?.column}: ${first.text}` : reasonOf(error));
  }
  const nodeRequire = createRequire(file);
  const require = (name: string) => {
    if (name in shims) return shims[name];
    if (name.startsWith('.') || name.startsWith('/')) {
      const found = resolveRelative(file, name);
      if (found && !found.endsWith('.node')) return loadModule(found, shims, cache);
    }
    return nodeRequire(name);
  };
  const module = { exports: {} as Record<string, unknown> };
  cache.set(file, module.exports);
  try {
    new Function('exports', 'require', 'module', '__filename', '__dirname', code)(module.exports, require, module, file, dirname(file));
  } catch (error) {
    if (error instanceof ProjectFileError) throw error;
    throw new ProjectFileError(file, `throws when loaded (${reasonOf(error)})`);
  }
  cache.set(file, module.exports);
  return module.exports;
}

/** The first of `<base>.<ext>` that exists, in the order Strapi tries them. */
export const sourceExtensions = ['.js', '.ts', '.cjs', '.mjs', '.json'];
