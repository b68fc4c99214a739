import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
// The media library: what sharp would read from an image header, the file objects Strapi
// stores, the multipart routes and the bytes served back under /uploads.
import { deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { png, pngChunk } from '../../contracts/fixtures.js';
import { fullAccessToken, setup } from '../testing.js';
import { contentTypeOf, kilobytes, prepareFile, slug } from './files.js';
import { fitInside, probeImage } from './image.js';

const admin = { token: fullAccessToken };

/** A JPEG skeleton: SOI, a baseline SOF0 with the size, an empty scan, EOI. */
function jpeg(width: number, height: number, end = true): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x0c, 0x03, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0, 0x12, 0x34]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, sos, end ? Buffer.from([0xff, 0xd9]) : Buffer.alloc(0)]);
}

function gif(width: number, height: number): Buffer {
  const b = Buffer.from('474946383961010001008000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

function webp(width: number, height: number): Buffer {
  const b = Buffer.alloc(30);
  b.write('RIFF', 0);
  b.writeUInt32LE(22, 4);
  b.write('WEBPVP8X', 8);
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b;
}

describe('image headers', () => {
  test('PNG, JPEG, GIF, WebP and SVG sizes; other bytes are not images', () => {
    expect(probeImage(png(7, 5))).toEqual({ format: 'png', mime: 'image/png', width: 7, height: 5, valid: true });
    expect(probeImage(jpeg(640, 480))).toMatchObject({ format: 'jpeg', width: 640, height: 480, valid: true });
    expect(probeImage(gif(33, 22))).toMatchObject({ format: 'gif', width: 33, height: 22, valid: true });
    expect(probeImage(webp(1200, 800))).toMatchObject({ format: 'webp', width: 1200, height: 800, valid: true });
    expect(probeImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="24" height="12"></svg>'))).toMatchObject({ format: 'svg', width: 24, height: 12 });
    expect(probeImage(Buffer.from('<svg viewBox="0 0 100 50"/>'))).toMatchObject({ width: 100, height: 50 });
    expect(probeImage(Buffer.from('hello'))).toBeUndefined();
    expect(probeImage(Buffer.from('%PDF-1.7'))).toBeUndefined();
  });

  test('a PNG with a bad CRC, missing pixel data, or a truncated JPEG does not decode', () => {
    const bad = png(20, 20);
    bad.writeUInt32BE(0xdeadbeef, bad.length - 30);
    expect(probeImage(bad)?.valid).toBe(false);
    expect(probeImage(png(20, 20).subarray(0, 40))?.valid).toBe(false);
    // A valid zlib stream with too few pixels.
    const short = png(2, 2);
    const idat = deflateSync(Buffer.from([0, 1, 2, 3]));
    expect(probeImage(Buffer.concat([short.subarray(0, 33), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]))?.valid).toBe(false);
    expect(probeImage(jpeg(10, 10, false))?.valid).toBe(false);
  });

  test("sharp's fit inside (the formats' sizes)", () => {
    expect(fitInside(1200, 800, 245, 156)).toEqual({ width: 234, height: 156 });
    expect(fitInside(600, 400, 500, 500)).toEqual({ width: 500, height: 333 });
    expect(fitInside(1200, 800, 1000, 1000)).toEqual({ width: 1000, height: 667 });
    expect(fitInside(300, 1200, 500, 500)).toEqual({ width: 125, height: 500 });
  });
});


describe('file objects', () => {
  test('name, hash, ext, mime, size in KB; formats only for images larger than a breakpoint', async () => {
    const text = await prepareFile(5, { filename: 'My Report (final).txt', declaredType: 'text/plain', data: Buffer.alloc(1234) }, {});
    expect(text).toMatchObject({ name: 'My Report (final).txt', ext: '.txt', mime: 'text/plain', size: 1.23, width: null, formats: null });
    expect(text.hash).toMatch(/^My_Report_final_[0-9a-f]{10}$/);
    const big = await prepareFile(5, { filename: 'photo.png', declaredType: 'image/png', data: png(1200, 800) }, { alternativeText: 'alt', name: 'renamed.png' });
    expect(big).toMatchObject({ name: 'renamed.png', width: 1200, height: 800, alternativeText: 'alt' });
    expect(Object.keys(big.formats!)).toEqual(['thumbnail', 'small', 'medium', 'large']);
    expect(big.formats!.large).toMatchObject({ name: 'large_renamed.png', width: 1000, height: 667, ext: '.png', path: null, url: `/uploads/large_${big.hash}.png` });
    expect((await prepareFile(4, { filename: 'p.png', declaredType: 'image/png', data: png(1200, 800) }, {})).formats).toHaveProperty('large');
    expect(Object.keys((await prepareFile(4, { filename: 'p.png', declaredType: 'image/png', data: png(1200, 800) }, {})).formats!)).toEqual(['thumbnail', 'large', 'medium', 'small']);
    expect((await prepareFile(5, { filename: 'tiny.png', declaredType: 'image/png', data: png(4, 3) }, {})).formats).toBeNull();
    // v5 believes the content, v4 the declared type.
    expect((await prepareFile(5, { filename: 'blob', declaredType: 'application/octet-stream', data: png(4, 3) }, {}))).toMatchObject({ mime: 'image/png', ext: '.png' });
    expect((await prepareFile(4, { filename: 'x.png', declaredType: 'application/octet-stream', data: png(4, 3) }, {})).mime).toBe('application/octet-stream');
    await expect(prepareFile(5, { filename: 'x.png', declaredType: 'image/png', data: png(10, 10).subarray(0, 50) }, {})).rejects.toThrow('File is not a valid image');
    await expect(prepareFile(5, { filename: 'a<b.txt', declaredType: 'text/plain', data: Buffer.from('x') }, {})).rejects.toThrow('File name contains invalid characters');
  });

  test.each([4, 5] as const)('v%i: the original re-encoded and each format resized with sharp, byte for byte as real Strapi 5.54.0 / 4.26.2 stored them', async (major) => {
    // A 1200×800 gradient (made with sharp from raw pixels); the sizes are what real Strapi answered for it.
    const sharp = createRequire(import.meta.url)('sharp');
    const [w, h] = [1200, 800];
    const raw = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([(x * 255) / w, (y * 255) / h, (x ^ y) & 0xff], (y * w + x) * 3);
    const cases = [
      ['png', 244.89, { thumbnail: [234, 156, 99577], small: [500, 333, 398330], medium: [750, 500, 849522], large: [1000, 667, 1519570] }],
      ['jpeg', 30.65, { thumbnail: [234, 156, 6551], small: [500, 333, 16931], medium: [750, 500, 26727], large: [1000, 667, 44749] }],
    ] as const;
    for (const [format, size, formats] of cases) {
      const data: Buffer = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })[format]().toBuffer();
      const ext = format === 'png' ? '.png' : '.jpg';
      const p = await prepareFile(major, { filename: `big${ext}`, declaredType: `image/${format}`, data }, {});
      // Real v4's sharp 0.33.5 re-encodes the PNG 2 bytes smaller (244,885): its formats are the same bytes.
      if (major === 5 || format === 'jpeg') expect(p.size).toBe(size);
      expect([p.width, p.height]).toEqual([w, h]);
      for (const [key, [fw, fh, bytes]] of Object.entries(formats)) {
        expect(p.formats![key]).toMatchObject({ name: `${key}_big${ext}`, hash: `${key}_${p.hash}`, ext, mime: `image/${format}`, path: null, width: fw, height: fh, sizeInBytes: bytes, size: kilobytes(bytes) });
        const blob = p.blobs.find((b) => b.path === p.formats![key].url)!;
        expect(blob.data.length).toBe(bytes);
        expect((await sharp(blob.data).metadata()).format).toBe(format);
      }
    }
  });

  test('without a loadable sharp: one warning line, the bytes sent kept, each format serving them', () => {
    // A child process whose require('sharp') fails, as on a platform without the prebuilt binary.
    const script = `
      const Module = require('node:module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (request === 'sharp') throw new Error('Could not load the "sharp" module using the linux-x64 runtime\\nmore');
        return load.call(this, request, ...rest);
      };
      (async () => {
        const { prepareFile } = await import(${JSON.stringify(new URL('./files.ts', import.meta.url).href)});
        const { png } = await import(${JSON.stringify(new URL('../../contracts/fixtures.ts', import.meta.url).href)});
        const data = png(600, 400);
        for (let i = 0; i < 2; i++) {
          const p = await prepareFile(5, { filename: 'w.png', declaredType: 'image/png', data }, {});
          const same = p.blobs.every((b) => b.data.equals(data));
          console.log(JSON.stringify({ same, size: p.size, kb: Math.round(data.length / 10) / 100, formats: Object.fromEntries(Object.entries(p.formats).map(([k, f]) => [k, [f.width, f.height, f.sizeInBytes]])) }));
        }
      })();`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatchObject({ same: true, formats: { thumbnail: [234, 156, expect.any(Number)], small: [500, 333, expect.any(Number)] } });
    expect(lines[0].size).toBe(lines[0].kb);
    const warnings = run.stderr.trim().split('\n').filter(Boolean);
    expect(warnings).toEqual(['[strapi-emulator] sharp is not available (Could not load the "sharp" module using the linux-x64 runtime): uploaded images keep their bytes and every format serves the original']);
  });

  test('helpers', () => {
    expect(slug('Café déjà-vu')).toBe('Cafe_deja_vu');
    expect(slug('myPhoto')).toBe('my_Photo');
    expect(kilobytes(5)).toBe(0.01);
    expect(kilobytes(104)).toBe(0.1);
    expect(contentTypeOf('/uploads/a.txt')).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf('/uploads/a.png')).toBe('image/png');
    expect(contentTypeOf('/uploads/a.unknown')).toBe('application/octet-stream');
  });
});

