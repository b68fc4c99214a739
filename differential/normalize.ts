// What differs between two Strapis for no behavioural reason, replaced by placeholders before
// answers are compared: database ids, timestamps Strapi writes itself, JWTs, upload hashes and
// the URLs built from them. documentIds are not blanked: one the emulator answered is read as
// the instance's documentId it stands for (IdMap), so a relation to the wrong document still
// shows. Dates the client wrote (a `datetime` attribute) and every list's order are left as
// they are: they are behaviour.
import type { IdMap } from './mapping.js';

/** Timestamps Strapi sets on its own (a client never writes them). */
const STAMPS = new Set(['createdAt', 'updatedAt', 'publishedAt', 'firstPublishedAt', 'lastUsedAt']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/;
const UPLOAD = /^((?:https?:\/\/[^/]+)?\/uploads\/)([^/?#]+?)(\.[A-Za-z0-9]+)?$/;

export type Side = 'reference' | 'candidate';

/** A copy of `value` with the volatile parts replaced; `side` says whose documentIds they are. */
export function normalize(value: unknown, side: Side, ids?: IdMap, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, side, ids, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v, side, ids, k);
    return out;
  }
  if (typeof value === 'number' && key === 'id') return '<id>';
  // How many users a role has counts the instance's own users too, which the emulator never had.
  if (typeof value === 'number' && key === 'nb_users') return '<count>';
  if (typeof value !== 'string') return value;
  if (key === 'documentId') {
    const known = side === 'candidate' ? ids?.referenceDocument(value) : ids?.hasReferenceDocument(value) ? value : undefined;
    return known ?? '<documentId>';
  }
  if (key && STAMPS.has(key) && ISO.test(value)) return '<date>';
  if (JWT.test(value)) return '<jwt>';
  if (key === 'hash') return '<hash>';
  if (key === 'folderPath') return '<folderPath>';
  const upload = UPLOAD.exec(value);
  if (upload) return `/uploads/<hash>${upload[3] ?? ''}`;
  return value;
}
