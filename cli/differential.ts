// `diff`, `record` and `verify` (differential/): thin edges over the engine. Progress goes to
// stderr, the report to stdout, its JSON to --json; exit 0 without divergence, 1 with, 2 when
// the run could not be made.
import { writeFileSync } from 'node:fs';
import { DiscoveryError, discoverInstance } from '../contracts/remote/instance.js';
import { localesOf, runDiff } from '../differential/diff.js';
import { RecordingFileError } from '../differential/exchange.js';
import { startRecorder } from '../differential/record.js';
import { type Divergence, formatReport } from '../differential/replay.js';
import { runVerify } from '../differential/verify.js';
import { UsageError, majorOf, parseArgs, text } from './args.js';

export const diffUsage = `usage: strapi-emulator diff <url> --token T [--project DIR] [--read-only] [--uploads] [--json FILE] [--quiet]

Sends the same requests to the Strapi at <url> and to an emulator of it (same major, content
types, locales, REST list settings and roles' permissions, read from the instance) and prints
every answer that differs: the request, then each difference by path (status, headers.content-type,
body.data.title, …). The last line is \`N divergences in M requests\`.

The requests are generated from the content types: per collection type create, find scoped to
the run's entries, findOne, populate, fields, filters, sort, pagination, relations, a second
locale, update, delete and their errors; per single type the same when it is empty (one with
content is left alone); users-permissions (register, login, me, users, roles) and upload reads.
Ids, documentIds, timestamps, JWTs and upload hashes are set aside; list order is compared.
Everything the run creates is named diff-<random> and removed at the end, also on a failure or
Ctrl-C; it changes nothing it did not create.
  --token T      a full-access API token (Settings → API Tokens)          STRAPI_API_TOKEN
  --project DIR  the instance's Strapi project: its schemas, config/api and route middlewares
                 (default: the content-type builder's answers)
  --read-only    only GET requests reach the instance (safe on production)
  --uploads      also upload, read and delete one 4×4 PNG (the first API upload creates the
                 media library's "API Uploads" folder, which Strapi never removes)
  --json FILE    the divergences as JSON ({requests, divergences: [{seq, request, differences}]})
  --quiet        no progress lines on stderr
Exit status: 0 no divergence, 1 divergences, 2 the run could not be made (or stopped early).`;

export const recordUsage = `usage: strapi-emulator record --target <url> --out FILE [--port P] [--host H] [--token T [--project DIR]] [--body-limit BYTES]

A recording proxy: point your app at it (http://H:P) and it reaches the Strapi at <url>; every
exchange is appended to FILE as one JSON line as soon as its answer has ended. Ctrl-C stops it.
  --target URL        the Strapi to forward to (http or https, any host)
  --out FILE          the recording (JSON lines; see README "Recording format"); overwritten
  --port P            where the proxy listens (default 1338; 0: a free port)
  --host H            its address (default 127.0.0.1)
  --token T           a full-access API token: the instance's locales and roles' permissions
                      are read (GET only) and kept in the recording's header for verify
  --project DIR       with --token: the instance's project, when its content-type builder
                      does not answer the token
  --body-limit BYTES  bodies past it keep only their size and sha256 (default 4194304)
Recorded: method, path and query, the request headers authorization (an API token as an alias
api-token-<hash>, a JWT as it is), content-type, accept, accept-language, origin, cookie; the
body (JSON parsed, text, or base64 for multipart and binary); status, the answer headers a client
reads and the body. Request bodies hold what the app sent (passwords of logins included): keep
recordings like secrets.`;

export const verifyUsage = `usage: strapi-emulator verify FILE [--project DIR] [--strapi 4|5] [--locales en,fr] [--json FILE]

Replays a recording (strapi-emulator record) against a fresh emulator and prints every answer
that departs from the recorded one, as diff does; the last line is \`N divergences in M requests\`.
Ids, documentIds and JWTs the recording received are mapped to the ones the emulator hands out
(an entry created in the recording is addressed by the emulator's id in later requests); API
token aliases are full-access tokens of the emulator. Record from a fresh instance (or one whose
content the recorded traffic creates): the emulator starts empty.
  --project DIR   the instance's Strapi project (its content types; without it only the
                  users-permissions, upload and i18n routes are served)
  --strapi 4|5    the major (default: the recording's header, else told from its answers)
  --locales L     the i18n locales, the default first (default: the recording's header, else en)
  --json FILE     the divergences as JSON
Exit status: 0 no divergence, 1 divergences, 2 the recording could not be read or replayed.`;

