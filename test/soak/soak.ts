// A bounded loopback soak of the emulator as a real server: `node --import tsx
// emulator/server.ts` in its own process (so /proc/<pid>/status VmRSS is the server's alone),
// driven by several undici clients in a closed loop (each waits for its answer before the
// next request) with a mix of reads and writes: register → login → /users/me, article
// create / update / list / delete, uploads and their deletion, roles created, renamed,
// given to a user and deleted. Every answer's status is checked against the one the
// operation must give; a 5xx, any other status or a connection error is an error.
//
// What each client creates it deletes again once it holds more than `keep` of a kind, so
// the world stays bounded (≤ clients × keep records of each kind) and the RSS should too.
// The last `keep` stay at the end, so the counts check both creates and deletes.
// RSS bound: end ≤ after-warm-up × 1.5 + 50 MB. The warm-up lets V8 reach its working
// heap (JIT code, the first old-space growth); after it, what remains is the bounded world,
// the request log (200 entries) and the rate-limit windows (one per login address or
// registration email, dropped after 60 s), plus V8 growing its heap before a major GC — a
// few tens of MB at most, hence 50 MB absolute slack and 1.5× for heap growth proportional
// to what is in use. A leak of 1 KB per request at the ~200 req/s of this box over 10 min
// (~120 MB) is caught; the 30 s CI run catches only gross leaks.
// Counts: at the end users, articles, files and roles are counted through the API and must
// equal the start plus the clients' acknowledged creates minus acknowledged deletes.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, FormData, request } from 'undici';
import { rssMb, spawnGroup } from '../../bench/proc.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const token = 'soak-full-access';
const password = 'Passw0rd!';

export type SoakOptions = {
  durationMs: number;
  /** RSS is taken as the start figure after this long (default: 10 % of the duration, 5 s to 60 s). */
  warmupMs?: number;
  clients?: number;
  /** Records of each kind a client keeps before deleting its oldest (default 20). */
  keep?: number;
  strapi?: 4 | 5;
  log?: (line: string) => void;
};

type Kind = 'users' | 'articles' | 'files' | 'roles';
type Counts = Record<Kind, number>;

export type SoakReport = {
  durationMs: number;
  requests: number;
  byOperation: Record<string, number>;
  errors: number;
  /** The first errors, for the message. */
  errorSamples: string[];
  rssMb: { start: number; end: number; peak: number; bound: number; samples: Array<[number, number]> };
  counts: { expected: Counts; actual: Counts };
};

