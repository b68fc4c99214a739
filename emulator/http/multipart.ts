// Multipart bodies the way strapi::body reads them (koa-body over formidable), streamed: the
// limits are enforced as the bytes arrive, so an oversized or hostile body costs a bounded
// amount of memory and time whatever its size.
//  - which part is a file: formidable 2 (v5) takes a part with a Content-Type header as a file
//    (a filename without one makes a text field); formidable 1 (v4) a part with a filename;
//  - maxFileSize (200 MB, the emulator's `uploadSizeLimit`) counts the bytes of every file of
//    the request together → 413 "FileTooBig";
//  - maxFieldsSize: the text fields together up to 20 MB; maxFields: 1000 fields (formidable 2
//    only; formidable 1 applies it to urlencoded bodies alone). Real Strapi answers both, and a
//    body that does not parse, with a 500 (see insteadOfStrapiCrash).
// File bytes stay in memory up to `memoryLimit` per request, the rest goes to a temporary file
// that is deleted once the request is answered. The body is fed to the parser in slices, and
// the parser yields to other requests every few milliseconds, so a body of many tiny parts
// does not hold the event loop.
import { randomUUID } from 'node:crypto';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { Dicer } from '@fastify/busboy';
import type { Readable } from 'node:stream';
import { FileTooBigError, type StrapiError, insteadOfStrapiCrash } from './errors.js';

const MB = 1024 * 1024;

export type MultipartLimits = {
  /** formidable 1 (v4) or 2 (v5) semantics. */
  major: 4 | 5;
  /** Every file of the request together, in bytes (maxFileSize). */
  fileLimit: number;
  /** File bytes kept in memory per request before the rest goes to a temporary file. */
  memoryLimit?: number;
};

/** One uploaded file: what the upload plugin reads of formidable's file. */
export type PartFile = {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  bytes(): Promise<Buffer>;
};

export type Multipart = { fields: Record<string, string | string[]>; files: Array<{ field: string; file: PartFile }>; dispose(): Promise<void> };

const maxFields = 1000;
const maxFieldsSize = 20 * MB;
const sliceSize = 64 * 1024;
/** How long the parser may run before it lets other requests in. */
const yieldEveryMs = 5;

type Segment = Buffer | { offset: number; length: number };

/** Where the file bytes of one request go: memory, then one temporary file for the rest. */
class Spool {
  private handle: FileHandle | undefined;
  private path: string | undefined;
  private end = 0;
  inMemory = 0;

  constructor(readonly memoryLimit: number) {}

  async write(chunk: Buffer): Promise<Segment> {
    if (!this.handle) {
      this.path = join(tmpdir(), `strapi-emulator-upload-${randomUUID()}`);
      this.handle = await open(this.path, 'wx+', 0o600);
    }
    const offset = this.end;
    this.end += chunk.length;
    await this.handle.write(chunk, 0, chunk.length, offset);
    return { offset, length: chunk.length };
  }

  async read(segment: { offset: number; length: number }): Promise<Buffer> {
    const out = Buffer.allocUnsafe(segment.length);
    await this.handle!.read(out, 0, segment.length, segment.offset);
    return out;
  }

  async dispose(): Promise<void> {
    const { handle, path } = this;
    this.handle = this.path = undefined;
    await handle?.close().catch(() => undefined);
    if (path) await unlink(path).catch(() => undefined);
  }
}

class SpooledFile implements PartFile {
  readonly segments: Segment[] = [];
  size = 0;
  constructor(
    private readonly spool: Spool,
    readonly name: string,
    readonly type: string,
  ) {}

  async bytes(): Promise<Buffer> {
    const parts = await Promise.all(this.segments.map((s) => (Buffer.isBuffer(s) ? s : this.spool.read(s))));
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, this.size);
  }
}

/** The boundary of a multipart Content-Type (formidable's reading of it). */
export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return m ? (m[1] || m[2]).trim() : undefined;
}

function dispositionName(value: string): string {
  const m = /\bname=("([^"]*)"|([^()<>@,;:\\"/[\]?={}\s\t]+))/i.exec(value);
  return m ? m[2] || m[3] || '' : '';
}

