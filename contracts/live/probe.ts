// Probes edge behaviour of real Strapi 4 and 5 (both up at once) and prints what they answer:
//   tsx contracts/live/probe.ts [4] [5]   (default: both)
// Output: one block per probe and major, with status, content-type and the exact body.
import { bootStrapi, type LiveStrapi } from './harness.js';

const majors = (process.argv.slice(2).length ? process.argv.slice(2).map(Number) : [5, 4]) as (4 | 5)[];

type Answer = { status: number; contentType: string | null; body: string; headers?: Record<string, string> };

async function send(s: LiveStrapi, method: string, path: string, opts: { bearer?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers = new Headers(opts.headers);
  if (opts.bearer) headers.set('authorization', `Bearer ${opts.bearer}`);
  let body = opts.body;
  if (opts.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(`${s.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: text };
}

// 1×1 transparent PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function show(label: string, a: Answer) {
  const body = a.body.length > 600 ? `${a.body.slice(0, 600)}… (${a.body.length} chars)` : a.body;
  console.log(`  ${label}\n    → ${a.status} [${a.contentType ?? 'no content-type'}] ${body === '' ? '(empty body)' : body}`);
}

async function probe(s: LiveStrapi) {
  console.log(`\n===== Strapi v${s.major} (${s.url}) =====`);
  const email = `probe-${s.major}-${Date.now()}@example.com`;
  const reg = await send(s, 'POST', '/api/auth/local/register', { json: { username: `probe${s.major}${Date.now()}`, email, password: 'Passw0rd!' } });
  const jwt = JSON.parse(reg.body).jwt as string;

  console.log('(a) POST /api/auth/local with a ~2 MB JSON body');
  show('{"identifier":"<2,000,000 x>","password":"x"}', await send(s, 'POST', '/api/auth/local', { json: { identifier: 'x'.repeat(2_000_000), password: 'x' } }));
  show('same, ~900 KB (under 1 MB)', await send(s, 'POST', '/api/auth/local', { json: { identifier: 'x'.repeat(900_000), password: 'x' } }));

  console.log('(b) /api/auth/refresh and /api/auth/logout');
  for (const path of ['/api/auth/refresh', '/api/auth/logout']) {
    for (const method of ['POST', 'GET']) {
      show(`${method} ${path} (no JWT${method === 'POST' ? ', body {}' : ''})`, await send(s, method, path, method === 'POST' ? { json: {} } : {}));
      show(`${method} ${path} (user JWT${method === 'POST' ? ', body {}' : ''})`, await send(s, method, path, { bearer: jwt, ...(method === 'POST' ? { json: {} } : {}) }));
    }
  }
  show('POST /api/auth/refresh (no JWT, body {"refreshToken":"x"})', await send(s, 'POST', '/api/auth/refresh', { json: { refreshToken: 'x' } }));

  console.log('(c) POST /api/upload with the full-access token');
  show('no body at all', await send(s, 'POST', '/api/upload', { bearer: s.apiTokens.fullAccess }));
  show('JSON body {}', await send(s, 'POST', '/api/upload', { bearer: s.apiTokens.fullAccess, json: {} }));
  const onlyInfo = new FormData();
  onlyInfo.append('fileInfo', JSON.stringify({ name: 'x' }));
  show('multipart, no file part (only fileInfo)', await send(s, 'POST', '/api/upload', { bearer: s.apiTokens.fullAccess, body: onlyInfo }));
  const wrongField = new FormData();
  wrongField.append('file', new Blob([PNG], { type: 'image/png' }), 'pixel.png');
  show('multipart, 1×1 PNG in field "file"', await send(s, 'POST', '/api/upload', { bearer: s.apiTokens.fullAccess, body: wrongField }));
  const rightField = new FormData();
  rightField.append('files', new Blob([PNG], { type: 'image/png' }), 'pixel.png');
  show('multipart, same PNG in field "files" (control)', await send(s, 'POST', '/api/upload', { bearer: s.apiTokens.fullAccess, body: rightField }));

  console.log('(d) unknown route');
  show('POST /api/nope (body {})', await send(s, 'POST', '/api/nope', { json: {} }));
  show('GET /api/nope', await send(s, 'GET', '/api/nope'));

  console.log('(e) enabled actions of the Public and Authenticated roles (after the bootstrap)');
  const roles = JSON.parse((await send(s, 'GET', '/api/users-permissions/roles', { bearer: s.apiTokens.fullAccess })).body).roles as { id: number; type: string }[];
  for (const type of ['public', 'authenticated']) {
    const role = roles.find((r) => r.type === type)!;
    const r = await send(s, 'GET', `/api/users-permissions/roles/${role.id}`, { bearer: s.apiTokens.fullAccess });
    const perms = JSON.parse(r.body).role.permissions as Record<string, { controllers: Record<string, Record<string, { enabled: boolean }>> }>;
    const enabled: string[] = [];
    for (const [uid, { controllers }] of Object.entries(perms)) {
      for (const [ctrl, actions] of Object.entries(controllers)) {
        for (const [action, { enabled: on }] of Object.entries(actions)) if (on) enabled.push(`${uid}.${ctrl}.${action}`);
      }
    }
    console.log(`  ${type} (GET /api/users-permissions/roles/${role.id} → ${r.status}): ${enabled.length} enabled\n    ${enabled.join('\n    ')}`);
  }

  console.log('(f) response headers of a 200 GET /api/articles');
  const res = await fetch(`${s.url}/api/articles`);
  await res.text();
  console.log(`  → ${res.status}`);
  for (const [k, v] of res.headers) console.log(`    ${k}: ${v}`);
}

const instances: LiveStrapi[] = [];
try {
  for (const major of majors) instances.push(await bootStrapi({ major }));
  for (const s of instances) await probe(s);
} finally {
  await Promise.all(instances.map((s) => s.stop()));
}
