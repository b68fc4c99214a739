// users-permissions' yup schemas (controllers/validation/auth.js and user.js), per major.
import type { Major } from '../config.js';
import { insteadOfStrapiCrash } from '../http/errors.js';
import { type ObjectSchema, array, email, lazy, min, object, required, strapiID, string } from '../http/yup.js';

/** v5: passwords over 72 bytes are refused (bcrypt would ignore the rest). */
const maxBytes = { test: 'custom', run: (v: unknown) => (typeof v === 'string' && v && new TextEncoder().encode(v).length > 72 ? 'Password must be less than 73 bytes' : null) } as const;
const password = (major: Major) => (major === 5 ? string(required, maxBytes) : string(required));
const passwordsMatch = { test: 'oneOfRef', ref: 'password', message: 'Passwords do not match' } as const;

export const callbackSchema = (): ObjectSchema => object({ identifier: string(required), password: string(required) });

export const registerSchema = (major: Major): ObjectSchema => object({ email: string(email, required), username: string(required), password: password(major) });

export const sendEmailConfirmationSchema = (): ObjectSchema => object({ email: string(email, required) });

export const emailConfirmationSchema = (): ObjectSchema => object({ confirmation: string(required) });

export const forgotPasswordSchema = (): ObjectSchema => object({ email: string(email, required) }, { noUnknown: true });

export const resetPasswordSchema = (major: Major): ObjectSchema =>
  major === 5
    ? object({ password: password(5), passwordConfirmation: string(required, passwordsMatch), code: string(required) }, { noUnknown: true })
    : object({ password: string(required), passwordConfirmation: string(required), code: string(required) }, { noUnknown: true });

export const changePasswordSchema = (major: Major): ObjectSchema =>
  object({ password: password(major), passwordConfirmation: string(required, passwordsMatch), currentPassword: string(required) }, { noUnknown: true });

const roleEntry = (major: Major) =>
  major === 5
    ? object(
        { id: strapiID(), documentId: strapiID() },
        { tests: [(e) => ((e as { id?: unknown }).id != null || (e as { documentId?: unknown }).documentId != null ? null : 'Relation entry must include an id or documentId')] },
      )
    : object({ id: strapiID(required) });

export const createUserSchema = (major: Major): ObjectSchema =>
  object({
    email: string(email, required),
    username: string(min(1), required),
    password: string(min(1), required),
    role: lazy((value) =>
      typeof value === 'object'
        ? object({ connect: array(roleEntry(major), { test: 'min', min: 1, message: 'Users must have a role' }, required) }, { required: true })
        : strapiID(required),
    ),
  });

export const updateUserSchema = (major: Major): ObjectSchema =>
  object({
    email: string(email, min(1)),
    username: string(min(1)),
    password:
      major === 5
        ? { kind: 'mixed', tests: [{ test: 'custom', run: (v) => (v == null || v === '' || (typeof v === 'string' && v.length >= 1) ? null : 'Password must be at least 1 character') }] }
        : string(min(1)),
    role: lazy((value) => {
      if (typeof value !== 'object') return strapiID();
      const connect = (value as { connect?: unknown } | null)?.connect;
      const cannotRemove = {
        test: 'custom',
        run: (disconnect: unknown) => {
          // v4 reads value.connect.length unguarded: without `connect` the validator itself crashes (500).
          if (major === 4 && connect == null) throw insteadOfStrapiCrash('role must be a role id, or an object with a `connect` list');
          const connected = (connect as { length?: number } | undefined)?.length ?? 0;
          return connected === 0 && Array.isArray(disconnect) && disconnect.length > 0 ? 'Cannot remove role' : null;
        },
      } as const;
      // v4 requires both lists; v5 takes either.
      return major === 5
        ? object({ connect: array(roleEntry(5)), disconnect: array(roleEntry(5), cannotRemove) })
        : object({ connect: array(roleEntry(4), required), disconnect: array(undefined, cannotRemove, required) });
    }),
  });
