// tsx contracts/live/cli.ts install 4|5
// tsx contracts/live/cli.ts boot 4|5 [--port N] [--jwt-secret S] [--project DIR] [--permissions FILE]
//   boots a real Strapi, prints {major,url,apiTokens,mailFile,jwtSecret} as JSON on stdout and
//   stays up until SIGINT/SIGTERM, then stops it cleanly.
import { bootStrapi, installStrapi } from './harness.js';

const usage = 'usage: tsx contracts/live/cli.ts install 4|5 [4|5]\n       tsx contracts/live/cli.ts boot 4|5 [--port N] [--jwt-secret S] [--project DIR] [--permissions FILE]';

function parseMajor(v: string | undefined): 4 | 5 {
  if (v === '4' || v === '5') return Number(v) as 4 | 5;
  console.error(usage);
  process.exit(2);
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'install') {
    const majors = rest.length ? rest.map(parseMajor) : [5, 4];
    for (const m of majors) console.log(await installStrapi(m as 4 | 5)); // one after another: both builds want the 2 cores
    return;
  }
  if (cmd !== 'boot') {
    console.error(usage);
    process.exit(2);
  }
  const major = parseMajor(rest[0]);
  const opt = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const portArg = opt('--port');
  const port = portArg === undefined ? undefined : Number(portArg);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`bad --port ${portArg}`);
    process.exit(2);
  }
  const strapi = await bootStrapi({ major, port, jwtSecret: opt('--jwt-secret'), project: opt('--project'), permissions: opt('--permissions') });
  const { stop, ...info } = strapi;
  console.log(JSON.stringify(info, null, 2));
  let stopping = false;
  const onSignal = async (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[strapi-live] ${sig}: stopping v${major}\n`);
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  setInterval(() => {}, 1 << 30); // stay up
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
