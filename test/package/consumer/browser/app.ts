// A front end's development mock: the emulator in the page behind MSW's service worker. The
// page registers, logs in, reads /users/me, creates and filters articles, and reports.
import { setupWorker } from 'msw/browser';
import { createEmulator, strapiHandlers } from 'strapi-emulator/msw/browser';

async function main() {
  const base = `${location.origin}/cms`;
  const emulator = createEmulator({ strapi: 5, apiTokens: [{ accessKey: 'full', type: 'full-access' }] });
  const worker = setupWorker(...strapiHandlers(base, emulator));
  await worker.start({ quiet: true, serviceWorker: { url: '/mockServiceWorker.js' } });
  const json = { 'content-type': 'application/json' };
  const register = await fetch(`${base}/api/auth/local/register`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' }) });
  const { jwt } = await register.json();
  const me = await (await fetch(`${base}/api/users/me`, { headers: { authorization: `Bearer ${jwt}` } })).json();
  const auth = { ...json, authorization: 'Bearer full' };
  for (const title of ['x', 'y']) await fetch(`${base}/api/articles`, { method: 'POST', headers: auth, body: JSON.stringify({ data: { title } }) });
  const filtered = await (await fetch(`${base}/api/articles?filters[title][$eq]=x`, { headers: auth })).json();
  const wrong = await fetch(`${base}/api/auth/local`, { method: 'POST', headers: json, body: JSON.stringify({ identifier: 'ann', password: 'nope' }) });
  const page = await fetch('/index.html');
  return {
    registered: register.status,
    me: me.email,
    filtered: filtered.data.map((a: { title: string }) => a.title),
    wrongPassword: [wrong.status, (await wrong.json()).error.message],
    // Only the emulator's base is answered by it: the page's own files still come from the server.
    ownFile: page.status,
    controlled: navigator.serviceWorker.controller !== null,
  };
}

main().then(
  (result) => ((window as unknown as { result: unknown }).result = result),
  (error) => ((window as unknown as { result: unknown }).result = { error: String(error?.stack ?? error) }),
);