function form(entries: Array<[string, string | File]>): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}
const file = (data: Buffer | string, name: string, type: string) => new File([typeof data === 'string' ? data : new Uint8Array(data)], name, { type });

describe.each([4, 5] as const)('v%i /api/upload', (major) => {
  const created = major === 5 ? 201 : 200;

  test('upload, find, findOne, update info, replace, destroy; bytes served with their type (and HEAD)', async () => {
    const t = await setup({ strapi: major });
    const up = await t.call('POST', '/api/upload', { ...admin, raw: form([['files', file('hello', 'a.txt', 'text/plain')], ['files', file(png(600, 400), 'b.png', 'image/png')], ['fileInfo', JSON.stringify({ caption: 'one' })], ['fileInfo', JSON.stringify({ name: 'two.png' })]]) });
    expect(up.status).toBe(created);
    const [txt, img] = up.body;
    expect(txt).toMatchObject({ id: 1, name: 'a.txt', caption: 'one', mime: 'text/plain', size: 0.01, provider: 'local', formats: null });
    expect(img).toMatchObject({ id: 2, name: 'two.png', width: 600, height: 400 });
    expect(Object.keys(img.formats)).toEqual(major === 5 ? ['thumbnail', 'small'] : ['thumbnail', 'small']);
    if (major === 5) expect(txt).toMatchObject({ isUrlSigned: false, publishedAt: expect.any(String), documentId: expect.any(String) });
    else expect(txt).not.toHaveProperty('documentId');
    const served = await t.call('GET', txt.url, { validate: false });
    expect([served.status, served.text, served.headers.get('content-type'), served.headers.get('cache-control'), served.headers.get('x-powered-by')]).toEqual([200, 'hello', 'text/plain; charset=utf-8', 'max-age=0', 'Strapi <strapi.io>']);
    const head = await t.call('HEAD', img.formats.thumbnail.url, { validate: false });
    expect([head.status, head.text, head.headers.get('content-type')]).toEqual([200, '', 'image/png']);
    expect((await t.call('GET', '/uploads/nope.png', { validate: false })).status).toBe(404);
    const list = await t.call('GET', '/api/upload/files?filters[mime][$contains]=png&fields[0]=name', admin);
    expect(list.body).toEqual([{ id: 2, ...(major === 5 ? { documentId: img.documentId } : {}), name: 'two.png', ...(major === 5 ? { isUrlSigned: false } : {}) }]);
    expect((await t.call('GET', '/api/upload/files?start=1&limit=1', admin)).body.map((f: { id: number }) => f.id)).toEqual([2]);
    const info = await t.call('POST', '/api/upload?id=1', { ...admin, raw: form([['fileInfo', JSON.stringify({ alternativeText: 'alt', caption: null })]]) });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ id: 1, alternativeText: 'alt', caption: 'one' });
    const replaced = await t.call('POST', '/api/upload?id=1', { ...admin, raw: form([['files', file('changed!', 'other.txt', 'text/plain')]]) });
    expect(replaced.body).toMatchObject({ id: 1, url: txt.url, hash: txt.hash, name: 'other.txt', formats: {} });
    expect((await t.call('GET', txt.url, { validate: false })).text).toBe('changed!');
    const gone = await t.call('DELETE', '/api/upload/files/2', admin);
    expect(gone.body.id).toBe(2);
    expect((await t.call('GET', img.url, { validate: false })).status).toBe(404);
    expect((await t.call('GET', '/api/upload/files/2', admin)).body.error).toEqual({ status: 404, name: 'NotFoundError', message: 'file.notFound', details: {} });
  });

  test('errors: no files, wrong field, bad image, too large, several files for a replacement, unknown id, bad multipart', async () => {
    const t = await setup({ strapi: major });
    const err = async (body: FormData | string, query = '', headers?: Record<string, string>) => (await t.call('POST', `/api/upload${query}`, { ...admin, raw: body, headers, validate: false })).body.error;
    expect((await err(form([['file', file('x', 'a.txt', 'text/plain')]]))).message).toBe('Files are empty');
    expect((await err(form([['files', file('', 'empty.txt', 'text/plain')]]))).message).toBe('Files are empty');
    const broken = png(20, 20);
    broken.writeUInt32BE(1, broken.length - 30);
    expect(await err(form([['files', file(broken, 'b.png', 'image/png')]]))).toEqual({ status: 400, name: 'ApplicationError', message: 'File is not a valid image', details: {} });
    const small = await setup({ strapi: major, uploadSizeLimit: 10 });
    const tooLarge = await small.call('POST', '/api/upload', { ...admin, raw: form([['files', file('more than ten bytes', 'big.txt', 'text/plain')]]), validate: false });
    expect(tooLarge.body.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError', message: 'FileTooBig' });
    // formidable's maxFileSize counts every file of the request together: two of 6 bytes exceed 10.
    const together = await small.call('POST', '/api/upload', { ...admin, raw: form([['files', file('six b.', 'a.txt', 'text/plain')], ['files', file('six b.', 'b.txt', 'text/plain')]]), validate: false });
    expect(together.body.error).toEqual({ status: 413, name: 'PayloadTooLargeError', message: 'FileTooBig', details: {} });
    // The body parser decides before the route and the caller: anonymous, or any route, or any field.
    for (const [path, field] of [['/api/upload', 'files'], ['/api/articles', 'cover'], ['/api/auth/local', 'x']]) {
      const anonymous = await small.call('POST', path, { raw: form([[field, file('more than ten bytes', 'big.txt', 'text/plain')]]), validate: false });
      expect([path, anonymous.status, anonymous.body.error?.message]).toEqual([path, 413, 'FileTooBig']);
    }
    expect((await small.call('GET', '/api/upload/files', admin)).body).toEqual([]);
    expect((await err(form([['files', file('a', 'a.txt', 'text/plain')], ['files', file('b', 'b.txt', 'text/plain')]]), '?id=1')).message).toBe('Cannot replace a file with multiple ones');
    expect((await err(form([['fileInfo', '{}']]), '?id=99')).message).toBe('Entity not found');
    // A multipart body that does not parse: real Strapi's formidable fails (500), so does the emulator, saying why.
    const malformed = await t.call('POST', '/api/upload', { ...admin, raw: '--nope\r\ngarbage', headers: { 'content-type': 'multipart/form-data; boundary=zzz' } });
    expect([malformed.status, malformed.headers.get('x-strapi-emulator-crash')]).toEqual([500, expect.stringMatching(/^The multipart body does not parse/)]);
    // Nothing was stored by any of them.
    expect((await t.call('GET', '/api/upload/files', admin)).body).toEqual([]);
  });

  test('ref/refId/field link to an entry (media single or multiple); deleting the file unlinks it', async () => {
    const t = await setup({ strapi: major });
    const article = await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'T' } } });
    const id = article.body.data.id;
    const up = await t.call('POST', '/api/upload', { ...admin, raw: form([['files', file(png(4, 3), 'c.png', 'image/png')], ['ref', 'api::article.article'], ['refId', String(id)], ['field', 'cover']]) });
    const key = major === 5 ? article.body.data.documentId : id;
    const read = await t.call('GET', `/api/articles/${key}?populate=cover`, admin);
    const cover = major === 5 ? read.body.data.cover : read.body.data.attributes.cover.data;
    expect(cover).toMatchObject({ id: up.body[0].id });
    const related = await t.call('GET', `/api/upload/files/${up.body[0].id}?populate=related`, admin);
    expect(related.body.related).toEqual([expect.objectContaining({ id, __type: 'api::article.article', title: 'T' })]);
    const bad = await t.call('POST', '/api/upload', { ...admin, raw: form([['files', file('x', 'x.txt', 'text/plain')], ['ref', 'api::article.article'], ['refId', 'abc'], ['field', 'cover']]), validate: false });
    // Real Strapi stores the file, then fails on the link (500, the file rolled back); the emulator refuses it first.
    expect(bad.status).toBe(500);
    expect(bad.headers.get('x-strapi-emulator-crash')).toBe('refId must be the numeric id of the entry (got "abc")');
    expect((await t.call('GET', '/api/upload/files?filters[name][$eq]=x.txt', admin)).body).toEqual([]);
    await t.call('DELETE', `/api/upload/files/${up.body[0].id}`, admin);
    const after = await t.call('GET', `/api/articles/${key}?populate=cover`, admin);
    expect(major === 5 ? after.body.data.cover : after.body.data.attributes.cover.data).toBeNull();
  });
});
