// `--watch`: the world of the emulator a schema edit replaced, moved into the one built from the
// new schemas, as Strapi's schema sync treats its database on restart: a content type that is
// gone loses its table, an attribute that is gone its column, an attribute that is new is added
// with its `default` (null without one); users, roles, tokens, files, webhooks stay. What is
// dropped is said in a line, never silently.
import type { Emulator } from '../index.js';
import { contentOf } from '../documents/state.js';
import type { ModelDef } from '../documents/models.js';
import { requestLogOf } from '../inspector/log.js';
import { SnapshotError } from '../store/snapshot-schema.js';
import type { StoreSnapshot } from '../store/store.js';

type Tables = Record<string, { nextId: number; rows: Array<Record<string, unknown>> }>;

const tablesOf = (snapshot: StoreSnapshot): Tables | undefined => (snapshot.extensions?.content as { documents?: { tables?: Tables } } | undefined)?.documents?.tables;

const byUid = (models: ModelDef[]) => new Map(models.map((m) => [m.uid, m]));

/** Moves `from`'s world into `to` (built from the new schemas); returns the lines that say what changed. */
export async function carryOver(from: Emulator, to: Emulator): Promise<string[]> {
  await to.ready;
  const lines: string[] = [];
  const snapshot = from.store.snapshot();
  const tables = tablesOf(snapshot) ?? {};
  // A snapshot shares the store's frozen rows (it does not clone the world): edit copies.
  for (const uid of Object.keys(tables)) tables[uid] = { ...tables[uid], rows: tables[uid].rows.map((row) => ({ ...row })) };
  const before = byUid(contentOf(from.store).registry.contentTypes);
  const after = byUid(contentOf(to.store).registry.contentTypes);
  for (const [uid, model] of before) {
    const rows = tables[uid]?.rows.length ?? 0;
    const next = after.get(uid);
    if (!next) {
      lines.push(`content type ${uid} removed: its ${rows} stored rows dropped`);
      delete tables[uid];
      continue;
    }
    const gone = Object.keys(model.attributes).filter((name) => !(name in next.attributes));
    if (gone.length) lines.push(`${uid}: attribute${gone.length > 1 ? 's' : ''} ${gone.join(', ')} removed${rows ? ` (dropped from ${rows} rows)` : ''}`);
    const added = Object.entries(next.attributes).filter(([name]) => !(name in model.attributes));
    for (const [name, attribute] of added) {
      const fallback = (attribute as { default?: unknown }).default;
      lines.push(`${uid}: attribute ${name} added${rows && fallback !== undefined ? ` (${rows} rows get its default ${JSON.stringify(fallback)})` : ''}`);
      if (fallback !== undefined) for (const row of tables[uid]?.rows ?? []) if (!(name in row)) row[name] = structuredClone(fallback);
    }
  }
  for (const uid of after.keys()) if (!before.has(uid)) lines.push(`content type ${uid} added`);
  // What no longer fits (an attribute whose type changed, a new required one…): the value is
  // dropped (its default, if any, takes its place); a table that still does not fit starts empty.
  for (let pass = 0; ; pass++) {
    try {
      await to.store.restore(snapshot);
      break;
    } catch (error) {
      if (!(error instanceof SnapshotError) || pass > 2) throw error;
      const issues = error.issues.filter((i) => i.path[0] === 'extensions' && i.path[1] === 'content' && i.path[3] === 'tables');
      if (!issues.length || issues.length < error.issues.length) throw error;
      const dropped = new Map<string, Map<string, { rows: number; why: string }>>();
      for (const issue of issues) {
        const [, , , , uid, rowsKey, at, name] = issue.path as [string, string, string, string, string, string, number, string | undefined];
        const row = rowsKey === 'rows' && typeof at === 'number' ? tables[uid]?.rows[at] : undefined;
        const attribute = name !== undefined ? after.get(uid)?.attributes[name] : undefined;
        if (pass < 2 && row && name !== undefined && attribute) {
          const fallback = (attribute as { default?: unknown }).default;
          if (fallback !== undefined) row[name] = structuredClone(fallback);
          else delete row[name];
          const names = dropped.get(uid) ?? dropped.set(uid, new Map()).get(uid)!;
          const seen = names.get(name) ?? names.set(name, { rows: 0, why: issue.message }).get(name)!;
          seen.rows += 1;
        } else if (tables[uid]) {
          lines.push(`${uid}: its stored rows no longer fit the schema, dropped (${SnapshotError.describe([issue])})`);
          delete tables[uid];
        }
      }
      for (const [uid, names] of dropped) for (const [name, { rows, why }] of names) lines.push(`${uid}: attribute ${name} no longer fits in ${rows} row${rows === 1 ? '' : 's'}, the value dropped (${why})`);
    }
  }
  const log = requestLogOf(to.store);
  const old = requestLogOf(from.store);
  if (log && old) log.adopt(old);
  return lines;
}