function writeJson(file: string | undefined, result: { requests: number; divergences: Divergence[]; notes: string[] } & Record<string, unknown>): void {
  if (file) writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

function urlOf(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`${what} needs the URL of a running Strapi`);
  try {
    const u = new URL(value);
    if (!['http:', 'https:'].includes(u.protocol)) throw new Error();
  } catch {
    throw new UsageError(`not an http(s) URL: "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

export async function diffCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { flags, positionals } = parseArgs(argv, ['token', 'project', 'json'], ['read-only', 'uploads', 'quiet']);
  if (positionals.length > 1) throw new UsageError(`one URL only, got ${positionals.join(' ')}`);
  const url = urlOf(positionals[0], 'diff');
  const token = text(flags, 'token') ?? env.STRAPI_API_TOKEN;
  if (!token) throw new UsageError('diff needs a full-access API token: --token T or STRAPI_API_TOKEN');
  const log = flags.quiet ? () => {} : (line: string) => console.error(`[diff] ${line}`);
  const abort = new AbortController();
  const onSigint = () => {
    console.error('[diff] interrupted: removing what the run created, then stopping (Ctrl-C again to quit at once)');
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  try {
    const result = await runDiff({ url, token, project: text(flags, 'project'), readOnly: !!flags['read-only'], uploads: !!flags.uploads, signal: abort.signal, log });
    console.log(formatReport(result.divergences, result.requests));
    for (const note of result.notes) console.error(`note: ${note}`);
    writeJson(text(flags, 'json'), { url, ...result });
    if (result.stopped) {
      console.error(`[diff] stopped early: ${result.stopped}`);
      return 2;
    }
    return result.divergences.length ? 1 : 0;
  } catch (error) {
    if (error instanceof DiscoveryError) {
      console.error(`strapi-emulator diff: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export async function recordCommand(argv: string[]): Promise<number | undefined> {
  const { flags, positionals } = parseArgs(argv, ['target', 'out', 'port', 'host', 'token', 'project', 'body-limit']);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (the target is --target URL)`);
  const target = urlOf(text(flags, 'target'), 'record --target');
  const out = text(flags, 'out');
  if (!out) throw new UsageError('record needs --out FILE');
  const port = Number(text(flags, 'port') ?? 1338);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got "${String(flags.port)}"`);
  const bodyLimit = flags['body-limit'] === undefined ? undefined : Number(flags['body-limit']);
  if (bodyLimit !== undefined && !(Number.isInteger(bodyLimit) && bodyLimit >= 0)) throw new UsageError(`--body-limit must be a number of bytes, got "${String(flags['body-limit'])}"`);
  const token = text(flags, 'token');
  let instance;
  if (token) {
    try {
      const project = text(flags, 'project');
      const found = await discoverInstance(target, token, project ? { project } : {});
      instance = { major: found.major, locales: localesOf(found), permissions: found.permissions };
    } catch (error) {
      if (!(error instanceof DiscoveryError)) throw error;
      console.error(`strapi-emulator record: ${error.message}`);
      return 2;
    }
  }
  const recorder = await startRecorder({ target, out, port, host: text(flags, 'host'), bodyLimit, instance, onExchange: (line) => console.error(`[record] ${line}`) });
  console.error(`[record] ${recorder.url} → ${target}, recording to ${out} (Ctrl-C stops)`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  await recorder.close();
  console.error(`[record] ${recorder.count} exchanges in ${out}`);
  return 0;
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, ['project', 'strapi', 'locales', 'json']);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one recording only, got ${positionals.join(' ')}` : 'verify needs a recording file (strapi-emulator record --out FILE)');
  const locales = text(flags, 'locales')?.split(',').map((l) => l.trim()).filter(Boolean);
  try {
    const result = await runVerify({ file: positionals[0], project: text(flags, 'project'), ...(flags.strapi !== undefined ? { major: majorOf(flags) } : {}), locales });
    console.log(formatReport(result.divergences, result.requests, { expected: 'recording', actual: 'emulator' }));
    for (const note of result.notes) console.error(`note: ${note}`);
    writeJson(text(flags, 'json'), { file: positionals[0], ...result });
    return result.divergences.length ? 1 : 0;
  } catch (error) {
    if (error instanceof RecordingFileError) {
      console.error(`strapi-emulator verify: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
