// The line real Strapi's logger middleware prints per request (both majors, verified against a
// booted 5.54.0 and read in 4.26.2's @strapi/strapi/dist/middlewares/logger.js):
//   [2026-12-03 13:21:02.233] http: GET /api/articles?x=1 (17 ms) 200
// winston's pretty print: local time `YYYY-MM-DD HH:mm:ss.SSS`, the level colored green, the
// path with its query string, the duration rounded up. Only the node server prints it; in-process
// use (MSW, app.request) stays silent unless a caller installs the hook itself.
import type { Exchange, RequestHook } from '../http/app.js';

const two = (n: number) => String(n).padStart(2, '0');

/** winston's `YYYY-MM-DD HH:mm:ss.SSS` in the machine's time zone, as Strapi prints it. */
export function strapiTimestamp(at: Date): string {
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

/** One request's log line; `color` wraps the level in winston's green (for a terminal). */
export function httpLogLine(e: Pick<Exchange, 'method' | 'url' | 'durationMs'> & { status: number }, at: Date, color = false): string {
  const level = color ? '\u001b[32mhttp\u001b[39m' : 'http';
  return `[${strapiTimestamp(at)}] ${level}: ${e.method} ${e.url.pathname}${e.url.search} (${Math.ceil(e.durationMs)} ms) ${e.status}`;
}

/** The inspector's own pages (the request log leaves them out too) would drown the traffic one looks at. */
const isInspectorPage = (pathname: string) => /^\/_emulator\/ui(\/|$)/i.test(pathname);

/** A hook printing one line per answered request through `write`. */
export function httpLogHook(write: (line: string) => void, opts: { color?: boolean; now?: () => Date } = {}): RequestHook {
  const now = opts.now ?? (() => new Date());
  return {
    name: 'http-log',
    after: (e) => {
      if (!isInspectorPage(e.url.pathname)) write(httpLogLine({ ...e, status: e.response.status }, now(), opts.color));
    },
  };
}
