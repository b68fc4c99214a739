// Values for a content type's attributes that its schema accepts, uniquely marked so a check's
// records are told apart from the instance's own. What cannot be made from the schema alone
// (a required media or relation, a required field with a regex) is named instead.
import type { Attribute } from '../../spec/content-types.js';

export type Made = { data: Record<string, unknown>; cannot: string[] };
type Components = Record<string, { attributes: Record<string, Attribute> }>;

const fits = (s: string, attr: Attribute) => {
  let out = s;
  if (attr.maxLength !== undefined && out.length > attr.maxLength) out = out.slice(-attr.maxLength);
  if (attr.minLength !== undefined && out.length < attr.minLength) out = out.padEnd(attr.minLength, 'x');
  return out;
};

function numberFor(attr: Attribute, mark: number, integer: boolean): number {
  const min = typeof attr.min === 'number' ? attr.min : undefined;
  const max = typeof attr.max === 'number' ? attr.max : undefined;
  if (min !== undefined && max !== undefined) return integer ? Math.floor(min + (mark % (max - min + 1))) : min + (max - min) / 2;
  const base = min ?? (max !== undefined ? max - 1000 : 0);
  return integer ? base + (mark % 1000) + 1 : base + 1.5;
}

/**
 * One value for `attr`, or undefined when the schema leaves it open (media, relations: made by
 * the scenarios that need them). `mark` is the run's unique text (e.g. `check-k3x9`).
 */
export function valueFor(name: string, attr: Attribute, mark: string, components: Components, depth = 0): unknown {
  const n = Math.abs([...mark].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
  switch (attr.type) {
    case 'string':
    case 'text':
    case 'richtext':
      return attr.regex ? undefined : fits(`${mark} ${name}`, attr);
    case 'email':
      return `${mark}-${name}@example.com`.toLowerCase();
    case 'uid':
      return fits(`${mark}-${name}`.toLowerCase().replace(/[^a-z0-9-_.~]/g, '-'), attr);
    case 'password':
      return `Pw-${mark}-1`;
    case 'integer':
      return numberFor(attr, n, true);
    case 'biginteger':
      return String(numberFor(attr, n, true));
    case 'float':
    case 'decimal':
      return numberFor(attr, n, false);
    case 'boolean':
      return true;
    case 'date':
      return '2024-02-03';
    case 'datetime':
      return '2024-02-03T04:05:06.000Z';
    case 'time':
      return '04:05:06.000';
    case 'json':
      return { check: mark };
    case 'blocks':
      return [{ type: 'paragraph', children: [{ type: 'text', text: `${mark} ${name}` }] }];
    case 'enumeration':
      return attr.enum?.[0];
    case 'component': {
      if (depth > 3) return undefined;
      const one = componentValue(attr.component!, mark, components, depth + 1);
      return one && (attr.repeatable ? [one] : one);
    }
    case 'dynamiczone': {
      if (depth > 3) return undefined;
      const uid = attr.components![0];
      const one = componentValue(uid, mark, components, depth + 1);
      return one && [{ __component: uid, ...one }];
    }
    default:
      return undefined;
  }
}

function componentValue(uid: string, mark: string, components: Components, depth: number): Record<string, unknown> | undefined {
  const comp = components[uid];
  if (!comp) return undefined;
  const made = makeData(comp.attributes, mark, components, depth);
  return made.cannot.length ? undefined : made.data;
}

/** Data for every attribute a value can be made for; `cannot`: required ones it cannot. */
export function makeData(attributes: Record<string, Attribute>, mark: string, components: Components, depth = 0): Made {
  const data: Record<string, unknown> = {};
  const cannot: string[] = [];
  for (const [name, attr] of Object.entries(attributes)) {
    const value = valueFor(name, attr, mark, components, depth);
    if (value !== undefined) data[name] = value;
    else if (attr.required) cannot.push(`${name} (${attr.type}${attr.regex ? ' with a regex' : ''}, required)`);
  }
  return { data, cannot };
}

/** The scalars of `sent` that an answer must give back as sent (private and password ones are never answered). */
export function roundTripDiffs(attributes: Record<string, Attribute>, sent: Record<string, unknown>, got: Record<string, unknown>): string[] {
  const diffs: string[] = [];
  for (const [name, value] of Object.entries(sent)) {
    const attr = attributes[name];
    if (!attr || attr.private || attr.type === 'password' || ['component', 'dynamiczone', 'media', 'relation'].includes(attr.type)) continue;
    const back = got[name];
    const same =
      attr.type === 'datetime' ? Date.parse(String(back)) === Date.parse(String(value))
      : ['float', 'decimal', 'biginteger'].includes(attr.type) ? Number(back) === Number(value)
      : attr.type === 'time' ? String(back).startsWith(String(value).slice(0, 8))
      : JSON.stringify(back) === JSON.stringify(value);
    if (!same) diffs.push(`${name}: sent ${JSON.stringify(value)}, answered ${JSON.stringify(back)}`);
  }
  return diffs;
}
