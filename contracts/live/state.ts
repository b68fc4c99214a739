// The state of a real Strapi booted by the harness, read from its SQLite database (the run
// dir's data.db) with the better-sqlite3 of the cached install: every table's rows. Used to show
// that a run against the instance left it as it found it.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { installDirFor } from './harness.js';

/**
 * What changes without any write of the caller's: sqlite's id counters (a create and its delete
 * move them on for good) and the API token's `last_used_at`, which Strapi stamps on use.
 */
const VOLATILE: Record<string, string[]> = { strapi_api_tokens: ['last_used_at', 'updated_at'] };
const SKIPPED_TABLES = new Set(['sqlite_sequence']);
/** Rows Strapi rewrites on its own: the upload plugin's weekly metrics cron stamps its row about a minute after boot. */
const SKIPPED_ROWS: Record<string, (row: Record<string, unknown>) => boolean> = { strapi_core_store_settings: (row) => row.key === 'plugin_upload_metrics' };

export type DbState = Record<string, unknown[]>;

type Db = { prepare(sql: string): { all(): Array<Record<string, unknown>> }; close(): void };

export function readState(dbFile: string, major: 4 | 5): DbState {
  const Database = createRequire(join(installDirFor(major), 'package.json'))('better-sqlite3') as new (file: string, opts: { readonly: boolean; fileMustExist: boolean }) => Db;
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const state: DbState = {};
    for (const { name } of db.prepare("select name from sqlite_master where type = 'table' order by name").all() as Array<{ name: string }>) {
      if (SKIPPED_TABLES.has(name)) continue;
      const drop = VOLATILE[name] ?? [];
      state[name] = db
        .prepare(`select * from "${name.replace(/"/g, '""')}" order by rowid`)
        .all()
        .filter((row) => !SKIPPED_ROWS[name]?.(row))
        .map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !drop.includes(k)).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('base64') : v])));
    }
    return state;
  } finally {
    db.close();
  }
}

/** The tables whose rows differ, each with the rows only before and only after (at most 5 each). */
export function stateChanges(before: DbState, after: DbState): Record<string, { gone: unknown[]; added: unknown[] }> {
  const out: Record<string, { gone: unknown[]; added: unknown[] }> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = (before[table] ?? []).map((r) => JSON.stringify(r));
    const b = (after[table] ?? []).map((r) => JSON.stringify(r));
    const gone = a.filter((r) => !b.includes(r));
    const added = b.filter((r) => !a.includes(r));
    if (gone.length || added.length) out[table] = { gone: gone.slice(0, 5).map((r) => JSON.parse(r)), added: added.slice(0, 5).map((r) => JSON.parse(r)) };
  }
  return out;
}
