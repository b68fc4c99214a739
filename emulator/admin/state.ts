// The admin panel's own world (admin::user, admin::role, the admin sessions of Strapi 5): a
// store apart from users-permissions, as in Strapi, where admins never appear in /api/users
// and end-users never in /admin/users. It is a Store extension, so snapshot/restore/reset
// and --data cover it. The three roles are the ones Strapi creates on first start.
import * as z from 'zod/mini';
import type { Major } from '../config.js';
import type { Store, StoreExtension } from '../store/store.js';
import { sessionSchema } from '../store/records.js';
import { Table, type TableSnapshot } from '../store/table.js';
import { newDocumentId } from '../users-permissions/user-service.js';

export const adminUserSchema = z.object({
  id: z.int(),
  documentId: z.string(),
  firstname: z.nullable(z.string()),
  lastname: z.nullable(z.string()),
  username: z.nullable(z.string()),
  email: z.string(),
  /** bcrypt hash; null until an invited admin registers. */
  password: z.nullable(z.string()),
  isActive: z.boolean(),
  blocked: z.boolean(),
  preferedLanguage: z.nullable(z.string()),
  registrationToken: z.nullable(z.string()),
  /** admin role ids, in the order they were given. */
  roles: z.array(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.nullable(z.string()),
});

export const adminRoleSchema = z.object({
  id: z.int(),
  documentId: z.string(),
  name: z.string(),
  code: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.nullable(z.string()),
});

export type AdminUserRecord = z.infer<typeof adminUserSchema>;
export type AdminRoleRecord = z.infer<typeof adminRoleSchema>;

/** Strapi's createRolesIfNoneExist, in its order (ids 1, 2, 3). */
export const defaultAdminRoles = [
  { name: 'Super Admin', code: 'strapi-super-admin', description: 'Super Admins can access and manage all features and settings.' },
  { name: 'Editor', code: 'strapi-editor', description: 'Editors can manage and publish contents including those of other users.' },
  { name: 'Author', code: 'strapi-author', description: 'Authors can manage the content they have created.' },
];
export const SUPER_ADMIN = 'strapi-super-admin';

type AdminSnapshot = {
  users: TableSnapshot<AdminUserRecord>;
  roles: TableSnapshot<AdminRoleRecord>;
  sessions: TableSnapshot<z.infer<typeof sessionSchema>>;
};

const tableSnapshot = <T extends z.ZodMiniType>(row: T) => z.strictObject({ nextId: z.int().check(z.minimum(1)), rows: z.array(row) });

export class AdminState implements StoreExtension {
  readonly users = new Table('adminUsers', adminUserSchema);
  readonly roles = new Table('adminRoles', adminRoleSchema);
  /** Strapi 5's admin sessions (origin 'admin'), the same rows as users-permissions' sessions. */
  readonly sessions = new Table('adminSessions', sessionSchema);

  ownTables() {
    return [this.users, this.roles, this.sessions];
  }

  constructor(
    private readonly store: Store,
    readonly major: Major,
  ) {}

  async seedRoles(): Promise<void> {
    const now = this.store.now();
    for (const role of defaultAdminRoles) {
      await this.roles.insert({ documentId: newDocumentId(), ...role, createdAt: now, updatedAt: now, publishedAt: this.major === 5 ? now : null });
    }
  }

  superAdminRole(): AdminRoleRecord | undefined {
    return this.roles.by('code', SUPER_ADMIN)[0];
  }

  hasAdmin(): boolean {
    return this.users.size > 0;
  }

  schema() {
    return z.strictObject({ users: tableSnapshot(adminUserSchema), roles: tableSnapshot(adminRoleSchema), sessions: tableSnapshot(sessionSchema) }).check(
      z.superRefine((s, ctx) => {
        const roleIds = new Set(s.roles.rows.map((r) => r.id));
        s.users.rows.forEach((u, i) => {
          for (const r of u.roles) if (!roleIds.has(r)) ctx.addIssue({ code: 'custom', path: ['users', 'rows', i, 'roles'], message: `no admin role ${r}` });
        });
      }),
    );
  }

  snapshot(): AdminSnapshot {
    return { users: this.users.snapshot(), roles: this.roles.snapshot(), sessions: this.sessions.snapshot() };
  }

  async restore(snapshot: unknown): Promise<void> {
    if (snapshot === undefined) {
      // A snapshot from before the admin API: no admins, Strapi's three roles.
      this.users.clear();
      this.roles.clear();
      this.sessions.clear();
      await this.seedRoles();
      return;
    }
    const s = snapshot as AdminSnapshot;
    await this.users.restore(s.users);
    await this.roles.restore(s.roles);
    await this.sessions.restore(s.sessions);
  }
}

export async function installAdmin(store: Store, major: Major): Promise<AdminState> {
  const state = store.extend('admin', new AdminState(store, major));
  await state.seedRoles();
  return state;
}

export function adminOf(store: Store): AdminState {
  const state = store.extension<AdminState>('admin');
  if (!state) throw new Error('this emulator has no admin state (createEmulator installs it)');
  return state;
}
