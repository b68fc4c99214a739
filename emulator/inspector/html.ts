// HTML built by a tagged template that escapes every interpolated value unless it is already
// Html (made by this template or by raw()). Usernames, document fields, file names and mail
// bodies are user input: escaping by default makes an injection a type error to write, not a
// review item.

const marker = Symbol('html');

/** A fragment of markup that is safe to splice into a page as is. */
export type Html = { readonly [marker]: true; readonly markup: string };

const fragment = (markup: string): Html => ({ [marker]: true, markup });

const isHtml = (value: unknown): value is Html => typeof value === 'object' && value !== null && marker in value;

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text → markup safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c]);
}

/** An interpolated value: Html as is, a list joined, null/undefined/false as nothing, anything else as escaped text. */
function render(value: unknown): string {
  if (isHtml(value)) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return fragment(out);
}

/** Markup the caller vouches for (constant strings only: never user input). */
export function raw(markup: string): Html {
  return fragment(markup);
}

export function toMarkup(value: Html): string {
  return value.markup;
}

/**
 * A URL a link may point at: http(s) and same-origin paths only. Anything else (javascript:,
 * data:, protocol-relative //host) is refused, so a crafted file url or reset-password setting
 * cannot become an active link.
 */
export function safeHref(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  if (/^\/(?![/\\])/.test(url)) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link when the URL is safe, else the URL as plain text. */
export function link(url: unknown, label?: unknown): Html {
  const href = safeHref(url);
  const text = label ?? url;
  return href ? html`<a href="${href}">${text}</a>` : html`${text}`;
}

const urlPattern = /https?:\/\/[^\s<>"'`]+/g;

/** Plain text with its http(s) URLs as links (trailing punctuation stays text). */
export function linkify(text: string): Html {
  const parts: Html[] = [];
  let at = 0;
  for (const m of text.matchAll(urlPattern)) {
    const url = m[0].replace(/[.,;:!?)\]]+$/, '');
    parts.push(html`${text.slice(at, m.index)}`, link(url));
    at = m.index + url.length;
  }
  parts.push(html`${text.slice(at)}`);
  return html`${parts}`;
}

/** The readable text of an email's HTML body: block ends as line breaks, tags dropped, common entities decoded. */
export function textOfHtml(markup: string): string {
  return markup
    .replace(/<(br|\/p|\/div|\/h\d|\/li|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|quot|#39|nbsp|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ', amp: '&' })[e]!)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
