// strapi::body (koa-body 6 over co-body and formidable), as it parses request bodies:
//  - only POST, PUT and PATCH are parsed; other methods get `{}`;
//  - JSON types (application/json, +json variants) with co-body's strict mode: an empty body
//    is `{}`, a body that does not start with `{` or `[` is a SyntaxError ("invalid JSON,
//    only supports object and array"), malformed JSON is V8's JSON.parse message, a
//    `__proto__` key is refused (bourne); limit 1mb;
//  - urlencoded forms (qs, limit 56kb), text/* (a string, limit 56kb), multipart (fields and
//    files, streamed with formidable's limits: see multipart.ts);
//  - a body of any other type, or no body at all, leaves ctx.request.body undefined — which
// * is what makes several real Strapi handlers fail with a 500 (the emulator answers 400 there).
// Over the limit → 413 PayloadTooLargeError "request entity too large" (no details).
import qs from 'qs';
import { BodySyntaxError, PayloadTooLargeError, StrapiError, insteadOfStrapiCrash, missingJsonBody } from './errors.js';
import { type PartFile, parseMultipart } from './multipart.js';

const MB = 1024 * 1024;
const jsonLimit = 1 * MB;
const formLimit = 56 * 1024;
const textLimit = 56 * 1024;
const jsonTypes = ['application/json', 'application/json-patch+json', 'application/vnd.api+json', 'application/csp-report', 'application/reports+json'];

/** The media types the parser reads as JSON. */
export const isJsonType = (type: string) => jsonTypes.includes(type) || /^application\/[\w.-]+\+json$/.test(type);

export type UploadedFile = { field: string; file: PartFile };
/** `dispose` frees what the body holds outside memory (spooled file bytes) once the request is answered. */
export type ParsedBody = { body: unknown; files: UploadedFile[]; dispose?: () => Promise<void> };

export function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/** type-is: a request "has a body" when it declares a length > 0 or is chunked. */
export function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  if (request.headers.get('transfer-encoding') !== null) return true;
  if (length !== null) return Number(length) > 0;
  return request.body !== null;
}

const bodyTexts = new WeakMap<Request, string>();

/** The text body this request was read as (JSON, form, text), for add-ons that look at traffic (the inspector's log). */
export function bodyTextOf(request: Request): string | undefined {
  return bodyTexts.get(request);
}

/** Reads at most `limit` bytes; more → 413 (the rest of the stream is abandoned, its cancel not awaited: see multipart.ts). */
async function readText(request: Request, limit: number, message?: string): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) {
    void request.body?.cancel().catch(() => undefined);
    throw new PayloadTooLargeError(message);
  }
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => undefined);
      throw new PayloadTooLargeError(message);
    }
    chunks.push(value);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  bodyTexts.set(request, text);
  return text;
}

const suspectProto = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;

function hasProtoKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true;
  return Object.values(value).some(hasProtoKey);
}

export function parseJsonText(text: string, major: 4 | 5 = 5): unknown {
  if (!text) return {};
  if (!/^[\x20\x09\x0a\x0d]*(\[|\{)/.test(text)) {
    // co-body's strict check throws a plain Error: Strapi 4 names it so (compared with 4.26.2), Strapi 5 a SyntaxError.
    if (major === 4) throw new StrapiError(400, 'Error', 'invalid JSON, only supports object and array', null);
    throw new BodySyntaxError('invalid JSON, only supports object and array');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new BodySyntaxError((e as Error).message);
  }
  if (suspectProto.test(text) && hasProtoKey(parsed)) throw new BodySyntaxError('Object contains forbidden prototype property');
  return parsed;
}

export type BodyLimits = {
  jsonLimit?: number;
  /** The 413's message over jsonLimit (Strapi's own: "request entity too large"). */
  jsonLimitMessage?: string;
  fileLimit?: number;
  major?: 4 | 5;
  memoryLimit?: number;
};

export async function parseBody(request: Request, limits: BodyLimits = {}): Promise<ParsedBody> {
  const method = request.method.toUpperCase();
  if (!['POST', 'PUT', 'PATCH'].includes(method)) return { body: {}, files: [] };
  const type = mediaType(request);
  if (!hasBody(request) || !type) return { body: undefined, files: [] };
  if (isJsonType(type)) {
    return { body: parseJsonText(await readText(request, limits.jsonLimit ?? jsonLimit, limits.jsonLimitMessage), limits.major), files: [] };
  }
  if (type === 'application/x-www-form-urlencoded') return { body: qs.parse(await readText(request, formLimit)), files: [] };
  if (type.startsWith('text/')) return { body: await readText(request, textLimit), files: [] };
  if (type.startsWith('multipart/')) {
    // formidable's maxFileSize counts the bytes of every file of the request, whatever its field
    // and route; strapi::body turns its error into 413 "FileTooBig" before routing and before
    // authentication, so an anonymous upload over it gets 413, not 403.
    const parsed = await parseMultipart(request, request.headers.get('content-type') ?? '', { major: limits.major ?? 5, fileLimit: limits.fileLimit ?? Infinity, memoryLimit: limits.memoryLimit });
    return { body: parsed.fields, files: parsed.files, dispose: parsed.dispose };
  }
  return { body: undefined, files: [] };
}

/**
 * The parsed JSON object of a write route. Real Strapi destructures `ctx.request.body` after
 * validating it; with no parsed body (no or an unknown content type) it crashes with a 500,
 * where the emulator answers a 400 that says what to send.
 */
export function requireJsonBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) throw insteadOfStrapiCrash(missingJsonBody);
  return body as Record<string, unknown>;
}
