#!/usr/bin/env node
// The `strapi-emulator` command. It runs the built CLI (dist/, `npm run build`) when it is
// there — plain node, fast to start — and the TypeScript sources through tsx otherwise (a
// checkout before its first build; tsx is a devDependency, so an install from a path needs
// the build).
import { existsSync } from 'node:fs';

// scripts/build.mjs bundles cli/main.ts as dist/cli.js. STRAPI_EMULATOR_SOURCE=1 runs the sources
// even when a build exists (tests, hacking on the CLI).
const built = new URL('../dist/cli.js', import.meta.url);
let cli;
if (process.env.STRAPI_EMULATOR_SOURCE !== '1' && existsSync(built)) cli = await import(built.href);
else {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    console.error('strapi-emulator: dist/ is missing and tsx is not installed: run `npm run build` in the strapi-emulator folder');
    process.exit(1);
  }
  cli = await import(new URL('../cli/main.ts', import.meta.url).href);
}
const code = await cli.main(process.argv.slice(2));
// serve keeps the process alive on its server; every other command is done.
if (code !== undefined) process.exitCode = code;
