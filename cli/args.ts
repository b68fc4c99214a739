// The CLI's argument parsing: `--name value`, `--name=value`, boolean `--name`, positionals.
// Mistakes are UsageErrors (one line, exit 2), never stack traces.
import { UsageError } from '../emulator/server.js';

export { UsageError };

export type Parsed = { flags: Record<string, string | true>; positionals: string[] };

/** `valued` flags take a value, `booleans` none; anything else is refused. `--help`/`-h` throws UsageError(''). */
export function parseArgs(argv: string[], valued: string[], booleans: string[] = []): Parsed {
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!m) {
      if (arg.startsWith('-')) throw new UsageError(`unknown argument "${arg}"`);
      positionals.push(arg);
      continue;
    }
    const [, name, inline] = m;
    if (name in flags) throw new UsageError(`--${name} given twice`);
    if (booleans.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    } else throw new UsageError(`unknown argument "${arg}"`);
  }
  return { flags, positionals };
}

/** `--strapi 4|5` (default 5). */
export function majorOf(flags: Parsed['flags']): 4 | 5 {
  const value = flags.strapi ?? '5';
  if (value !== '4' && value !== '5') throw new UsageError(`--strapi must be 4 or 5, got "${String(value)}"`);
  return Number(value) as 4 | 5;
}

export const text = (flags: Parsed['flags'], name: string): string | undefined => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
