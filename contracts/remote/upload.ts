// The upload plugin's scenarios: the media library read, a 67-byte PNG uploaded, read, served
// and deleted, and the refusals; the huge upload only with --stress.
import { Readable } from 'node:stream';
import { FormData } from 'undici';
import { CheckFailure, type Ctx, type Scenario } from './runner.js';

// A 1×1 transparent PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const group = 'upload';

/**
 * Uploads the PNG under a unique name and registers its deletion. (The first content-API upload
 * of an instance makes Strapi create its "API Uploads" folder, which a content API token cannot
 * delete: the one thing a check can leave, and only on an instance that never had an upload.)
 */
export async function uploadTiny(ctx: Ctx): Promise<{ id: number; url: string; name: string }> {
  const name = `${ctx.mark()}.png`;
  const form = new FormData();
  form.append('files', new Blob([png], { type: 'image/png' }), name);
  const a = await ctx.http.send('POST', '/api/upload', { token: ctx.token, body: form as never });
  const files = (Array.isArray(a.json) ? a.json : []) as Array<{ id: number; url: string; name: string }>;
  for (const f of files) ctx.created(`upload file ${f.id} (${f.name})`, async () => {
    const res = await ctx.http.send('DELETE', `/api/upload/files/${f.id}`, { token: ctx.token });
    if (res.status !== 200 && res.status !== 404) throw new Error(`DELETE /api/upload/files/${f.id} answered ${res.status}`);
  });
  ctx.expect(a, ctx.major === 5 ? 201 : 200);
  if (files.length !== 1 || files[0].name !== name) throw new CheckFailure(`upload answered ${a.text.slice(0, 200)}, expected the one file ${name}`);
  return files[0];
}

export function uploadScenarios(): Scenario[] {
  return [
    { group, name: 'the media library: list', run: async (ctx) => void ctx.expect(await ctx.http.send('GET', '/api/upload/files', { token: ctx.token }), 200) },
    { group, name: 'a file that does not exist: 404', run: async (ctx) => void ctx.expect(await ctx.http.send('GET', '/api/upload/files/2147483000', { token: ctx.token }), 404, { name: 'NotFoundError' }) },
    {
      group,
      name: 'upload a PNG, read it, fetch it from its URL, delete it',
      writes: true,
      async run(ctx) {
        const file = await uploadTiny(ctx);
        const one = ctx.expect(await ctx.http.send('GET', `/api/upload/files/${file.id}`, { token: ctx.token }), 200);
        if ((one.json as { mime?: string }).mime !== 'image/png') throw new CheckFailure(`the file's mime is ${(one.json as { mime?: string }).mime}`);
        // A relative URL is served by the instance itself (the local provider); a CDN's is not checked.
        if (file.url.startsWith('/')) {
          const served = await ctx.http.send('GET', file.url);
          if (served.status !== 200) throw new CheckFailure(`GET ${file.url} answered ${served.status}`);
        }
        ctx.expect(await ctx.http.send('DELETE', `/api/upload/files/${file.id}`, { token: ctx.token }), 200);
        ctx.expect(await ctx.http.send('GET', `/api/upload/files/${file.id}`, { token: ctx.token }), 404);
      },
    },
    {
      group,
      name: 'an upload without files: 400',
      writes: true,
      async run(ctx) {
        const form = new FormData();
        form.append('fileInfo', JSON.stringify({ name: ctx.mark() }));
        ctx.expect(await ctx.http.send('POST', '/api/upload', { token: ctx.token, body: form as never }), 400, { name: 'ValidationError', message: 'Files are empty' });
      },
    },
    {
      group,
      name: 'a 201 MB upload is refused and the instance still answers',
      writes: true,
      stress: true,
      async run(ctx) {
        const size = 201 * 1024 * 1024;
        const boundary = `check${ctx.mark()}`;
        const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${ctx.mark()}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
        const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
        const chunk = Buffer.alloc(1024 * 1024);
        async function* body() {
          yield head;
          for (let sent = 0; sent < size; sent += chunk.length) yield chunk;
          yield tail;
        }
        let a;
        try {
          a = await ctx.http.send('POST', '/api/upload', { token: ctx.token, body: Readable.from(body()) as never, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, timeoutMs: 300_000 });
        } catch (error) {
          // Strapi may answer 413 and close the socket before the body is sent: then only the health counts.
          if (!(await ctx.http.alive())) throw error;
          return;
        }
        if (a.status < 300) {
          for (const f of (Array.isArray(a.json) ? a.json : []) as Array<{ id: number }>) ctx.created(`upload file ${f.id} (huge)`, async () => void (await ctx.http.send('DELETE', `/api/upload/files/${f.id}`, { token: ctx.token })));
          throw new CheckFailure(`a 201 MB upload was accepted (${a.status})`);
        }
        if (a.status >= 500) throw new CheckFailure(`a 201 MB upload answered ${a.status}: ${a.text.slice(0, 200)}`);
        if (!(await ctx.http.alive())) throw new CheckFailure('the instance stopped answering after a 201 MB upload');
      },
    },
  ];
}
