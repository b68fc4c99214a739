// The load cases against one HTTP target, after seeding it: the list (populate + filter), one
// article, /users/me, logins (bcrypt cost 10; on the emulator also cost 4), then creates (last,
// since they grow the table). autocannon drives all but the logins (see logins.ts).
import { type Call, bearer, articleData, registerUsers, seedArticles, seedHashedUsers } from './fixture.js';
import { cannon } from './load.js';
import { loginLoad } from './logins.js';
import { LIST_PATH, settings } from './options.js';
import { rssMb } from './proc.js';
import type { Load } from './stats.js';
import type { Target } from './targets.js';

export const CASES = {
  list: `GET ${LIST_PATH}`,
  findOne: 'GET /api/articles/{id}',
  me: 'GET /api/users/me',
  login: 'POST /api/auth/local (bcrypt cost 10)',
  loginCost4: 'POST /api/auth/local (bcrypt cost 4)',
  create: 'POST /api/articles',
} as const;
export type CaseName = keyof typeof CASES;

export type TargetRun = { cases: Partial<Record<CaseName, Load>>; rssIdleMb: number; rssAfterMb: number };

const log = (msg: string) => process.stderr.write(`[bench]   ${msg}\n`);

/** Fails loudly when a case's request does not answer 2xx before it is measured. */
async function check(call: Call, path: string, init: RequestInit = {}): Promise<void> {
  const res = await call(path, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  await res.arrayBuffer();
}

export async function runCases(target: Target, opts: { emulator: boolean }): Promise<TargetRun> {
  const { duration: s, connections: c } = settings;
  const call: Call = (path, init) => fetch(target.url + path, init);
  const keys = await seedArticles(call, target.major, target.token, settings.fixtureDocs);
  const { identifiers, jwt } = await registerUsers(call, settings.fixtureUsers);
  const cost4 = opts.emulator ? await seedHashedUsers(call, settings.fixtureUsers, 4) : [];
  const rssIdleMb = rssMb(target.pid);
  const one = `/api/articles/${keys[Math.floor(keys.length / 2)]}`;
  const create = { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(target.token) }, body: JSON.stringify(articleData(999_999)) };
  for (const [path, init] of [[LIST_PATH, {}], [one, {}], ['/api/users/me', { headers: bearer(jwt) }]] as const) await check(call, path, init);

  const cases: TargetRun['cases'] = {};
  const run = async (name: CaseName, measure: () => Promise<Load>) => {
    cases[name] = await measure();
    const r = cases[name]!;
    log(`${CASES[name].padEnd(60)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms${r.non2xx || r.errors ? `  non-2xx ${r.non2xx} errors ${r.errors}` : ''}`);
  };
  await run('list', () => cannon(target.url + LIST_PATH, {}, s, c));
  await run('findOne', () => cannon(target.url + one, {}, s, c));
  await run('me', () => cannon(`${target.url}/api/users/me`, { headers: bearer(jwt) }, s, c));
  await run('login', () => loginLoad(target.url, identifiers, s, c));
  if (cost4.length) await run('loginCost4', () => loginLoad(target.url, cost4, s, c));
  await run('create', () => cannon(`${target.url}/api/articles`, create, s, c));
  return { cases, rssIdleMb, rssAfterMb: rssMb(target.pid) };
}
