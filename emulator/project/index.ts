// A Strapi project folder, read as Strapi reads it: src/ content types and components (the
// spec loader), config/ (config.ts), the route code it can run (code.ts). Plugin extensions
// (src/extensions) are left to the plugins' own modules, which read them from `root`.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EmulatorOptions } from '../config.js';
import type { ActionCode } from '../http/app.js';
import { type ProjectConfig, loadProjectConfig } from './config.js';
import { loadProjectCode } from './code.js';
import { ProjectFileError } from './evaluate.js';
import { routeWrapper } from './run.js';

export { ProjectFileError } from './evaluate.js';

export type Project = {
  /** The project's root (where package.json, config/ and src/ are). */
  root: string;
  /** Its src/ (or the root itself for a bare folder of api/ and components/). */
  src: string;
  config: ProjectConfig;
  /** Route policies and middlewares, by action (`api::page.page.find`). */
  actions: Map<string, ActionCode>;
  /** What of the project's code the emulator does not run, one entry each. */
  notEmulated: string[];
  warnings: string[];
};

/** The project's src/ folder; a missing or wrong folder is a ProjectFileError naming it. */
export function projectSrc(root: string): string {
  if (!existsSync(root)) throw new ProjectFileError(root, 'no such folder');
  if (!statSync(root).isDirectory()) throw new ProjectFileError(root, 'not a folder (give the root of a Strapi project)');
  const src = join(root, 'src');
  if (existsSync(src) && statSync(src).isDirectory()) return src;
  if (['api', 'components'].some((d) => existsSync(join(root, d)))) return root;
  throw new ProjectFileError(root, 'no src/ folder (expected a Strapi project with src/api/<name>/content-types/<name>/schema.json)');
}

export function loadProject(dir: string, env: NodeJS.ProcessEnv = process.env): Project {
  const root = resolve(dir);
  const src = projectSrc(root);
  const config = loadProjectConfig(root, env);
  const code = loadProjectCode(src);
  const actions = new Map([...code.routes].map(([action, route]) => [action, routeWrapper(route)]));
  return { root, src, config, actions, notEmulated: code.notEmulated, warnings: [...config.warnings] };
}

/** The project's config under the caller's options: what createEmulator is given explicitly wins. */
export function withProjectConfig(options: EmulatorOptions, project: Project): EmulatorOptions {
  const fromConfig = project.config.options;
  const merged: EmulatorOptions = { ...fromConfig, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  if (fromConfig.rest && options.rest) merged.rest = { ...fromConfig.rest, ...options.rest };
  if (fromConfig.rateLimit && options.rateLimit) merged.rateLimit = { ...fromConfig.rateLimit, ...options.rateLimit };
  if (fromConfig.sessions && options.sessions) merged.sessions = { ...fromConfig.sessions, ...options.sessions };
  // Strapi 4 has no jwtManagement: a project's 'refresh' is a key it never reads.
  if ((merged.strapi ?? 5) === 4 && options.jwtManagement === undefined) delete merged.jwtManagement;
  return merged;
}
