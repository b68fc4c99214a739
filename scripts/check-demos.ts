// `npx tsx scripts/check-demos.ts [PROJECT:MAJOR …]`: serves each Strapi project with
// `strapi-emulator serve --project` (unchanged, as a user would) and asks every content type
// for `?populate=*` with a full-access API token; prints the start-up lines and one line per
// type, and exits 1 unless every project started and every answer was 200.
// Default: the two official demos (strapi/foodadvisor api/ on v4, strapi/LaunchPad strapi/ on v5).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const defaults = ['/tmp/demos/foodadvisor/api:4', '/tmp/demos/launchpad/strapi:5'];
const targets = (process.argv.slice(2).length ? process.argv.slice(2) : defaults).map((t) => {
  const at = t.lastIndexOf(':');
  return { dir: t.slice(0, at), major: t.slice(at + 1) };
});
const bin = fileURLToPath(new URL('../bin/strapi-emulator.mjs', import.meta.url));
const port = Number(process.env.PORT ?? 2050);
let failed = false;

for (const [i, { dir, major }] of targets.entries()) {
  const child = spawn(process.execPath, [bin, 'serve', '--project', dir, '--strapi', major, '--port', String(port + i), '--api-token', 'T'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const url = await new Promise<string | undefined>((resolve) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        const m = /listening on (\S+)/.exec(line);
        if (m) resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => resolve(undefined));
  });
  console.log(`== ${dir} (v${major})`);
  for (const line of lines) console.log(`   ${line}`);
  if (!url) {
    console.log('   did not start');
    failed = true;
    continue;
  }
  const spec = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-strapi-content-type'?: string; operationId?: string } | undefined>> };
  const lists = Object.entries(spec.paths).filter(([path, ops]) => path.startsWith('/api/') && !path.includes('{') && ops.get?.['x-strapi-content-type']);
  let ok = 0;
  for (const [path, ops] of lists) {
    const auth = { Authorization: 'Bearer T' };
    // A single type nobody wrote yet is Strapi's 404: write it once (no fields, published) first.
    if (ops.put) {
      const data: Record<string, unknown> = major === '5' ? {} : { publishedAt: new Date().toISOString() };
      const put = () => fetch(`${url}${path}${major === '5' ? '?status=published' : ''}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ data }) });
      let res = await put();
      // Required text fields: the validation answer names them; give each a value and write again.
      for (let attempt = 0; attempt < 3 && res.status === 400; attempt++) {
        const errors = ((await res.json()) as { error?: { details?: { errors?: Array<{ path: string[]; message: string }> } } }).error?.details?.errors ?? [];
        for (const e of errors) if (e.path.length === 1) data[e.path[0]] = /`number`|integer/.test(e.message) ? 1 : /boolean/.test(e.message) ? true : 'x';
        res = await put();
      }
      if (res.status !== 200) console.log(`   ${res.status} PUT ${path}: ${(await res.text()).slice(0, 200)}`);
    }
    const res = await fetch(`${url}${path}?populate=*`, { headers: auth });
    const body = await res.text();
    if (res.status === 200) ok++;
    else failed = true;
    console.log(`   ${res.status} GET ${path}?populate=* (${ops.get!['x-strapi-content-type']})${res.status === 200 ? '' : ` ${body.slice(0, 200)}`}`);
  }
  console.log(`   ${ok}/${lists.length} content types answered 200`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
process.exit(failed ? 1 : 0);
