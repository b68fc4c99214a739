// `strapi-emulator <command>`: the emulator's command line (bin/strapi-emulator.mjs runs it).
// A mistake of the user's (a wrong path, a broken schema.json or seed file, a bad flag) is
// one line on stderr and a non-zero exit, never a stack trace.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SchemaFileError } from '../spec/content-types.js';
import { ProjectFileError } from '../emulator/project/index.js';
import { runServer, serveUsage } from '../emulator/server.js';
import { UsageError } from './args.js';
import { checkCommand, checkUsage } from './check.js';
import { diffCommand, diffUsage, recordCommand, recordUsage, verifyCommand, verifyUsage } from './differential.js';
import { generateCommand, generateUsage, specCommand, specUsage } from './spec.js';

export const usage = `usage: strapi-emulator <command> [options]

A stateful emulator of Strapi's REST API (v4 and v5) and its contract suite.

Commands:
  serve      serve the emulator on a port (your project's content types with --project)
  spec       print or write the OpenAPI document of a project's API
  generate   write a typed client (fetch SDK + path types) for a project's API
  check      check a live Strapi (any URL) with scenarios made from its own content types
  diff       send the same requests to a live Strapi and to an emulator of it; print what differs
  record     a recording proxy in front of a live Strapi (JSON lines)
  verify     replay a recording against the emulator; print what differs
  help [command]

Run \`strapi-emulator <command> --help\` for a command's options.`;

const serveHelp = `usage: strapi-emulator serve [options]\n\n${serveUsage}`;
const helps: Record<string, string> = { serve: serveHelp, spec: specUsage, generate: generateUsage, check: checkUsage, diff: diffUsage, record: recordUsage, verify: verifyUsage };

function version(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs one command line; resolves with the exit code (serve keeps running and never resolves with one). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic && !helps[topic]) {
      console.error(`strapi-emulator: no command "${topic}"\n\n${usage}`);
      return 2;
    }
    console.log(topic ? helps[topic] : usage);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    console.log(version());
    return 0;
  }
  if (!helps[command]) {
    console.error(`strapi-emulator: unknown command "${command}"\n\n${usage}`);
    return 2;
  }
  try {
    switch (command) {
      case 'serve':
        // The same server as `npm start`: it reports its own mistakes and stays up.
        await runServer(rest, env, 'usage: strapi-emulator serve [options]');
        return undefined;
      case 'spec':
        specCommand(rest);
        return 0;
      case 'generate':
        await generateCommand(rest);
        return 0;
      case 'check':
        return await checkCommand(rest, env);
      case 'diff':
        return await diffCommand(rest, env);
      case 'record':
        return await recordCommand(rest);
      case 'verify':
        return await verifyCommand(rest);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      if (!error.message) {
        console.log(helps[command]);
        return 0;
      }
      console.error(`strapi-emulator ${command}: ${error.message}`);
      return 2;
    }
    if (error instanceof SchemaFileError) {
      console.error(`strapi-emulator ${command}: content type schema ${error.message}`);
      return 1;
    }
    if (error instanceof ProjectFileError) {
      console.error(`strapi-emulator ${command}: project file ${error.message}`);
      return 1;
    }
    throw error;
  }
  return 0;
}
