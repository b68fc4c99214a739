// The live instance's side: requests sent over HTTP(S) as they are (one keep-alive connection
// pool, so all of them come from one source address), answers read like the emulator's, and
// what a mirror needs to know about the instance read from its own API.
import { Agent, fetch as undiciFetch } from 'undici';
import type { WireRequest } from './mapping.js';
import { type Answer, readAnswer } from './replay.js';
import { type RoleMirror, enabledActions } from './mirror.js';

/** The instance stopped answering (refused, reset, timed out): the run stops and says so. */
export class InstanceDown extends Error {}

export function instanceSender(baseUrl: string, opts: { timeoutMs?: number } = {}): { send: (req: WireRequest) => Promise<Answer>; close: () => Promise<void> } {
  const agent = new Agent({ connections: 4, headersTimeout: opts.timeoutMs ?? 60_000, bodyTimeout: opts.timeoutMs ?? 60_000 });
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async send(req) {
      let res: Awaited<ReturnType<typeof undiciFetch>>;
      try {
        const body = req.body === undefined || ['GET', 'HEAD'].includes(req.method) ? undefined : typeof req.body === 'string' ? req.body : Buffer.from(req.body);
        res = await undiciFetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body, redirect: 'manual', dispatcher: agent });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new InstanceDown(`${base} stopped answering (${req.method} ${req.path}: ${cause?.code ?? cause?.message ?? (error as Error).message})`);
      }
      return readAnswer(res as unknown as Response);
    },
    close: () => agent.close(),
  };
}

export type Discovered = { major: 4 | 5; locales: string[]; roles: RoleMirror[] };

/** Major (roles carry documentId on 5), locales (default first) and roles with their enabled actions. */
export async function discover(send: (req: WireRequest) => Promise<Answer>, token: string): Promise<Discovered> {
  const headers = { authorization: `Bearer ${token}` };
  const json = async (path: string): Promise<{ status: number; body: any }> => {
    const a = await send({ method: 'GET', path, headers });
    return { status: a.status, body: a.body && 'json' in a.body ? a.body.json : undefined };
  };
  const roles = await json('/api/users-permissions/roles');
  if (roles.status === 401 || roles.status === 403) throw new InstanceRefused(`the instance refused the token (${roles.status} on GET /api/users-permissions/roles): give a full-access API token`);
  if (roles.status !== 200 || !Array.isArray(roles.body?.roles)) throw new InstanceRefused(`GET /api/users-permissions/roles answered ${roles.status}${roles.body?.roles ? '' : ' without {roles: […]}'}: is it a Strapi 4 or 5 with users-permissions?`);
  const major: 4 | 5 = roles.body.roles.some((r: { documentId?: unknown }) => typeof r.documentId === 'string') ? 5 : 4;
  const mirrored: RoleMirror[] = [];
  for (const r of roles.body.roles as Array<{ id: number; name: string; description: string | null; type: string }>) {
    const one = await json(`/api/users-permissions/roles/${r.id}`);
    mirrored.push({ name: r.name, description: r.description ?? null, type: r.type, actions: enabledActions(one.body?.role?.permissions) });
  }
  const loc = await json('/api/i18n/locales');
  const list = Array.isArray(loc.body) ? (loc.body as Array<{ code: string; isDefault?: boolean }>) : [];
  const locales = [...list.filter((l) => l.isDefault), ...list.filter((l) => !l.isDefault)].map((l) => l.code);
  return { major, locales, roles: mirrored };
}

export class InstanceRefused extends Error {}