/** formidable's filename: undefined when the header has none. */
function dispositionFilename(value: string): string | undefined {
  const m = /\bfilename=("(.*?)"|([^()<>{}[\]@,;:"?=\s/\t]+))($|;\s)/i.exec(value);
  if (!m) return undefined;
  const raw = m[2] || m[3] || '';
  return raw
    .slice(raw.lastIndexOf('\\') + 1)
    .replace(/%22/g, '"')
    .replace(/&#([\d]{4});/g, (_, code: string) => String.fromCharCode(Number(code)));
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function parseMultipart(request: Request, contentType: string, limits: MultipartLimits): Promise<Multipart> {
  const boundary = boundaryOf(contentType);
  if (!boundary) {
    void request.body?.cancel().catch(() => undefined);
    throw insteadOfStrapiCrash('The multipart body has no boundary: its Content-Type must be multipart/form-data; boundary=…');
  }
  const spool = new Spool(limits.memoryLimit ?? 1 * MB);
  const fields: Record<string, string | string[]> = {};
  const files: Array<{ field: string; file: SpooledFile }> = [];
  let failure: StrapiError | undefined;
  const fail = (error: StrapiError) => (failure ??= error);
  let fileBytes = 0;
  let fieldsSize = 0;
  let fieldCount = 0;
  /** File bytes over the memory budget, written to the spool after each slice (a data event cannot await). */
  let toSpool: Array<{ file: SpooledFile; chunk: Buffer }> = [];
  let finished = false;

  const dicer = new Dicer({ boundary });
  dicer.on('error', (e: Error) => fail(insteadOfStrapiCrash(`The multipart body does not parse: ${e.message}`)));
  dicer.on('finish', () => (finished = true));
  dicer.on('part', (part: Readable) => {
    part.on('error', () => undefined); // "terminated early": the parser reports it too
    part.on('header', (header: Record<string, string[]>) => {
      const disposition = header['content-disposition']?.[0] ?? '';
      const name = dispositionName(disposition);
      const filename = dispositionFilename(disposition);
      const type = header['content-type']?.[0];
      const isFile = limits.major === 5 ? type !== undefined : filename !== undefined;
      if (isFile) {
        const file = new SpooledFile(spool, filename ?? '', type ?? '');
        files.push({ field: name, file });
        part.on('data', (chunk: Buffer) => {
          if (failure) return;
          fileBytes += chunk.length;
          if (fileBytes > limits.fileLimit) return fail(new FileTooBigError());
          file.size += chunk.length;
          if (spool.inMemory + chunk.length <= spool.memoryLimit) {
            spool.inMemory += chunk.length;
            file.segments.push(Buffer.from(chunk)); // a copy: the chunk is a view of the whole read
          } else toSpool.push({ file, chunk });
        });
        return;
      }
      const decoder = new StringDecoder('utf8');
      let value = '';
      part.on('data', (chunk: Buffer) => {
        if (failure) return;
        fieldsSize += chunk.length;
        if (fieldsSize > maxFieldsSize) return fail(insteadOfStrapiCrash(`The multipart body's text fields are over ${maxFieldsSize / MB} MB together (formidable's maxFieldsSize)`));
        value += decoder.write(chunk);
      });
      part.on('end', () => {
        if (failure) return;
        if (limits.major === 5 && ++fieldCount > maxFields) return fail(insteadOfStrapiCrash(`The multipart body has more than ${maxFields} fields (formidable's maxFields)`));
        value += decoder.end();
        const prev = fields[name];
        fields[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      });
    });
    // Dicer's parts are streams2 Readables: without this, their data events come a tick late.
    (part as unknown as { _readableState: { sync: boolean } })._readableState.sync = false;
  });

  const write = (slice: Uint8Array) => new Promise<void>((resolve) => dicer.write(slice, () => resolve()));
  const reader = request.body?.getReader();
  let lastYield = performance.now();
  try {
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let at = 0; at < value.byteLength && !failure; at += sliceSize) {
          await write(value.subarray(at, at + sliceSize));
          if (toSpool.length) {
            const pending = toSpool;
            toSpool = [];
            for (const { file, chunk } of pending) file.segments.push(await spool.write(chunk));
          }
          if (performance.now() - lastYield > yieldEveryMs) {
            await pause();
            lastYield = performance.now();
          }
        }
        if (failure) break;
      }
    }
    if (!failure) {
      await new Promise<void>((resolve) => {
        if (finished) return resolve();
        dicer.once('finish', () => resolve());
        dicer.once('error', () => resolve());
        dicer.end();
      });
      // Fields end on the part's end event, which may follow the parser's finish by a tick.
      await pause();
    }
    if (failure) throw failure;
  } catch (error) {
    // The rest of the body is not read: cancelling tells the sender (and frees its buffers). Not
    // awaited: a tee'd body (MSW clones requests) settles a cancel only once both branches are.
    void reader?.cancel().catch(() => undefined);
    await spool.dispose();
    throw error;
  }
  return { fields, files, dispose: () => spool.dispose() };
}
