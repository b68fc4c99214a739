import { expect, test } from 'vitest';
import { YupValidationError } from './errors.js';
import { email, min, object, printValue, required, string, validate } from './yup.js';

function issues(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof YupValidationError) return { message: e.message, errors: e.issues };
    throw e;
  }
  throw new Error('no validation error');
}

test('messages of yup 0.32 with Strapi’s notType (no nullable hint)', () => {
  const schema = object({ email: string(email, required), name: string(min(3)) });
  expect(issues(() => validate(schema, { email: 5 })).errors).toEqual([{ path: ['email'], message: 'email must be a `string` type, but the final value was: `5`.', name: 'ValidationError', value: 5 }]);
  expect(issues(() => validate(schema, { email: null })).message).toBe('email must be a `string` type, but the final value was: `null`.');
  expect(issues(() => validate(schema, { email: 'a@b.co', name: 'ab' })).message).toBe('name must be at least 3 characters');
  expect(issues(() => validate(schema, { email: '' })).message).toBe('email is a required field');
  expect(issues(() => validate(schema, [])).message).toBe('this must be a `object` type, but the final value was: `[]`.');
  expect(validate(schema, { email: 'a@b.co' })).toEqual({ email: 'a@b.co' });
});

test('errors are sorted by declared key order, the first key that is a substring of the path winning; oneOf runs with the type check', () => {
  const schema = object(
    {
      password: string(required),
      passwordConfirmation: string(required, { test: 'oneOfRef', ref: 'password', message: 'Passwords do not match' }),
      currentPassword: string(required),
    },
    { noUnknown: true },
  );
  const r = issues(() => validate(schema, { extra: 1 }));
  expect(r.message).toBe('4 errors occurred');
  // The object's own error (path '') sorts after every field.
  expect(r.errors.map((e) => e.path.join('.') || '(root)')).toEqual(['passwordConfirmation', 'password', 'currentPassword', '(root)']);
  expect(r.errors[3].message).toBe('this field has unspecified keys: extra');
  expect(issues(() => validate(schema, { password: 'a', passwordConfirmation: 'b', currentPassword: 'c' })).errors).toEqual([
    { path: ['passwordConfirmation'], message: 'Passwords do not match', name: 'ValidationError', value: 'b' },
  ]);
  expect(issues(() => validate(schema, { password: 'a', passwordConfirmation: null, currentPassword: 'c' })).errors.map((e) => e.message)).toEqual([
    'passwordConfirmation must be a `string` type, but the final value was: `null`.',
    'Passwords do not match',
  ]);
  // Strapi 4 leaves `value` out of the details.
  expect(issues(() => validate(schema, { password: 'a', passwordConfirmation: 'b', currentPassword: 'c' }, 4)).errors[0]).not.toHaveProperty('value');
});

test('printValue like yup', () => {
  expect(printValue('x')).toBe('"x"');
  expect(printValue(-0)).toBe('-0');
  expect(printValue({ a: [1] })).toBe('{\n  "a": [\n    "1"\n  ]\n}');
});
