// The records the emulator keeps, as Standard Schemas (zod) for @msw/data. Field names follow
// Strapi's own models (plugin::users-permissions.user/role/permission, admin::api-token).
// Private fields (password, tokens) live here and never leave through the format layer.
import * as z from 'zod/mini';

const timestamps = {
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Strapi 5 gives every row a publishedAt; the v4 format layer leaves it out. */
  publishedAt: z.nullable(z.string()),
};

/** Loose: a project's user extension adds its own attributes to the row. */
export const userSchema = z.looseObject({
  id: z.int(),
  documentId: z.string(),
  username: z.string(),
  email: z.string(),
  provider: z.string(),
  /** bcrypt hash (`$2a$10$…`), or null for provider users. */
  password: z.nullable(z.string()),
  resetPasswordToken: z.nullable(z.string()),
  confirmationToken: z.nullable(z.string()),
  confirmed: z.boolean(),
  blocked: z.boolean(),
  /** The role id (manyToOne). */
  role: z.nullable(z.int()),
  ...timestamps,
});

export const roleSchema = z.object({
  id: z.int(),
  documentId: z.string(),
  name: z.nullable(z.string()),
  description: z.nullable(z.string()),
  type: z.nullable(z.string()),
  ...timestamps,
});

export const permissionSchema = z.object({
  id: z.int(),
  documentId: z.string(),
  /** `plugin::users-permissions.user.me`, `api::article.article.find`, … */
  action: z.string(),
  role: z.int(),
  ...timestamps,
});

export const apiTokenTypes = ['read-only', 'full-access', 'custom'] as const;
export type ApiTokenType = (typeof apiTokenTypes)[number];

export const apiTokenSchema = z.object({
  id: z.int(),
  name: z.string(),
  description: z.string(),
  type: z.enum(apiTokenTypes),
  /** HMAC-SHA512 of the bearer value with the API token salt, as Strapi stores it (store/api-token-keys.ts). */
  accessKey: z.string(),
  /** Strapi 5: the bearer value encrypted, so GET /admin/api-tokens/:id can show it again. */
  encryptedKey: z.optional(z.nullable(z.string())),
  /** Milliseconds as a string (Strapi's bigint column), null for unlimited. */
  lifespan: z.optional(z.nullable(z.string())),
  /** Actions a `custom` token may call. */
  permissions: z.array(z.string()),
  expiresAt: z.nullable(z.string()),
  lastUsedAt: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A users-permissions session (jwtManagement: 'refresh', Strapi 5). */
export const sessionSchema = z.object({
  id: z.int(),
  sessionId: z.string(),
  userId: z.string(),
  deviceId: z.nullable(z.string()),
  status: z.enum(['active', 'rotated', 'revoked']),
  childId: z.nullable(z.string()),
  expiresAt: z.string(),
  absoluteExpiresAt: z.string(),
  createdAt: z.string(),
  /** What Strapi keeps of the login (loginAt, deviceName from the User-Agent); rotation carries it on. */
  metadata: z._default(z.nullable(z.object({ loginAt: z.optional(z.string()), deviceName: z.optional(z.string()) })), null),
});

export type UserRecord = z.infer<typeof userSchema>;
export type RoleRecord = z.infer<typeof roleSchema>;
export type PermissionRecord = z.infer<typeof permissionSchema>;
export type ApiTokenRecord = z.infer<typeof apiTokenSchema>;
export type SessionRecord = z.infer<typeof sessionSchema>;
