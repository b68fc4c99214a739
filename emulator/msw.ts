// MSW handlers that answer every request under `baseUrl` with the emulator, in-process (no
// socket): `setupServer(...strapiHandlers('http://strapi.test', createEmulator()))`.
// Without a socket, the client address for rate limiting is 127.0.0.1 unless the request
// carries `x-emulator-client-ip`.
import * as msw from 'msw';
import type { Emulator } from './index.js';

// msw 1 has no `http` (its handlers are `rest.*`): say so here rather than fail on the first request.
if (typeof (msw as Partial<typeof msw>).http?.all !== 'function') throw new Error('strapi-emulator/msw needs msw 2 (a peer dependency: your project\'s own copy): npm install -D msw@2');
const { http } = msw;

export function strapiHandlers(baseUrl: string, emulator: Pick<Emulator, 'app'>) {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const pattern = `${base.origin}${prefix}/*`;
  return [
    http.all(pattern, async ({ request }) => {
      if (!prefix) return emulator.app.fetch(request);
      // Serve the emulator at the root: strip the base path.
      const url = new URL(request.url);
      url.pathname = url.pathname.slice(prefix.length) || '/';
      const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers: request.headers, body: request.body, duplex: 'half' };
      return emulator.app.fetch(new Request(url, init));
    }),
  ];
}
