// What `npm start` / `strapi-emulator serve` prints once it listens: which Strapi, which project,
// what it serves and holds, how to call it and where the inspector is. The first line stays
// `Strapi vN emulator listening on URL` (scripts and tests read the URL from it).
import { strapiVersions } from '../config.js';
import { contentOf } from '../documents/state.js';
import { localesOf } from '../i18n/locales.js';
import { documentCount } from '../inspector/documents.js';
import type { Emulator } from '../index.js';
import { decryptAccessKey } from '../store/api-token-keys.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The lines under the first one: everything but the URL line and the control-token lines. */
export function bannerLines(emulator: Pick<Emulator, 'major' | 'store' | 'project'>, opts: { inspector?: string; quiet?: boolean; watch?: boolean } = {}): string[] {
  const { store } = emulator;
  const content = contentOf(store);
  const types = content.registry.contentTypes.map((model) => ({ model, documents: documentCount(content, model) }));
  const documents = types.reduce((n, t) => n + t.documents, 0);
  const locales = localesOf(store)?.list() ?? [];
  const tokens = store.apiTokens.all();
  const lines = [
    `  Strapi ${strapiVersions[emulator.major]} · ${emulator.project ? `project ${emulator.project.root}` : 'no project: the default content types'}`,
    `  content types: ${types.length ? types.map(({ model, documents: n }) => `${model.uid} (${model.kind === 'singleType' ? 'single type, ' : ''}${plural(n, 'document')})`).join(', ') : 'none'}`,
    `  locales: ${locales.map((l) => `${l.code}${l.isDefault ? ' (default)' : ''}`).join(', ') || 'none'}`,
    `  seeded: ${plural(store.roles.size, 'role')}, ${plural(store.users.size, 'user')}, ${plural(tokens.length, 'API token')}, ${plural(documents, 'document')}, ${plural(content.files.files.size, 'file')}`,
  ];
  // The store keeps a hash; the bearer value comes back from its encrypted copy (seeded tokens
  // always have one; a v4 token made through the admin API was shown once, as Strapi does).
  for (const t of tokens) {
    const key = t.encryptedKey ? decryptAccessKey(store.encryptionKey, t.encryptedKey) : null;
    lines.push(`  API token ${JSON.stringify(t.name)} (${t.type}): ${key ? `Authorization: Bearer ${key}` : 'its key was shown once, when it was created'}`);
  }
  if (opts.inspector) lines.push(`  inspector: ${opts.inspector}`);
  lines.push(`  request log: ${opts.quiet ? 'off (--quiet)' : 'one line per request, as Strapi prints it (--quiet to silence)'}`);
  if (opts.watch) lines.push('  watching the schemas and config for changes (--watch)');
  return lines;
}
