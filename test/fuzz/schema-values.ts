// fast-check arbitraries derived from a JSON Schema of the spec: values that follow the schema
// (right types, required keys, enums, formats) and, in `fuzzy` mode, values that bend it at
// every level — a wrong type, a missing required key, extra keys, null, huge or odd strings,
// deep nesting — so the emulator's validators see both what they accept and what they refuse.
import fc from 'fast-check';
import type { Schema } from '../../spec/openapi.js';

type Doc = { components?: { schemas?: Record<string, Schema> } };

/** Strings that break naive code: unicode, control characters, injection-looking text, huge. */
export const oddString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('', ' ', '\u0000', 'null', 'undefined', 'NaN', '0', '-1', '1e309', 'true', '[]', '{}', '__proto__', 'constructor', '$eq', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '%00', '%zz', 'é', 'Ωmega', '👩‍👩‍👧‍👦', '\u202e', '\ud800', 'a\r\nX-Injected: 1'),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
  );

/** Any JSON value, nested, including the odd strings. */
export const junk = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, '', [], {}) },
    { weight: 2, arbitrary: oddString() },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: nested() },
  );

/** An object nested `depth` levels (populate/filters-like shapes reach the handlers as bodies too). */
const nested = () => fc.integer({ min: 2, max: 40 }).map((depth) => Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), 1));

/** Plausible values for well-known property names, so valid bodies also reach deep code paths. */
const namedStrings: Record<string, () => fc.Arbitrary<string>> = {
  email: () => fc.oneof(fc.constantFrom('ann@example.com', 'ANN@Example.com', 'user1@example.com', 'not-an-email', 'a@b'), fc.emailAddress()),
  identifier: () => fc.constantFrom('ann', 'ann@example.com', 'user1', 'nobody', ''),
  username: () => fc.oneof(fc.constantFrom('ann', 'bob', 'user1', 'ab', 'a'), fc.string({ minLength: 3, maxLength: 12 })),
  password: () => fc.constantFrom('Passw0rd!', 'short', '', 'x'.repeat(80), 'Pässwörd🔑'),
  currentPassword: () => fc.constantFrom('Passw0rd!', 'wrong'),
  passwordConfirmation: () => fc.constantFrom('Passw0rd!', 'other'),
  code: () => fc.constantFrom('', 'deadbeef', 'x'.repeat(128)),
  confirmation: () => fc.constantFrom('', 'deadbeef'),
  role: () => fc.constantFrom('1', '2', 'authenticated', 'public'),
  locale: () => fc.constantFrom('en', 'fr', '*', 'all', 'xx'),
  status: () => fc.constantFrom('draft', 'published', 'other'),
};

export type Mode = 'valid' | 'fuzzy';

export class SchemaValues {
  constructor(private readonly doc: Doc) {}

  resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 20 && typeof s?.$ref === 'string'; i++) {
      const name = (s.$ref as string).replace('#/components/schemas/', '');
      s = this.doc.components?.schemas?.[name] as Schema;
    }
    return s ?? {};
  }

  /** A value for `schema`: following it (`valid`) or bending it now and then at any depth (`fuzzy`). */
  value(schema: Schema | undefined, mode: Mode, depth = 0, name?: string): fc.Arbitrary<unknown> {
    const typed = this.typed(schema, mode, depth, name);
    if (mode === 'valid') return typed;
    return fc.oneof({ weight: 8, arbitrary: typed }, { weight: 2, arbitrary: junk() });
  }

  private typed(raw: Schema | undefined, mode: Mode, depth: number, name?: string): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw ?? {});
    if (depth > 6) return fc.constant(null);
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
    const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (alternatives?.length) return fc.oneof(...alternatives.map((s) => this.value(s, mode, depth + 1, name)));
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
      const merged: Schema = { type: 'object', properties: {}, required: [] };
      for (const part of schema.allOf as Schema[]) {
        const r = this.resolve(part);
        Object.assign(merged.properties as object, r.properties ?? {});
        (merged.required as string[]).push(...((r.required as string[]) ?? []));
      }
      return this.typed(merged, mode, depth, name);
    }
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
    if (types.length > 1) return fc.oneof(...types.map((type) => this.typed({ ...schema, type }, mode, depth, name)));
    switch (types[0]) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.oneof(fc.integer({ min: (schema.minimum as number) ?? -5, max: (schema.maximum as number) ?? 1000 }), fc.constantFrom(0, 1, 2, 3));
      case 'number':
        return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.integer());
      case 'string':
        return this.string(schema, name);
      case 'array':
        return fc.array(this.value(schema.items as Schema | undefined, mode, depth + 1), { maxLength: mode === 'valid' ? 3 : 5 });
      case 'object':
        return this.object(schema, mode, depth);
      default:
        // No type (`{}`, a free JSON attribute): anything.
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(schema: Schema, name?: string): fc.Arbitrary<string> {
    if (schema.format === 'binary') return fc.string({ maxLength: 20 });
    if (schema.format === 'date-time') return fc.oneof(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2024-02-30T00:00:00Z', 'yesterday'));
    if (schema.format === 'date') return fc.constantFrom('2024-01-31', '2024-02-30', '0000-00-00', '99999-01-01');
    if (schema.format === 'time') return fc.constantFrom('12:30:00', '12:30:00.123', '25:00:00', '12:30');
    if (schema.format === 'email') return namedStrings.email();
    const named = name ? namedStrings[name] : undefined;
    const plain = fc.string({ minLength: (schema.minLength as number) ?? 0, maxLength: Math.min((schema.maxLength as number) ?? 30, 30) });
    return named ? fc.oneof({ weight: 3, arbitrary: named() }, { weight: 1, arbitrary: plain }) : fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: oddString() });
  }

  private object(schema: Schema, mode: Mode, depth: number): fc.Arbitrary<unknown> {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, sub] of Object.entries(properties)) record[key] = this.value(sub, mode, depth + 1, key);
    // Valid: required keys always there, optional ones sometimes. Fuzzy: any key may be missing.
    const requiredKeys = mode === 'valid' ? [...required].filter((k) => k in record) : [];
    const base = fc.record(record, { requiredKeys });
    if (mode === 'valid') {
      const extra = schema.additionalProperties;
      if (extra && typeof extra === 'object' && Object.keys(properties).length === 0) {
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), this.value(extra as Schema, mode, depth + 1), { maxKeys: 3 });
      }
      return base;
    }
    // Extra keys (Strapi answers "Invalid key", or ignores them), prototype-looking names included.
    const extras = fc.dictionary(fc.oneof(fc.constantFrom('id', 'documentId', 'password', 'role', 'constructor', 'prototype', '$set', 'createdAt', 'publishedAt', 'locale'), fc.string({ minLength: 1, maxLength: 10 })), junk(), { maxKeys: 3 });
    return fc.tuple(base, fc.option(extras, { freq: 3 })).map(([b, e]) => (e ? { ...e, ...(b as object) } : b));
  }
}
