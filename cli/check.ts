// `strapi-emulator check <url>`: the contract suite (contracts/conformance) against a running
// Strapi, then the same suite against the emulator of that major, and the parity table.
// What the suite cannot do without (a mailbox, a read-only token) is skipped by name and said.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parityTable, readReport } from '../contracts/parity.js';
import type { TargetInfo } from '../contracts/target.js';
import { UsageError, parseArgs, text } from './args.js';

export const checkUsage = `usage: strapi-emulator check <url> --token T [--strapi 4|5] [--read-only-token T] [--mail-file F] [--jwt-secret S] [--admin-api] [--no-emulator]

Runs the contract suite (every operation of the spec, its happy path and main errors) against
the Strapi at <url>, then against the emulator of the same major, and prints the parity table.
  --token T            a full-access API token (Settings → API Tokens)   STRAPI_API_TOKEN
  --read-only-token T  a read-only API token (else its scenario is skipped) STRAPI_READ_ONLY_TOKEN
  --mail-file F        a JSON-lines file the email provider appends to (else the scenarios
                       that read reset codes and confirmation links are skipped)
  --jwt-secret S       users-permissions jwtSecret of the instance (else the forged-JWT
                       scenarios are skipped)
  --admin-api          let the suite register (or log in) the admin contracts-admin@example.com
                       to create and revoke an API token (else that scenario is skipped)
  --strapi 4|5         the instance's major (default: detected from its roles' shape)
  --no-emulator        only the live instance, no emulator column

The suite expects the instance the harness boots (contracts/live/README.md): the article
content type of spec/content-types/article, the permissions of spec/seed/permissions.json and
users-permissions' defaults. Every scenario comes from its own 127.0.x.y address (Strapi
rate-limits auth per IP), so <url> must be on this machine (localhost, or a tunnel to it).`;

/** Scenarios that need what may be missing, by a part of their title. */
const needs = {
  mailFile: ['an email with the code', 'email confirmation: send'],
  readOnly: ['a read-only API token can read'],
  jwtSecret: ['forged, tampered or out-of-date JWTs', 'the id claim goes to the database'],
  adminApi: ['an API token, once revoked', 'admin API (/admin/*)'],
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function probe(url: string, token: string): Promise<{ major: 4 | 5; articles: number }> {
  let res: Response;
  try {
    res = await fetch(new URL('/api/users-permissions/roles', url), { headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new UsageError(`cannot reach ${url} (${cause?.code ?? cause?.message ?? (error as Error).message})`);
  }
  if (res.status === 401 || res.status === 403) throw new UsageError(`${url} refused the token (${res.status} on GET /api/users-permissions/roles): give a full-access API token`);
  if (res.status !== 200) throw new UsageError(`${url} answered ${res.status} to GET /api/users-permissions/roles: is it a Strapi 4 or 5 with users-permissions?`);
  const body = (await res.json().catch(() => ({}))) as { roles?: Array<{ documentId?: string }> };
  if (!Array.isArray(body.roles)) throw new UsageError(`${url}: GET /api/users-permissions/roles did not answer {roles: […]}: is it Strapi?`);
  const articles = await fetch(new URL('/api/articles', url), { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status, () => 0);
  return { major: body.roles.some((r) => typeof r.documentId === 'string') ? 5 : 4, articles };
}

export async function checkCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  const { flags, positionals } = parseArgs(argv, ['strapi', 'token', 'read-only-token', 'mail-file', 'jwt-secret'], ['no-emulator', 'admin-api']);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one URL only, got ${positionals.join(' ')}` : 'check needs the URL of a running Strapi');
  const url = positionals[0].replace(/\/+$/, '');
  let host: string;
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error();
    host = parsed.hostname.replace(/^\[|\]$/g, '');
  } catch {
    throw new UsageError(`not an http(s) URL: "${url}"`);
  }
  if (!(host === 'localhost' || host === '::1' || /^127\./.test(host))) throw new UsageError(`${host} is not on this machine: the suite sends each scenario from its own 127.0.x.y address, so point it at localhost (e.g. through ssh -L 1337:localhost:1337)`);
  const token = text(flags, 'token') ?? env.STRAPI_API_TOKEN;
  if (!token) throw new UsageError('check needs a full-access API token: --token T or STRAPI_API_TOKEN (admin panel → Settings → API Tokens → Create new API token, type "Full access")');
  const readOnly = text(flags, 'read-only-token') ?? env.STRAPI_READ_ONLY_TOKEN;
  const mailFile = text(flags, 'mail-file');
  const jwtSecret = text(flags, 'jwt-secret');

  const found = await probe(url, token);
  const major = flags.strapi === undefined ? found.major : flags.strapi === '4' || flags.strapi === '5' ? (Number(flags.strapi) as 4 | 5) : undefined;
  if (!major) throw new UsageError(`--strapi must be 4 or 5, got "${String(flags.strapi)}"`);
  if (flags.strapi !== undefined && major !== found.major) console.error(`warning: ${url} looks like Strapi ${found.major} (its roles${found.major === 5 ? ' have' : ' have no'} documentId), checking it as ${major} as asked`);
  if (found.articles !== 200) console.error(`warning: GET /api/articles answered ${found.articles || 'nothing'}: the document scenarios need the article content type of spec/content-types/article/schema.json`);

  const skipped: string[] = [];
  const notes: string[] = [];
  if (!mailFile) {
    skipped.push(...needs.mailFile);
    notes.push('no --mail-file: skipped the scenarios that read emails');
  }
  if (!readOnly) {
    skipped.push(...needs.readOnly);
    notes.push('no --read-only-token: skipped the read-only token scenario');
  }
  if (!jwtSecret) {
    skipped.push(...needs.jwtSecret);
    notes.push('no --jwt-secret: skipped the forged-JWT scenarios');
  }
  if (!flags['admin-api']) {
    skipped.push(...needs.adminApi);
    notes.push('no --admin-api: skipped the admin API scenarios and the revoked API token scenario');
  }
  // With scenarios skipped, some documented answers are never seen: the coverage check would only say so.
  if (skipped.length) skipped.push('every answer the spec documents was seen');
  const filter = skipped.length ? ['--testNamePattern', `^(?!.*(?:${skipped.map(escape).join('|')})).*$`] : [];

  const { runVitest } = await import('../contracts/vitest-run.js');
  const reports = mkdtempSync(join(tmpdir(), 'strapi-emulator-check-'));
  const target: TargetInfo = { name: `live-v${major}`, major, url, apiTokens: { fullAccess: token, readOnly: readOnly ?? '' }, ...(mailFile ? { mailFile } : {}), ...(jwtSecret ? { jwtSecret } : {}) };
  console.error(`[check] ${url} as Strapi ${major}${notes.length ? ` (${notes.join('; ')})` : ''}`);
  const names = [target.name];
  let ok = runVitest({ config: 'contracts/vitest.config.ts', reportFile: join(reports, `${target.name}.json`), env: { CONTRACT_TARGET: JSON.stringify(target) }, args: filter });
  if (!flags['no-emulator']) {
    const name = `emulator-v${major}`;
    names.push(name);
    console.error(`[check] the same suite against the emulator (Strapi ${major})`);
    ok = runVitest({ config: 'vitest.config.ts', files: [`contracts/conformance/${name}.test.ts`], reportFile: join(reports, `${name}.json`) }) && ok;
  }
  console.log(parityTable(names.map((name) => ({ name, report: readReport(join(reports, `${name}.json`)) }))));
  for (const note of notes) console.log(`note: ${note}`);
  return ok;
}
