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
export function formatUser(major: Major, user: UserRecord, opts: { fields?: string[]; role?: RoleRecord | null } = {}): Json {
  const out: Json = ids(major, user);
  for (const f of userFieldNames(major)) {
    if (opts.fields && !opts.fields.includes(f)) continue;
    out[f] = user[f as keyof UserRecord];
  }
  if (opts.role !== undefined) out.role = opts.role === null ? null : formatRole(major, opts.role);
  return out;
}
