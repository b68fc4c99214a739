// One request and its answer as the recording file and the comparison keep them, and the
// recording file itself: JSON lines, a header line first (format and version), then one line per
// exchange, each appended with a single write as soon as the answer is complete. A file cut
// short by a crash loses at most its last, unterminated line, which readRecording skips.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';

export const FORMAT = 'strapi-emulator-recording';
export const VERSION = 1;

/** A body as kept: parsed JSON, UTF-8 text, raw bytes in base64 (multipart, images), or left out past the size bound. */
export type Body = { json: unknown } | { text: string } | { base64: string } | { omitted: true; size: number; sha256: string };

export type RecordedRequest = { method: string; path: string; headers: Record<string, string>; body?: Body };
export type RecordedResponse = { status: number; headers: Record<string, string>; body?: Body };
/** `error`: the target did not answer (the proxy answered 502 itself); such an exchange is not replayed. */
export type Exchange = { seq: number; at: string; durationMs: number; request: RecordedRequest; response: RecordedResponse; error?: string };
export type RecordingHeader = {
  format: typeof FORMAT;
  version: number;
  target: string;
  startedAt: string;
  bodyLimit: number;
  major?: 4 | 5;
  /** What `record --token` read from the instance before the first exchange (locales, roles). */
  instance?: { major: 4 | 5; locales?: Array<{ code: string; name?: string; isDefault?: boolean }>; permissions: Record<string, string[]> };
};

/** Request headers that change what Strapi answers (others, such as user-agent, do not). */
export const REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'accept-language', 'origin', 'cookie'];
/** Answer headers a client may read. */
export const RESPONSE_HEADERS = ['content-type', 'location', 'allow', 'set-cookie', 'access-control-allow-origin', 'access-control-allow-credentials', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining'];

export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

/** The headers of `names` only, lower-cased (a repeated one joined by ", "). */
export function pickHeaders(headers: Headers | Record<string, string | string[] | undefined>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  // Any Headers (undici's own class is not the global one), or a plain object of lower-case names.
  const get = (n: string) => (typeof (headers as Headers).get === 'function' ? (headers as Headers).get(n) : (headers as Record<string, string | string[] | undefined>)[n]);
  for (const name of names) {
    const v = get(name);
    if (v !== undefined && v !== null) out[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** How a body is kept, by its content type; past `limit` bytes only its size and hash. */
export function encodeBody(bytes: Uint8Array, contentType: string | undefined, limit = DEFAULT_BODY_LIMIT, total = bytes.length): Body | undefined {
  if (total === 0) return undefined;
  if (total > limit) return { omitted: true, size: total, sha256: createHash('sha256').update(bytes).digest('hex') };
  const text = /^(application\/(.*\+)?json|text\/)/i.test(contentType ?? '') ? Buffer.from(bytes).toString('utf8') : undefined;
  if (text !== undefined && /json/i.test(contentType ?? '')) {
    try {
      return { json: JSON.parse(text) };
    } catch {
      return { text };
    }
  }
  if (text !== undefined && Buffer.from(text, 'utf8').equals(Buffer.from(bytes))) return { text };
  return { base64: Buffer.from(bytes).toString('base64') };
}

/** The bytes to send again (undefined: no body, or one left out). */
export function bodyBytes(body: Body | undefined): Uint8Array | undefined {
  if (!body || 'omitted' in body) return undefined;
  if ('json' in body) return Buffer.from(JSON.stringify(body.json));
  if ('text' in body) return Buffer.from(body.text);
  return Buffer.from(body.base64, 'base64');
}

/** The value compared: parsed JSON, text, or a stand-in for bytes. */
export function bodyValue(body: Body | undefined): unknown {
  if (!body) return null;
  if ('json' in body) return body.json;
  if ('text' in body) return body.text;
  if ('base64' in body) return `<${Buffer.from(body.base64, 'base64').length} bytes>`;
  return `<${body.size} bytes, not recorded>`;
}

/** Appends exchanges to a recording, one write (and fsync) per line. */
export class RecordingWriter {
  private fd: number;
  private seq = 0;
  constructor(
    readonly file: string,
    header: Omit<RecordingHeader, 'format' | 'version'>,
  ) {
    this.fd = openSync(file, 'w');
    this.line({ format: FORMAT, version: VERSION, ...header });
  }

  private line(value: unknown): void {
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
    fsyncSync(this.fd);
  }

  write(exchange: Omit<Exchange, 'seq'>): Exchange {
    const full = { seq: ++this.seq, ...exchange };
    this.line(full);
    return full;
  }

  get count(): number {
    return this.seq;
  }

  close(): void {
    closeSync(this.fd);
  }
}

export class RecordingFileError extends Error {}

/** Reads a recording; a last line without its newline (cut short) is skipped, any other bad line is an error naming it. */
export function readRecording(file: string): { header: RecordingHeader; exchanges: Exchange[]; truncated: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RecordingFileError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const lines = text.split('\n');
  // Every line ends with a newline: what follows the last one is empty, or a line cut short.
  const truncated = lines.pop() !== '';
  if (!lines.length) throw new RecordingFileError(`${file}: empty (not a recording)`);
  const parse = (line: string, n: number) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new RecordingFileError(`${file}:${n}: not JSON`);
    }
  };
  const header = parse(lines[0], 1) as unknown as RecordingHeader;
  if (header.format !== FORMAT) throw new RecordingFileError(`${file}: not a ${FORMAT} file (first line has no "format": "${FORMAT}")`);
  if (header.version !== VERSION) throw new RecordingFileError(`${file}: recording version ${String(header.version)}; this strapi-emulator reads version ${VERSION}`);
  const exchanges = lines.slice(1).map((line, i) => {
    const e = parse(line, i + 2) as unknown as Exchange;
    if (!e.request || typeof e.request.method !== 'string' || typeof e.request.path !== 'string' || !e.response || typeof e.response.status !== 'number') {
      throw new RecordingFileError(`${file}:${i + 2}: not an exchange (needs request.method, request.path, response.status)`);
    }
    return e;
  });
  return { header, exchanges, truncated };
}
