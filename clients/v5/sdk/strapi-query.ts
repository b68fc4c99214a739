// Written by strapi-emulator's generate; do not edit. Strapi's query syntax, as the SDK's default
// serializer: filters[title][$eq]=x, populate[0]=author, populate[author][fields][0]=name,
// pagination[page]=2, written as qs.stringify(query, { encodeValuesOnly: true }) writes it (what
// Strapi's docs pass), without needing qs. Nested objects and arrays become bracketed keys
// (arrays indexed), keys stay as they are, values are encoded (RFC 3986), undefined and empty
// arrays or objects are left out, null is an empty value, a Date its ISO string.
import type { CreateClientConfig } from './client.gen.js';

const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function strapiQuerySerializer(query: Record<string, unknown>): string {
  const parts: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null) parts.push(`${key}=`);
    else if (value instanceof Date) parts.push(`${key}=${encode(value.toISOString())}`);
    else if (Array.isArray(value)) value.forEach((item, i) => add(`${key}[${i}]`, item));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    else parts.push(`${key}=${encode(String(value))}`);
  };
  for (const [key, value] of Object.entries(query)) add(key, value);
  return parts.join('&');
}

/** The client's initial configuration, with Strapi's serializer (setConfig() or a call's own querySerializer still win). */
export const createClientConfig: CreateClientConfig = (config) => ({ ...config, querySerializer: strapiQuerySerializer }) as ReturnType<CreateClientConfig>;
