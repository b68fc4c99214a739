// `--hooks FILE`: the user's own RequestHooks, to re-express for the emulator what of a
// project's code it does not run (a custom controller, a lifecycle). The file (JS or TS, ESM
// or CommonJS) exports a RequestHook, a list of them, or a function of the emulator answering
// either — the same hooks `emulator.use(hook)` takes.
import { resolve } from 'node:path';
import type { RequestHook } from '../http/app.js';
import { ProjectFileError, evaluateFile } from './evaluate.js';

const isHook = (v: unknown): v is RequestHook => typeof v === 'object' && v !== null && typeof (v as RequestHook).name === 'string' && ['before', 'after'].some((k) => typeof (v as Record<string, unknown>)[k] === 'function');

export function loadHooksFile<E>(file: string, emulator: E): RequestHook[] {
  const path = resolve(file);
  let exported = evaluateFile(path);
  if (typeof exported === 'function') {
    try {
      exported = (exported as (e: E) => unknown)(emulator);
    } catch (error) {
      throw new ProjectFileError(path, `throws when called with the emulator (${(error as Error).message})`);
    }
  }
  const hooks = Array.isArray(exported) ? exported : [exported];
  hooks.forEach((hook, i) => {
    if (!isHook(hook)) throw new ProjectFileError(path, `${Array.isArray(exported) ? `entry ${i}` : 'the default export'} is not a RequestHook ({ name, before?(request, url), after?(exchange) })`);
  });
  return hooks as RequestHook[];
}
