// `verify`: a recording (record.ts) replayed against an emulator of the same major and content
// types, each answer compared with the recorded one (replay.ts). The emulator starts fresh:
// recordings made from a fresh instance (or from one whose content the recording created)
// replay best. API token aliases become full-access tokens of the emulator; ids, documentIds
// and JWTs the recording learned are mapped to the ones the emulator hands out.
import { loadStrapiSchemas } from '../spec/content-types.js';
import { projectSrc } from '../emulator/project/index.js';
import type { RequestHook } from '../emulator/http/app.js';
import { targetsOf } from './diff.js';
import { type Exchange, bodyValue, readRecording } from './exchange.js';
import { IdMap } from './mapping.js';
import { createMirror } from './mirror.js';
import { isTokenAlias } from './record.js';
import { type Divergence, Replayer } from './replay.js';

export type VerifyOptions = { file: string; project?: string; major?: 4 | 5; locales?: string[]; hooks?: RequestHook[]; log?: (line: string) => void };
export type VerifyResult = { major: 4 | 5; requests: number; divergences: Divergence[]; notes: string[] };

/** v5 answers carry documentId, v4 entries `{id, attributes}`. */
function inferMajor(exchanges: Exchange[]): 4 | 5 | undefined {
  for (const e of exchanges) {
    const text = JSON.stringify(bodyValue(e.response.body));
    if (/"documentId":/.test(text)) return 5;
    if (/"attributes":\{/.test(text)) return 4;
  }
  return undefined;
}

export async function runVerify(opts: VerifyOptions): Promise<VerifyResult> {
  const { header, exchanges, truncated } = readRecording(opts.file);
  const notes: string[] = [];
  if (truncated) notes.push(`${opts.file}: its last line was cut short (the recorder stopped mid-write) and is left out`);
  const major = opts.major ?? header.major ?? inferMajor(exchanges);
  if (!major) throw new Error(`${opts.file}: cannot tell Strapi 4 from 5 (no answer with a documentId or attributes): give --strapi 4|5`);
  const tokens = new Set<string>();
  for (const e of exchanges) {
    const m = /^Bearer (.+)$/i.exec(e.request.headers.authorization ?? '');
    if (m && isTokenAlias(m[1])) tokens.add(m[1]);
  }
  const mirror = await createMirror({
    major,
    ...(opts.project ? { project: opts.project } : {}),
    locales: opts.locales ?? header.instance?.locales,
    ...(header.instance?.permissions ? { permissions: header.instance.permissions } : {}),
    apiTokens: [...tokens],
    hooks: opts.hooks,
    onWarning: (l) => notes.push(`emulator: ${l}`),
  });
  if (!header.instance) notes.push('the recording has no roles of the instance (record without --token): the emulator has Strapi\'s default permissions');
  const schemas = opts.project ? loadStrapiSchemas([projectSrc(opts.project)]) : { contentTypes: [], components: [] };
  const replayer = new Replayer(mirror.send, new IdMap(targetsOf(schemas)));
  for (const e of exchanges) {
    if (e.error) {
      notes.push(`#${e.seq} ${e.request.method} ${e.request.path}: not replayed (${e.error})`);
      continue;
    }
    await replayer.replay(e.seq, e.request, e.response);
  }
  opts.log?.(`replayed ${replayer.requests} of ${exchanges.length} exchanges`);
  return { major, requests: replayer.requests, divergences: replayer.divergences, notes };
}
