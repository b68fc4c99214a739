// Multipart bodies in-process (app.request with a streamed Request body, as MSW hands it over):
// formidable's reading of parts, its limits as the bytes arrive, spooling, and other requests
// going on while one body of many parts is parsed. body-memory.test.ts does the same over HTTP.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, test } from 'vitest';
import { fullAccessToken, setup } from '../testing.js';
import { parseMultipart } from './multipart.js';

const boundary = 'XbodiesX';
const type = `multipart/form-data; boundary=${boundary}`;
const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const filePart = (name: string, filename: string | undefined, value: string, contentType: string | null = 'text/plain') =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n${contentType === null ? '' : `Content-Type: ${contentType}\r\n`}\r\n${value}\r\n`;
const close = `--${boundary}--\r\n`;

/** A body produced chunk by chunk as it is read; `pulled()` says how many bytes were asked for. */
function streamed(chunks: () => Generator<Uint8Array | string>) {
  const it = chunks();
  let pulled = 0;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = it.next();
      if (next.done) return controller.close();
      const bytes = typeof next.value === 'string' ? encoder.encode(next.value) : next.value;
      pulled += bytes.byteLength;
      controller.enqueue(bytes);
    },
  });
  return { stream, pulled: () => pulled };
}

const request = (body: BodyInit | ReadableStream, path = '/api/upload') =>
  new Request(`http://127.0.0.1:1337${path}`, { method: 'POST', headers: { 'content-type': type }, body, duplex: 'half' } as RequestInit);

const spooled = () => readdirSync(tmpdir()).filter((f) => f.startsWith('strapi-emulator-upload-'));

test('v5 (formidable 2) takes a part with a Content-Type as a file, v4 (formidable 1) one with a filename; repeated fields make lists', async () => {
  const body = field('a', 'one') + field('a', 'two') + filePart('files', 'x.txt', 'with both') + filePart('files', 'y.txt', 'no type', null) + filePart('files', undefined, 'no name') + close;
  const v5 = await parseMultipart(request(body), type, { major: 5, fileLimit: Infinity });
  expect(v5.fields).toEqual({ a: ['one', 'two'], files: 'no type' });
  expect(await Promise.all(v5.files.map(async (f) => [f.field, f.file.name, f.file.type, (await f.file.bytes()).toString()]))).toEqual([
    ['files', 'x.txt', 'text/plain', 'with both'],
    ['files', '', 'text/plain', 'no name'],
  ]);
  const v4 = await parseMultipart(request(body), type, { major: 4, fileLimit: Infinity });
  expect(v4.fields).toEqual({ a: ['one', 'two'], files: 'no name' });
  expect(v4.files.map((f) => [f.file.name, f.file.type])).toEqual([['x.txt', 'text/plain'], ['y.txt', '']]);
});

test('file bytes over the memory budget go to a temporary file, read back whole, deleted by dispose', async () => {
  const big = Buffer.alloc(300_000, 'abcdefghij').toString();
  const before = spooled().length;
  const parsed = await parseMultipart(request(filePart('files', 'a.txt', big) + filePart('files', 'b.txt', 'small') + close), type, { major: 5, fileLimit: Infinity, memoryLimit: 1000 });
  expect(spooled().length).toBe(before + 1);
  expect((await parsed.files[0].file.bytes()).toString()).toBe(big);
  expect(parsed.files[0].file.size).toBe(300_000);
  expect((await parsed.files[1].file.bytes()).toString()).toBe('small');
  await parsed.dispose();
  expect(spooled().length).toBe(before);
});

describe.each([4, 5] as const)('v%i multipart limits, in-process', (major) => {
  test('maxFields (1000, formidable 2 only) and maxFieldsSize (20 MB): real Strapi answers 500, so does the emulator (X-Strapi-Emulator-Crash naming the limit; a 400 with strapiCrashes: explain)', async () => {
    const mimic = await setup({ strapi: major });
    const crash = await mimic.emulator.app.request(request('garbage'));
    expect([crash.status, await crash.json(), crash.headers.get('x-strapi-emulator-crash')]).toEqual([500, { data: null, error: { status: 500, name: 'InternalServerError', message: 'Internal Server Error' } }, 'The multipart body does not parse: Unexpected end of multipart data']);
    const t = await setup({ strapi: major, strapiCrashes: 'explain' });
    const fields = (n: number) => Array.from({ length: n }, (_, i) => field(`f${i}`, 'x')).join('') + close;
    const send = async (body: string) => (await t.emulator.app.request(request(body))).json() as Promise<{ error: { status: number; name: string; message: string } }>;
    expect((await send(fields(1000))).error.status).toBe(403);
    const over = await send(fields(1001));
    if (major === 5) expect(over.error).toMatchObject({ status: 400, name: 'ValidationError', message: "The multipart body has more than 1000 fields (formidable's maxFields)" });
    else expect(over.error.status).toBe(403);
    const size = await send(field('big', 'x'.repeat(20 * 1024 * 1024 + 1)) + close);
    expect(size.error).toMatchObject({ status: 400, message: "The multipart body's text fields are over 20 MB together (formidable's maxFieldsSize)" });
    for (const [body, message] of [
      ['garbage', 'The multipart body does not parse: Unexpected end of multipart data'],
      [field('a', 'b'), 'The multipart body does not parse: Unexpected end of multipart data'],
    ]) {
      expect((await send(body)).error).toMatchObject({ status: 400, message });
    }
    const noBoundary = await t.emulator.app.request('http://127.0.0.1:1337/api/upload', { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'x' });
    expect(((await noBoundary.json()) as { error: { message: string } }).error.message).toMatch(/no boundary/);
  });

  test('maxFileSize is enforced as the bytes arrive: a 1 GB streamed body is refused with 413 FileTooBig after about the limit, the rest never read', async () => {
    const t = await setup({ strapi: major, uploadSizeLimit: 10 * 1024 * 1024 });
    const chunk = new Uint8Array(256 * 1024).fill(97);
    const body = streamed(function* () {
      yield filePart('files', 'big.bin', '').slice(0, -2);
      for (let i = 0; i < 4096; i++) yield chunk;
      yield `\r\n${close}`;
    });
    const r = await t.emulator.app.request(request(body.stream));
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ data: null, error: { status: 413, name: 'PayloadTooLargeError', message: 'FileTooBig', details: {} } });
    expect(r.headers.get('connection')).toBe('close');
    expect(body.pulled()).toBeLessThan(12 * 1024 * 1024);
    expect((await t.call('GET', '/api/upload/files', { token: fullAccessToken })).body).toEqual([]);
  });

  test('a body of 200k tiny file parts is parsed in slices: other requests are answered meanwhile', async () => {
    const t = await setup({ strapi: major });
    const parts = 200_000;
    const body = streamed(function* () {
      const part = filePart('files', 'f.txt', 'x');
      for (let i = 0; i < parts; i += 1000) yield part.repeat(1000);
      yield close;
    });
    let done = false;
    const upload = Promise.resolve(t.emulator.app.request(request(body.stream))).finally(() => (done = true));
    let worst = 0;
    let answered = 0;
    while (!done) {
      const started = performance.now();
      const r = await t.emulator.app.request('http://127.0.0.1:1337/api/articles');
      expect(r.status).toBe(200);
      worst = Math.max(worst, performance.now() - started);
      answered++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await upload).status).toBe(403);
    expect(answered).toBeGreaterThan(3);
    // A correctness bound, not a benchmark: the whole parse takes seconds, one GET must not wait for it.
    expect(worst).toBeLessThan(1000);
  }, 60_000);
});
