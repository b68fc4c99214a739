// users-permissions' yup schemas (controllers/validation/auth.js and user.js), per major.
import type { Major } from '../config.js';
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
    ? object({ id: strapiID(), documentId: strapiID() })
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
    role: lazy((value) =>
      typeof value === 'object'
        ? object({ connect: array(roleEntry(major)), disconnect: array(roleEntry(major)) })
        : strapiID(),
    ),
  });
