// Smoke check of the real-Strapi harness: tsx contracts/live/smoke.ts 4|5
// Boots a real Strapi, checks public read, register, both API tokens, forgot-password + outbox,
// then stops it and checks that no process of it is left. Exits non-zero on any failure.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { bootStrapi } from './harness.js';

const major = Number(process.argv[2]) as 4 | 5;
if (major !== 4 && major !== 5) {
  console.error('usage: tsx contracts/live/smoke.ts 4|5');
  process.exit(2);
}

let failures = 0;
let passes = 0;
function check(name: string, ok: boolean, detail: unknown) {
  if (ok) passes++;
  else failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} v${major} ${name}${ok ? '' : `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
}

async function call(url: string, init: RequestInit & { json?: unknown; bearer?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  if (init.bearer) headers.set('authorization', `Bearer ${init.bearer}`);
  const res = await fetch(url, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

function groupProcesses(pgid: number): string {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // ps exits 1 when nothing matches
  }
}

const t0 = Date.now();
const s = await bootStrapi({ major });
const bootSeconds = (Date.now() - t0) / 1000;
// The strapi child of this process (its process group leader).
const pid = Number(
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.includes('strapi') && l.includes(' start'))
    ?.trim()
    .split(/\s+/)[0],
);
check('strapi runs as a child process group', pid > 0 && groupProcesses(pid) !== '', pid);
try {
  const list = await call(`${s.url}/api/articles`);
  check('GET /api/articles as Public → 200', list.status === 200, list);

  const email = `smoke-${Date.now()}@example.com`;
  const reg = await call(`${s.url}/api/auth/local/register`, { method: 'POST', json: { username: `smoke${Date.now()}`, email, password: 'Passw0rd!' } });
  check('register → 200 {jwt,user}', reg.status === 200 && typeof reg.body?.jwt === 'string' && reg.body?.user?.email === email, reg);

  const users = await call(`${s.url}/api/users`, { bearer: s.apiTokens.fullAccess });
  check('full-access token GET /api/users → 200 array', users.status === 200 && Array.isArray(users.body), users);

  const created = await call(`${s.url}/api/articles`, { method: 'POST', bearer: s.apiTokens.fullAccess, json: { data: { title: 'Smoke' } } });
  check(`full-access token POST /api/articles → ${major === 5 ? 201 : 200}`, created.status === (major === 5 ? 201 : 200), created);

  const denied = await call(`${s.url}/api/articles`, { method: 'POST', bearer: s.apiTokens.readOnly, json: { data: { title: 'Nope' } } });
  check('read-only token POST /api/articles → 403', denied.status === 403, denied);

  const readOnlyList = await call(`${s.url}/api/articles`, { bearer: s.apiTokens.readOnly });
  check('read-only token GET /api/articles → 200', readOnlyList.status === 200, readOnlyList);

  const forgot = await call(`${s.url}/api/auth/forgot-password`, { method: 'POST', json: { email } });
  check('forgot-password → 200 {"ok":true}', forgot.status === 200 && JSON.stringify(forgot.body) === '{"ok":true}', forgot);
  const mails = readFileSync(s.mailFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const mail = mails.find((m) => m.to === email);
  const code = /code=([0-9a-f]+)/.exec(`${mail?.text ?? ''} ${mail?.html ?? ''}`)?.[1];
  check('mail file has the reset mail with the code', !!mail && !!code && code.length === 128, mails);
  if (code) {
    const reset = await call(`${s.url}/api/auth/reset-password`, { method: 'POST', json: { code, password: 'N3wPassw0rd!', passwordConfirmation: 'N3wPassw0rd!' } });
    check('reset-password with the mailed code → 200 {jwt,user}', reset.status === 200 && typeof reset.body?.jwt === 'string', reset);
  }
} finally {
  await s.stop();
}
const left = groupProcesses(pid);
check('stop() leaves no process of the instance', left === '', left);
console.log(`v${major}: boot ${bootSeconds.toFixed(1)}s (install included if it was needed)`);
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
