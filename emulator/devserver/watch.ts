// `--watch`: rebuilds the emulator when a file it was built from changes (a project's src/ and
// config/, the --content-types folders, the seed and hooks files), moves the world over
// (carry-over.ts) and swaps it in behind the listening socket. A rebuild that fails — a schema
// half-edited, a JSON syntax error — keeps the last good world serving and prints why.
import { type FSWatcher, existsSync, watch } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { Emulator } from '../index.js';
import { carryOver } from './carry-over.js';

export type Reloader = {
  /** The emulator serving now. */
  current(): Emulator;
  /** Rebuilds now (what a change triggers, after the debounce); resolves once swapped or refused. */
  reload(why?: string): Promise<boolean>;
  close(): void;
};

/** Files that can change the world: schemas, config and code (not editor swap files or the sqlite of a real Strapi). */
const relevant = (name: string) => /\.(json|[cm]?[jt]s)$/i.test(name) && !/(^|[/\\])(\.|node_modules[/\\]|\.tmp[/\\]|build[/\\]|dist[/\\])/.test(name);

/** A path as the log names it: relative when under the working directory. */
const shown = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
};

export function watchAndReload(opts: {
  first: Emulator;
  /** Builds, seeds and readies a fresh emulator from the files as they are now. */
  build: () => Promise<Emulator>;
  /** Folders and files to watch (missing ones are skipped). */
  paths: string[];
  log: (line: string) => void;
  /** How long changes are gathered into one rebuild (editors write a file in several steps). */
  debounceMs?: number;
  /** Describes a build failure in one line (the server's own wording for the user's mistakes). */
  describe?: (error: unknown) => string | undefined;
}): Reloader {
  let current = opts.first;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let again = false;
  const changed = new Set<string>();
  const watchers: FSWatcher[] = [];

  const rebuild = async (why: string): Promise<boolean> => {
    let next: Emulator;
    try {
      next = await opts.build();
      const lines = await carryOver(current, next);
      current = next;
      opts.log(`reloaded (${why})${lines.length ? '' : ': nothing to carry over changed'}`);
      for (const line of lines) opts.log(`  ${line}`);
      return true;
    } catch (error) {
      const text = opts.describe?.(error) ?? (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      opts.log(`reload failed (${why}), still serving the last good schemas: ${text}`);
      return false;
    }
  };

  const reload = (why = 'requested'): Promise<boolean> => {
    if (running) {
      again = true;
      return running;
    }
    running = rebuild(why).finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void reload('more changes');
      }
    });
    return running;
  };

  const schedule = (file: string) => {
    changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed];
      changed.clear();
      void reload(files.length > 3 ? `${files.length} files changed` : `${files.join(', ')} changed`);
    }, opts.debounceMs ?? 150);
  };

  for (const path of new Set(opts.paths)) {
    if (!existsSync(path)) continue;
    const watcher = watch(path, { recursive: true }, (_event, name) => {
      const file = name ? `${path}/${name}` : path;
      if (relevant(file)) schedule(shown(file));
    });
    watcher.on('error', (error) => opts.log(`watch: ${path}: ${error.message}`));
    watchers.push(watcher);
  }

  return {
    current: () => current,
    reload,
    close: () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
