import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { StrapiCrash, YupValidationError } from '../http/errors.js';
import { type ObjectSchema, validate } from '../http/yup.js';
import * as s from './validation.js';

type Case = { schema: string; body: unknown; v4: unknown; v5: unknown };
const golden = JSON.parse(readFileSync(new URL('./validation.golden.json', import.meta.url), 'utf8')) as { cases: Case[] };

const schemaFor = (name: string, major: 4 | 5): ObjectSchema =>
  ({
    register: () => s.registerSchema(major),
    reset: () => s.resetPasswordSchema(major),
    change: () => s.changePasswordSchema(major),
    forgot: s.forgotPasswordSchema,
    callback: s.callbackSchema,
    createUser: () => s.createUserSchema(major),
    updateUser: () => s.updateUserSchema(major),
    confirm: s.emailConfirmationSchema,
  })[name]!();

function answer(schema: ObjectSchema, body: unknown, major: 4 | 5): unknown {
  try {
    validate(schema, body, major);
    return null;
  } catch (e) {
    if (e instanceof YupValidationError) return JSON.parse(JSON.stringify({ message: e.message, details: e.details }));
    // Where Strapi's validator itself crashes, the emulator answers the same 500 (StrapiCrash).
    if (e instanceof StrapiCrash) return 'crash';
    throw e;
  }
}

describe.each([4, 5] as const)('v%i request validation answers exactly as Strapi’s own validators', (major) => {
  test.each(golden.cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const real = c[`v${major}`] as { thrown?: string } | null;
    expect(answer(schemaFor(c.schema, major), c.body, major)).toEqual(real && 'thrown' in real ? 'crash' : real);
  });
});
