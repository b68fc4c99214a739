// Admin users and roles as the admin API answers them (sanitizeUser, the role lists), the one
// place where v4 and v5 differ: v5 rows carry documentId, publishedAt and locale.
import type { Major } from '../config.js';
import type { AdminRoleRecord, AdminState, AdminUserRecord } from './state.js';

/** A path id as Strapi's sqlite lookup takes it: digits only, anything else finds nothing. */
export const idOf = (raw: string) => (/^\d+$/.test(raw) ? Number(raw) : NaN);

export function formatRoleBrief(role: AdminRoleRecord) {
  return { id: role.id, name: role.name, description: role.description, code: role.code };
}

export function formatAdminUser(state: AdminState, user: AdminUserRecord, opts: { roles?: boolean } = {}) {
  const v5 = state.major === 5;
  return {
    id: user.id,
    ...(v5 ? { documentId: user.documentId } : {}),
    firstname: user.firstname,
    lastname: user.lastname,
    username: user.username,
    email: user.email,
    isActive: user.isActive,
    blocked: user.blocked,
    preferedLanguage: user.preferedLanguage,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    ...(v5 ? { publishedAt: user.publishedAt, locale: null } : {}),
    ...(opts.roles === false ? {} : { roles: user.roles.flatMap((id) => { const r = state.roles.get(id); return r ? [formatRoleBrief(r)] : []; }) }),
  };
}

export function formatAdminRole(state: AdminState, role: AdminRoleRecord, major: Major = state.major) {
  return {
    id: role.id,
    ...(major === 5 ? { documentId: role.documentId } : {}),
    name: role.name,
    code: role.code,
    description: role.description,
    createdAt: role.createdAt,
    updatedAt: role.updatedAt,
    ...(major === 5 ? { publishedAt: role.publishedAt, locale: null } : {}),
    usersCount: state.users.count((u) => u.roles.includes(role.id)),
  };
}
