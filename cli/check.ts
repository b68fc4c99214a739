// `strapi-emulator check <url>`: the scenarios made from a live Strapi's own content types
// (contracts/remote/), against it and then against an emulator of the same types, with a
// summary table, JUnit XML and JSON reports. Exit 0: all passed; 1: failures; 2: could not run.
import { UsageError, parseArgs, text } from './args.js';

export const checkUsage = `usage: strapi-emulator check <url> --token T [--project DIR] [--read-only] [--stress] [--junit FILE] [--json FILE] [--no-emulator] [--one-address]

Checks a running Strapi 4 or 5 (local, staging, behind a proxy; http or https) against the
behaviour of stock Strapi: for EVERY collection and single type it has, scenarios made from its
schema (lists, pagination and REST limits, populate of each relation, media, component and
dynamic zone, sorting, filters, public access, create → read back → update → delete, relations,
media, drafts, localizations), plus users-permissions (register, login, /users/me, refusals,
the auth rate limit) and upload scenarios. Then the same scenarios against an emulator built
from the same content types, and a table of both.

  --token T        a full-access API token (Settings → API Tokens)           STRAPI_API_TOKEN
  --project DIR    read the content types from this Strapi project folder instead of the
                   instance's content-type builder (GET /api/content-type-builder/*)
  --read-only      send only GET and HEAD requests (safe on production); the writing
                   scenarios are skipped and said so
  --stress         also the stress scenarios: a 201 MB upload, deep populates under load
  --junit FILE     write a JUnit XML report (one testsuite per target and scenario group)
  --json FILE      write every result as JSON
  --no-emulator    only the instance, no emulator column
  --one-address    send everything from one client address even to a loopback URL, as any
                   other machine does (a non-loopback URL always is)

Non-destructive: what it creates is named check-<run>-<n> and removed at the end, also after a
failure or Ctrl-C; a single type that is already set is not written; roles, permissions and
settings are never changed. The one trace it can leave: the first upload to an instance that
never had one makes Strapi create its "API Uploads" folder, which an API token cannot delete;
and with email confirmation on, registering makes the instance send its confirmation email
(to an address at example.com). No password-reset email is ever asked for.
Strapi rate-limits auth requests per client address (10 a minute): to a 127.x.y.z URL each
scenario comes from its own 127.0.x.y address; from one address, auth requests wait out the
window the X-RateLimit-Reset header gives and the rate-limit scenario runs last.
If the instance stops answering, check says so and stops.
Exit code: 0 every scenario passed on the instance, 1 some failed (or something it created
could not be removed), 2 it could not run (unreachable, token refused, the instance stopped
answering, interrupted). The emulator column never changes the exit code.`;

export async function checkCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { flags, positionals } = parseArgs(argv, ['token', 'project', 'junit', 'json'], ['read-only', 'stress', 'no-emulator', 'one-address']);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one URL only, got ${positionals.join(' ')}` : 'check needs the URL of a running Strapi');
  const url = positionals[0].replace(/\/+$/, '');
  try {
    if (!['http:', 'https:'].includes(new URL(url).protocol)) throw new Error();
  } catch {
    throw new UsageError(`not an http(s) URL: "${url}"`);
  }
  const token = text(flags, 'token') ?? env.STRAPI_API_TOKEN;
  if (!token) throw new UsageError('check needs a full-access API token: --token T or STRAPI_API_TOKEN (admin panel → Settings → API Tokens → Create new API token, type "Full access")');

  // Loaded here: the suite pulls in undici and the spec validator, which serve never needs.
  const { runCheck } = await import('../contracts/remote/check.js');
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(2);
    interrupted = true;
    console.error('[check] interrupted: finishing the current scenario, then removing what this run created (Ctrl-C again to quit at once)');
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await runCheck({
      url,
      token,
      project: text(flags, 'project'),
      readOnly: Boolean(flags['read-only']),
      stress: Boolean(flags.stress),
      junit: text(flags, 'junit'),
      json: text(flags, 'json'),
      emulator: !flags['no-emulator'],
      sources: flags['one-address'] ? 'one' : 'auto',
      interrupted: () => interrupted,
    });
    // Without a run, the one reason was already said on stderr.
    if (result.runs.length) {
      console.log(result.summary);
      for (const note of result.notes) console.log(`note: ${note}`);
      const live = result.runs[0];
      const failed = live.results.filter((r) => r.status === 'failed').length;
      console.log(`${live.results.filter((r) => r.status === 'passed').length} passed, ${failed} failed, ${live.results.filter((r) => r.status === 'skipped').length} skipped on ${url} (${live.requests} requests)`);
    }
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