/** Loopback source addresses for logins: the limiter allows 10 per 60 s per address, so each login takes the next of a pool. */
class LoginAddresses {
  private agents: Agent[] = [];
  private next = 0;
  constructor(private readonly size: number) {}
  take(): Agent {
    const i = this.next++ % this.size;
    // 127.88.x.y: every 127/8 address is the loopback interface on Linux.
    this.agents[i] ??= new Agent({ localAddress: `127.88.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`, connections: 1, keepAliveTimeout: 1000 });
    return this.agents[i];
  }
  async close(): Promise<void> {
    await Promise.all(this.agents.map((a) => a?.close()));
  }
}

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const major = opts.strapi ?? 5;
  const clients = opts.clients ?? 6;
  const keep = opts.keep ?? 20;
  const warmupMs = opts.warmupMs ?? Math.min(60_000, Math.max(5_000, opts.durationMs / 10));
  const log = opts.log ?? (() => undefined);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['PORT', 'HOST', 'EMULATOR_DATA', 'STRAPI_VERSION', 'EMULATOR_SEED'].includes(k)));
  const server = spawnGroup(process.execPath, ['--import', 'tsx', join(root, 'emulator', 'server.ts'), '--port', '0', '--quiet', '--strapi', String(major), '--api-token', token], env, root);
  const url = await new Promise<string>((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const m = /listening on (http:\/\/\S+)/.exec(server.output());
      if (m) {
        clearInterval(poll);
        resolve(m[1]);
      } else if (server.child.exitCode !== null || Date.now() - started > 60_000) {
        clearInterval(poll);
        reject(new Error(`the server did not start: ${server.output()}`));
      }
    }, 20);
  });
  const pid = server.child.pid!;
  const main = new Agent({ connections: clients, keepAliveTimeout: 2000 });
  const logins = new LoginAddresses(1000);
  const byOperation: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  let requests = 0;
  const acked: Counts = { users: 0, articles: 0, files: 0, roles: 0 };

  /** One request; the parsed answer when its status is `expected`, else an error is counted and `undefined` returned. */
  async function call(op: string, expected: number, method: string, path: string, init: { json?: unknown; form?: FormData; jwt?: string; dispatcher?: Agent } = {}): Promise<any> {
    requests += 1;
    byOperation[op] = (byOperation[op] ?? 0) + 1;
    try {
      const res = await request(`${url}${path}`, {
        method: method as 'GET',
        dispatcher: init.dispatcher ?? main,
        headers: { authorization: `Bearer ${init.jwt ?? token}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: init.form ?? (init.json === undefined ? undefined : JSON.stringify(init.json)),
      });
      const text = await res.body.text();
      if (res.statusCode !== expected) throw new Error(`${res.statusCode} (expected ${expected}) ${text.slice(0, 200)}`);
      return text ? JSON.parse(text) : null;
    } catch (error) {
      errors += 1;
      if (errorSamples.length < 20) errorSamples.push(`${op} ${method} ${path}: ${(error as Error).message}`);
      return undefined;
    }
  }

  const created = major === 5 ? 201 : 200;
  const deletedDoc = major === 5 ? 204 : 200;
  const docId = (body: any) => (major === 5 ? body.data.documentId : body.data.id);
  let stop = false;
  let seq = 0;

  async function client(c: number): Promise<void> {
    const mine: Record<Kind, Array<string | number>> = { users: [], articles: [], files: [], roles: [] };
    /** Deletes the oldest of a kind beyond `keep` (all of them at the end). */
    const trim = async (kind: Kind, limit: number, del: (id: string | number) => Promise<boolean>) => {
      while (mine[kind].length > limit) {
        const id = mine[kind].shift()!;
        if (await del(id)) acked[kind] -= 1;
      }
    };
    const delUser = async (id: string | number) => (await call('user.delete', 200, 'DELETE', `/api/users/${id}`)) !== undefined;
    const delArticle = async (id: string | number) => (await call('article.delete', deletedDoc, 'DELETE', `/api/articles/${id}`)) !== undefined;
    const delFile = async (id: string | number) => (await call('file.delete', 200, 'DELETE', `/api/upload/files/${id}`)) !== undefined;
    const delRole = async (id: string | number) => (await call('role.delete', 200, 'DELETE', `/api/users-permissions/roles/${id}`)) !== undefined;

    while (!stop) {
      const n = `s${c}x${++seq}`;
      const pick = Math.random();
      if (pick < 0.08) {
        // A session: register, log in from a fresh address, read /users/me.
        const reg = await call('register', 200, 'POST', '/api/auth/local/register', { json: { username: n, email: `${n}@example.com`, password } });
        if (!reg) continue;
        acked.users += 1;
        mine.users.push(reg.user.id);
        const login = await call('login', 200, 'POST', '/api/auth/local', { json: { identifier: n, password }, dispatcher: logins.take() });
        if (login) await call('me', 200, 'GET', '/api/users/me', { jwt: login.jwt });
        await trim('users', keep, delUser);
      } else if (pick < 0.3) {
        const body = await call('article.create', created, 'POST', '/api/articles', { json: { data: { title: n, body: 'x'.repeat(200) } } });
        if (body) {
          acked.articles += 1;
          mine.articles.push(docId(body));
        }
        await trim('articles', keep, delArticle);
      } else if (pick < 0.45 && mine.articles.length) {
        const id = mine.articles[Math.floor(Math.random() * mine.articles.length)];
        await call('article.update', 200, 'PUT', `/api/articles/${id}`, { json: { data: { title: `${n}-updated` } } });
      } else if (pick < 0.75) {
        await call('article.list', 200, 'GET', `/api/articles?pagination[pageSize]=10&sort=title:desc&filters[title][$contains]=${c}`);
      } else if (pick < 0.85) {
        if (mine.articles.length) await call('article.findOne', 200, 'GET', `/api/articles/${mine.articles[mine.articles.length - 1]}`);
        else await call('user.count', 200, 'GET', '/api/users/count');
      } else if (pick < 0.93) {
        const form = new FormData();
        form.append('files', new Blob([randomBytes(4096)], { type: 'application/octet-stream' }), `${n}.bin`);
        const files = await call('upload', created, 'POST', '/api/upload', { form });
        if (files) {
          acked.files += 1;
          mine.files.push(files[0].id);
        }
        await trim('files', keep, delFile);
      } else {
        // Role changes: create one, find its id (the answer is {ok: true}), rename it, give it to one of my users.
        if (!(await call('role.create', 200, 'POST', '/api/users-permissions/roles', { json: { name: n, description: 'soak', permissions: {} } }))) continue;
        const list = await call('role.list', 200, 'GET', '/api/users-permissions/roles');
        const role = list?.roles.find((r: { name: string }) => r.name === n);
        if (!role) {
          if (list) {
            errors += 1;
            errorSamples.push(`role ${n} created but not listed`);
          }
          continue;
        }
        acked.roles += 1;
        mine.roles.push(role.id);
        await call('role.update', 200, 'PUT', `/api/users-permissions/roles/${role.id}`, { json: { name: `${n}-renamed`, permissions: {} } });
        if (mine.users.length) await call('user.role', 200, 'PUT', `/api/users/${mine.users[mine.users.length - 1]}`, { json: { role: role.id } });
        await trim('roles', Math.min(keep, 5), delRole);
      }
    }
    // What is left stays: the end counts then check creates and deletes both.
  }

  const count = async (): Promise<Counts> => ({
    users: (await call('count', 200, 'GET', '/api/users/count')) as number,
    articles: (await call('count', 200, 'GET', '/api/articles?pagination[pageSize]=1'))?.meta.pagination.total,
    files: (await call('count', 200, 'GET', '/api/upload/files'))?.length,
    roles: (await call('count', 200, 'GET', '/api/users-permissions/roles'))?.roles.length,
  });

  const samples: Array<[number, number]> = [];
  const t0 = Date.now();
  try {
    const before = await count();
    const sampler = setInterval(() => {
      samples.push([Date.now() - t0, rssMb(pid)]);
      if (samples.length % 6 === 0) log(`${((Date.now() - t0) / 1000).toFixed(0)} s: ${requests} requests, ${errors} errors, RSS ${rssMb(pid).toFixed(1)} MB`);
    }, 5000);
    const running = Array.from({ length: clients }, (_, c) => client(c));
    await new Promise((r) => setTimeout(r, warmupMs));
    const start = rssMb(pid);
    log(`after the ${warmupMs / 1000} s warm-up: RSS ${start.toFixed(1)} MB`);
    await new Promise((r) => setTimeout(r, Math.max(0, opts.durationMs - warmupMs)));
    const end = rssMb(pid);
    stop = true;
    await Promise.all(running);
    clearInterval(sampler);
    const durationMs = Date.now() - t0;
    const actual = await count();
    const expected: Counts = { users: before.users + acked.users, articles: before.articles + acked.articles, files: before.files + acked.files, roles: before.roles + acked.roles };
    return {
      durationMs,
      requests,
      byOperation,
      errors,
      errorSamples,
      rssMb: { start, end, peak: Math.max(start, end, ...samples.map(([, m]) => m)), bound: start * 1.5 + 50, samples },
      counts: { expected, actual },
    };
  } finally {
    await Promise.all([main.close(), logins.close()]);
    await server.stop();
  }
}

/** The figures, one per line, and what failed. */
export function soakSummary(r: SoakReport): string {
  return [
    `duration: ${(r.durationMs / 1000).toFixed(1)} s`,
    `requests: ${r.requests} (${((r.requests * 1000) / r.durationMs).toFixed(0)}/s) — ${Object.entries(r.byOperation).map(([op, n]) => `${op} ${n}`).join(', ')}`,
    `errors: ${r.errors}${r.errorSamples.map((e) => `\n  ${e}`).join('')}`,
    `RSS: start (after warm-up) ${r.rssMb.start.toFixed(1)} MB, end ${r.rssMb.end.toFixed(1)} MB, peak ${r.rssMb.peak.toFixed(1)} MB; bound start × 1.5 + 50 = ${r.rssMb.bound.toFixed(1)} MB`,
    `counts (expected / via the API): ${(Object.keys(r.counts.expected) as Array<keyof typeof r.counts.expected>).map((k) => `${k} ${r.counts.expected[k]}/${r.counts.actual[k]}`).join(', ')}`,
    ...soakFailures(r).map((v) => `FAILED: ${v}`),
  ].join('\n');
}

/** What breaks the soak's promises: errors, RSS over the bound, counts that do not add up. */
export function soakFailures(r: SoakReport): string[] {
  const out: string[] = [];
  if (r.errors) out.push(`${r.errors} errors`);
  if (!(r.rssMb.end <= r.rssMb.bound)) out.push('RSS over the bound');
  if (JSON.stringify(r.counts.expected) !== JSON.stringify(r.counts.actual)) out.push('counts differ');
  return out;
}
