// Values for a content type's attributes, made from its schema: every scalar kind, components
// (nested, repeatable), dynamic zones; relations and media are linked later by the plan, as
// they need entries that exist. Strings carry the run's tag, so what a run creates is its own.
import type { Attribute, Component, ContentType } from '../spec/content-types.js';

export type Schemas = { contentTypes: ContentType[]; components: Component[] };

/** The first attribute a list can be scoped by: a string kind that takes the run's tag (`$startsWith`). */
export function scopeField(ct: { attributes: Record<string, Attribute> }): string | undefined {
  return Object.entries(ct.attributes).find(([, a]) => ['string', 'text', 'email', 'uid'].includes(a.type) && !a.private && !a.regex && !(a.maxLength !== undefined && a.maxLength < 40))?.[0];
}

const fit = (s: string, a: Attribute) => {
  let v = s;
  if (a.maxLength !== undefined && v.length > a.maxLength) v = v.slice(0, a.maxLength);
  while (a.minLength !== undefined && v.length < a.minLength) v += 'x';
  return v;
};

/** A value of one attribute, or undefined when the plan cannot make one (relation, media, an unknown regex). */
export function sampleValue(a: Attribute, text: string, schemas: Schemas, variant: number, depth = 0): unknown {
  switch (a.type) {
    case 'string':
    case 'text':
    case 'richtext': {
      if (a.regex) {
        const re = new RegExp(a.regex);
        return ['#336699', '#a1b2c3', text, 'abc', '1'].find((c) => re.test(c));
      }
      return fit(a.type === 'richtext' ? `# ${text}\n\n**bold** text` : text, a);
    }
    case 'email':
      return `${text}@example.com`;
    case 'uid':
      return fit(text.toLowerCase().replace(/[^a-z0-9-_.~]/g, '-'), a);
    case 'password':
      return 'Passw0rd!';
    case 'integer': {
      const n = 5 + variant;
      return Math.min(Math.max(n, a.min ?? -Infinity), a.max ?? Infinity);
    }
    case 'biginteger':
      // Past 2^53 real Strapi on SQLite answers the value rounded to a double (9007199254740993 →
      // …992) while Postgres and the emulator keep it: a database's trait, not the API's.
      return String(1234567890123456n + BigInt(variant));
    case 'float':
      return 1.5 + variant;
    case 'decimal':
      return 2.25 + variant;
    case 'boolean':
      return variant % 2 === 0 ? a.default !== true : a.default === true;
    case 'date':
      return `2024-02-${String(28 + (variant % 2)).padStart(2, '0')}`;
    case 'datetime':
      return `2024-02-29T12:34:5${variant % 10}.789Z`;
    case 'time':
      return `12:34:5${variant % 10}.000`;
    case 'json':
      return { nested: [1, 'two', null], variant, ok: true };
    case 'enumeration':
      return a.enum?.length ? a.enum[(a.enum.length - 1 - variant + a.enum.length * 4) % a.enum.length] : undefined;
    case 'blocks':
      return [{ type: 'paragraph', children: [{ type: 'text', text }] }];
    case 'component': {
      if (depth > 4) return undefined;
      const c = schemas.components.find((x) => x.uid === a.component);
      if (!c) return undefined;
      const one = sampleData(c.attributes, `${text}-c`, schemas, variant, depth + 1);
      return a.repeatable ? [one, sampleData(c.attributes, `${text}-c2`, schemas, variant + 1, depth + 1)] : one;
    }
    case 'dynamiczone': {
      if (depth > 4) return undefined;
      return (a.components ?? []).slice(0, 2).flatMap((uid, i) => {
        const c = schemas.components.find((x) => x.uid === uid);
        return c ? [{ __component: uid, ...sampleData(c.attributes, `${text}-z${i}`, schemas, variant + i, depth + 1) }] : [];
      });
    }
    default:
      return undefined;
  }
}

/** `data` for a create or an update: every attribute the plan can fill. */
export function sampleData(attributes: Record<string, Attribute>, text: string, schemas: Schemas, variant: number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attributes)) {
    const v = sampleValue(a, `${text}-${name}`.slice(0, 60), schemas, variant, depth);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Why a type cannot be created by the plan (a required relation or media it cannot fill), or undefined. */
export function cannotCreate(attributes: Record<string, Attribute>, schemas: Schemas): string | undefined {
  const data = sampleData(attributes, 'x', schemas, 0);
  const missing = Object.entries(attributes).filter(([n, a]) => a.required && !(n in data)).map(([n]) => n);
  return missing.length ? `required ${missing.join(', ')} cannot be generated` : undefined;
}
