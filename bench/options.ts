// What one bench run does: the flags (--quick, --no-real) and the fixed inputs every target gets.
const argv = process.argv.slice(2).filter((a) => a.startsWith('--'));
for (const arg of argv) if (!['--quick', '--no-real', '--growth'].includes(arg)) throw new Error(`bench: unknown flag "${arg}" (use --quick, --no-real, --growth)`);

export const quick = argv.includes('--quick');

export const settings = {
  quick,
  /** Skip real Strapi (for working on the bench itself; the report then has no ratios to real). */
  real: !argv.includes('--no-real'),
  /** Only the growth section (for work on it; the other sections of the report say "not measured"). */
  growthOnly: argv.includes('--growth'),
  /** Seconds per load case, and connections (autocannon -d / -c). */
  duration: quick ? 2 : 10,
  connections: 10,
  /** Cold starts per target; the median is reported. */
  coldRuns: quick ? 2 : 5,
  /** Articles and users every target is seeded with before the load cases. */
  fixtureDocs: 100,
  fixtureUsers: 50,
  /** Document counts for the scale cases and for reset/restore. */
  scaleSizes: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000],
  controlSizes: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000],
  /** Wall-clock cap of one in-process measurement child (what does not finish in time is reported as such). */
  inProcessCapMs: quick ? 30_000 : 90_000,
};

/** The full-access API token of every emulator (`--api-token`); real Strapi's comes from the harness. */
export const TOKEN = 'bench-full-access-token';
export const PASSWORD = 'Bench-passw0rd';

/** The list call of the load cases: populate + filter (titles "Article 0".."Article 99": 19 match). */
export const LIST_PATH = '/api/articles?populate=*&filters[title][$contains]=1';
/** The scale call: filter + sort + pagination. */
export const SCALE_PATH = '/api/articles?filters[title][$contains]=7&sort=title:desc&pagination[page]=2&pagination[pageSize]=25';
