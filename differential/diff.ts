// `diff`: the plan's requests (plan.ts) go to the instance, then, ids rewritten, to an emulator
// mirroring it (mirror.ts); every pair of answers is compared (replay.ts). The instance's
// answers lead: a request the plan builds from an answer (an id it created) is built from the
// instance's, and the IdMap carries it over to the emulator.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Instance, discoverInstance, schemasOf, writeProject } from '../contracts/remote/instance.js';
import type { RequestHook } from '../emulator/http/app.js';
import { encodeBody, pickHeaders, REQUEST_HEADERS, type RecordedRequest } from './exchange.js';
import { IdMap, type TargetOf, type WireRequest } from './mapping.js';
import { createMirror } from './mirror.js';
import { InstanceDown, instanceSender } from './instance.js';
import { type Channel, Cleanup, runPlan } from './plan.js';
import { type Answer, type Divergence, Replayer } from './replay.js';
import type { Schemas } from './sample.js';

export type DiffOptions = {
  url: string;
  token: string;
  /** The instance's project folder: its types, config and route code; else they are read from the instance (content-type builder). */
  project?: string;
  readOnly?: boolean;
  uploads?: boolean;
  /** Hooks for the emulator side (tests plant differences with them). */
  hooks?: RequestHook[];
  signal?: AbortSignal;
  log?: (line: string) => void;
};

export type DiffResult = {
  major: 4 | 5;
  requests: number;
  divergences: Divergence[];
  /** What the run could not clean up on the instance (empty when all it created is gone). */
  leftovers: string[];
  notes: string[];
  /** Set when the run stopped early: the instance died, or it was interrupted. */
  stopped?: string;
};

/** Which collection a relation or media attribute's ids belong to (for the IdMap). */
export function targetsOf(schemas: Schemas): TargetOf {
  const plural = new Map(schemas.contentTypes.map((c) => [c.uid, c.info.pluralName]));
  plural.set('plugin::users-permissions.user', 'users');
  plural.set('plugin::upload.file', 'files');
  const byCollection = new Map(schemas.contentTypes.map((c) => [c.info.pluralName, c]));
  return (collection, attribute) => {
    const a = byCollection.get(collection)?.attributes[attribute];
    if (!a) return undefined;
    if (a.type === 'media') return 'files';
    return a.type === 'relation' && a.target ? plural.get(a.target) : undefined;
  };
}

export function toRecorded(req: WireRequest): RecordedRequest {
  const headers = pickHeaders(req.headers, REQUEST_HEADERS);
  const bytes = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  const body = bytes ? encodeBody(bytes, headers['content-type'], Infinity) : undefined;
  return { method: req.method, path: req.path, headers, ...(body ? { body } : {}) };
}

export class Stopped extends Error {}

/** The locales as the emulator takes them, the default first. */
export function localesOf(instance: Pick<Instance, 'locales'>): Array<{ code: string; name?: string; isDefault?: boolean }> | undefined {
  return instance.locales?.length ? [...instance.locales].sort((a, b) => Number(!!b.isDefault) - Number(!!a.isDefault)) : undefined;
}

export async function runDiff(opts: DiffOptions): Promise<DiffResult> {
  const log = opts.log ?? (() => {});
  const found: Instance = await discoverInstance(opts.url, opts.token, opts.project ? { project: opts.project } : {});
  const notes = found.warnings.map((w) => `discovery: ${w}`);
  // Without the project, the instance's own schemas as a project folder (removed at the end).
  const written = opts.project ? undefined : writeProject(found, mkdtempSync(join(tmpdir(), 'strapi-emulator-diff-')));
  const project = opts.project ?? written!;
  const instance = instanceSender(opts.url);
  try {
    const schemas: Schemas = schemasOf(project);
    const locales = localesOf(found);
    log(`instance: Strapi ${found.major}, ${schemas.contentTypes.length} content types, locales ${locales?.map((l) => l.code).join(', ') ?? 'none'}, roles ${Object.keys(found.permissions).join(', ')}`);
    const mirror = await createMirror({ major: found.major, project, locales, ...(found.rest ? { rest: found.rest } : {}), permissions: found.permissions, apiTokens: [opts.token], hooks: opts.hooks, onWarning: (l) => notes.push(`emulator: ${l}`) });
    const replayer = new Replayer(mirror.send, new IdMap(targetsOf(schemas)));
    let seq = 0;
    const check = () => {
      if (opts.signal?.aborted) throw new Stopped('interrupted');
    };
    const channel: Channel = {
      async send(req) {
        check();
        const answer: Answer = await instance.send(req);
        await replayer.replay(++seq, toRecorded(req), answer);
        return answer;
      },
      peek: (req) => (check(), instance.send(req)),
    };
    const tag = `diff-${randomBytes(4).toString('hex')}`;
    const cleanup = new Cleanup();
    let stopped: string | undefined;
    try {
      await runPlan(channel, schemas, { major: found.major, token: opts.token, tag, readOnly: opts.readOnly, uploads: opts.uploads, locales: locales?.map((l) => l.code), log }, cleanup);
    } catch (error) {
      if (!(error instanceof InstanceDown || error instanceof Stopped)) throw error;
      stopped = error.message;
    } finally {
      // Stopped early: only the instance needs its entries removed; otherwise removals are compared too.
      if (cleanup.pending.length) log(`removing what the run created (${cleanup.pending.length})`);
      const leftovers = await cleanup.run(stopped ? instance.send : (req) => channel.send(req).catch(() => instance.send(req)));
      if (leftovers.length) notes.push(`could not remove from the instance: ${leftovers.join('; ')}`);
    }
    return { major: found.major, requests: replayer.requests, divergences: replayer.divergences, leftovers: cleanup.pending, notes, ...(stopped ? { stopped } : {}) };
  } finally {
    await instance.close();
    if (written) rmSync(written, { recursive: true, force: true });
  }
}
