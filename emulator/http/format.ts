// The only module that knows how v4 and v5 answers differ in shape. Users and roles are
// plain objects on both majors; v5 adds documentId and publishedAt. Private fields
// (password, resetPasswordToken, confirmationToken) are never copied out.
import type { Major } from '../config.js';
import type { RoleRecord, UserRecord } from '../store/records.js';

export type Json = Record<string, unknown>;

const userPublicFields = ['username', 'email', 'provider', 'confirmed', 'blocked', 'createdAt', 'updatedAt'] as const;
const rolePublicFields = ['name', 'description', 'type', 'createdAt', 'updatedAt'] as const;

/** The attributes of a user that an answer may carry, in Strapi's column order. */
export function userFieldNames(major: Major): string[] {
  return major === 5 ? [...userPublicFields, 'publishedAt'] : [...userPublicFields];
}

export function roleFieldNames(major: Major): string[] {
  return major === 5 ? [...rolePublicFields, 'publishedAt'] : [...rolePublicFields];
}

function ids(major: Major, record: { id: number; documentId: string }): Json {
  return major === 5 ? { id: record.id, documentId: record.documentId } : { id: record.id };
}

/** A role as it is populated into a user, or listed (without permissions). */
export function formatRole(major: Major, role: RoleRecord, extra: Json = {}): Json {
  const out: Json = ids(major, role);
  for (const f of roleFieldNames(major)) out[f] = role[f as keyof RoleRecord];
  return { ...out, ...extra };
}

/**
 * A user as the content API answers it. `fields` narrows the attributes (id and, on v5,
 * documentId always stay); `role` is added only when it was populated.
 */
/** `names`: the user model's visible scalar attributes in order (a project's extension adds some; default: the plugin's). */
export function formatUser(major: Major, user: UserRecord, opts: { fields?: string[]; role?: RoleRecord | null; names?: string[] } = {}): Json {
  const out: Json = ids(major, user);
  for (const f of opts.names ?? userFieldNames(major)) {
    if (opts.fields && !opts.fields.includes(f)) continue;
    out[f] = (user as Record<string, unknown>)[f] ?? null;
  }
  if (opts.role !== undefined) out.role = opts.role === null ? null : formatRole(major, opts.role);
  return out;
}

// ---------- documents and files ----------

/**
 * A content-API entity: v5 answers it flat, `{id, documentId, ...attributes}`; v4 wraps it
 * as `{id, attributes: {...}}`.
 */
export function formatEntity(major: Major, record: { id: number; documentId?: string }, attributes: Json): Json {
  if (major === 5) return { id: record.id, documentId: record.documentId, ...attributes };
  return { id: record.id, attributes };
}

/** A populated relation or media inside an entity: v5 as is (object, list or null); v4 in `{data: …}`. */
export function formatLink(major: Major, value: Json | Json[] | null): unknown {
  return major === 5 ? value : { data: value };
}

/** A dynamic zone entry: v5 puts `__component` last, v4 right after the id. */
export function formatZoneEntry(major: Major, id: number, component: string, attributes: Json): Json {
  return major === 5 ? { id, ...attributes, __component: component } : { id, __component: component, ...attributes };
}

const fileFields = ['name', 'alternativeText', 'caption', 'focalPoint', 'width', 'height', 'formats', 'hash', 'ext', 'mime', 'size', 'url', 'previewUrl', 'provider', 'provider_metadata', 'createdAt', 'updatedAt', 'publishedAt'] as const;

/** The attributes of a file an answer carries (v4 has no documentId, focalPoint or publishedAt). */
export function fileFieldNames(major: Major): string[] {
  return major === 5 ? [...fileFields] : fileFields.filter((f) => f !== 'focalPoint' && f !== 'publishedAt');
}

/**
 * A file as the upload plugin answers it (flat on both majors). `signed`: the upload routes'
 * own answers carry v5's `isUrlSigned: false`; a media populated into an entry does not.
 */
export function formatFile(major: Major, file: Json & { id: number; documentId?: string }, opts: { fields?: string[]; signed?: boolean } = {}): Json {
  const out: Json = major === 5 ? { id: file.id, documentId: file.documentId } : { id: file.id };
  for (const f of fileFieldNames(major)) {
    if (opts.fields && !opts.fields.includes(f)) continue;
    out[f] = file[f] ?? null;
  }
  if (opts.signed && major === 5) out.isUrlSigned = false;
  return out;
}
