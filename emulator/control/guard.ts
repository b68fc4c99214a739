// Who may drive the control API (/_emulator/*) and the inspector (/_emulator/ui*): the machine's
// own programs and the inspector's own pages. Those routes hand out reset codes, password hashes
// and API token keys, mint tokens and register webhooks, so a web page from another origin, open
// in the developer's browser, must not reach them. /api/* is not guarded: it keeps real Strapi's
// open CORS (any Origin, credentials) and serves any Host, as real Strapi does.
//
// One RequestHook, the first of every emulator, answers a refusal before anything else runs:
//  1. cross-site browser requests (Sec-Fetch-Site other than same-origin/none, or an Origin that
//     is not the server's own — `null` included, which is what a sandboxed upload sends) → 403;
//  2. with a control token in force (given, or required once the server listens beyond
//     loopback): no token or a wrong one → 401. The token comes in the X-Emulator-Control-Token
//     header (not Authorization, which is Strapi's), or, for a browser, in a cookie set by
//     opening /_emulator/ui?token=T;
//  3. without a token, a request that came through a socket must name this machine in its Host
//     (localhost, *.localhost, or the address it connected to): a page whose DNS name was rebound
//     to 127.0.0.1 is refused → 403;
//  4. control writes take JSON bodies only: a form or text body (what a page can send without a
//     preflight) → 415.
// In-process use (app.request, MSW, the vitest helper in MSW mode) has no socket, and Node's
// fetch sends neither Origin nor Sec-Fetch-Site, so it passes as scripts on the machine do.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { type RequestHook, isControlPath, strapiHeaders, toResponse } from '../http/app.js';
import { hasBody, isJsonType, mediaType } from '../http/body.js';
import { ForbiddenError, StrapiError, UnauthorizedError, errorBody } from '../http/errors.js';

export const controlTokenHeader = 'X-Emulator-Control-Token';

const isInspectorPath = (pathname: string) => /^\/_emulator\/ui(?:\/|$)/i.test(pathname);
/** The local identity provider's consent page (emulator/identity-provider/). */
export const isConsentPath = (pathname: string) => /^\/_emulator\/idp\/[^/]+\/authorize$/i.test(pathname);

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

class UnsupportedMediaTypeError extends StrapiError {
  constructor(message: string) {
    super(415, 'UnsupportedMediaTypeError', message);
  }
}

/** A token others cannot guess and that fits a header, a cookie and a URL unescaped. */
export function generateControlToken(): string {
  return randomBytes(24).toString('base64url');
}

export function checkControlToken(token: string): void {
  if (typeof token !== 'string' || !/^[A-Za-z0-9._~-]{16,256}$/.test(token)) {
    throw new TypeError('controlToken must be 16 to 256 characters of A-Z a-z 0-9 . _ ~ - (it travels in a header, a cookie and a URL)');
  }
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost names: a socket there is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

const digest = (value: string) => createHash('sha256').update(value).digest();

type Socket = { localAddress?: string };
const socketOf = (env: unknown): Socket | undefined => (env as { incoming?: { socket?: Socket } } | undefined)?.incoming?.socket;

function cookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export class ControlGuard {
  #token: string | undefined;
  #tokenDigest: Buffer | undefined;

  constructor(token?: string) {
    if (token !== undefined) this.#setToken(token);
  }

  /** The control token in force (undefined: none, the server answers this machine's programs only). */
  get token(): string | undefined {
    return this.#token;
  }

  /**
   * From now on every control and inspector request needs the token: the server listens beyond
   * loopback. Generates one when none was given; returns it.
   */
  requireToken(): string {
    if (this.#token === undefined) this.#setToken(generateControlToken());
    return this.#token!;
  }

  readonly hook: RequestHook = {
    name: 'control-guard',
    before: (request, url, env) => (isControlPath(url.pathname) ? this.check(request, url, env) : undefined),
  };

  #setToken(token: string) {
    checkControlToken(token);
    this.#token = token;
    this.#tokenDigest = digest(token);
  }

  #matches(candidate: string | undefined): boolean {
    return candidate !== undefined && this.#tokenDigest !== undefined && timingSafeEqual(digest(candidate), this.#tokenDigest);
  }

  /** Cookies ignore ports: one name per port keeps two emulators on one host from overwriting each other's. */
  #cookieName(url: URL): string {
    return `strapi_emulator_control_${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  }

  check(request: Request, url: URL, env: unknown): Response | undefined {
    const method = request.method.toUpperCase();
    const site = request.headers.get('sec-fetch-site');
    const origin = request.headers.get('origin');
    // The consent page is where Strapi's OAuth redirect sends the browser from the front end's
    // origin: a top-level navigation, which shows the page to the person and nothing to the page
    // that started it. Its POST (the page's own form) still has to be same-origin.
    const consentVisit = (method === 'GET' || method === 'HEAD') && isConsentPath(url.pathname) && (request.headers.get('sec-fetch-mode') ?? 'navigate') === 'navigate' && (request.headers.get('sec-fetch-dest') ?? 'document') === 'document';
    if (!consentVisit && ((site !== null && site !== 'same-origin' && site !== 'none') || (origin !== null && origin !== url.origin))) {
      return refuse(request, url, new ForbiddenError(`The emulator's control API and inspector answer this machine's programs and their own pages only: cross-site browser request refused (${origin !== null ? `Origin ${origin}` : `Sec-Fetch-Site ${site}`})`));
    }
    if (this.#token !== undefined) {
      const fromQuery = (method === 'GET' || method === 'HEAD') && isInspectorPath(url.pathname) ? url.searchParams.get('token') ?? undefined : undefined;
      const given = request.headers.get(controlTokenHeader) ?? fromQuery ?? cookie(request, this.#cookieName(url));
      if (!this.#matches(given)) {
        return refuse(request, url, new UnauthorizedError(`The control API and the inspector need the control token: send it in the ${controlTokenHeader} header, or open the inspector link printed at start (/_emulator/ui?token=…)`));
      }
      if (fromQuery !== undefined && given === fromQuery) {
        // The link printed at start: keep the token in a cookie, and out of the address bar and history.
        const clean = new URL(url);
        clean.searchParams.delete('token');
        const headers = strapiHeaders(request, url.pathname);
        headers.Location = clean.pathname + clean.search;
        headers['Set-Cookie'] = `${this.#cookieName(url)}=${given}; Path=/_emulator; HttpOnly; SameSite=Strict`;
        headers['Cache-Control'] = 'no-store';
        return toResponse(request, { status: 303 }, headers);
      }
    } else {
      // Only a real connection knows its local address (in-process callers may pass a bare env).
      const local = socketOf(env)?.localAddress;
      if (local !== undefined && !hostIsThisMachine(url.hostname, local)) {
        return refuse(request, url, new ForbiddenError(`The emulator's control API and inspector answer requests addressed to this machine only: Host ${url.host} is neither localhost nor an address the server listens on (a DNS-rebinding page?). Use http://localhost:${url.port || 80} or the address it listens on`));
      }
    }
    // Over a socket, HTTP/1.1 says whether a body comes (Content-Length or Transfer-Encoding); the
    // node server hands every POST/DELETE a body stream, so `curl -X POST` would look like one.
    const bodied = socketOf(env) !== undefined ? request.headers.has('transfer-encoding') || Number(request.headers.get('content-length') ?? 0) > 0 : hasBody(request);
    const consentForm = method === 'POST' && isConsentPath(url.pathname) && mediaType(request) === 'application/x-www-form-urlencoded';
    if (writeMethods.has(method) && bodied && !isJsonType(mediaType(request)) && !consentForm) {
      return refuse(request, url, new UnsupportedMediaTypeError(`The control API takes JSON bodies only: send Content-Type: application/json (got ${request.headers.get('content-type') ?? 'no Content-Type'})`));
    }
    return undefined;
  }

}

/** localhost names, or the very address the connection came in on (a rebound DNS name is neither). */
function hostIsThisMachine(hostname: string, localAddress: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const local = localAddress.toLowerCase();
  return host === local || `::ffff:${host}` === local;
}

function refuse(request: Request, url: URL, error: StrapiError): Response {
  return toResponse(request, { status: error.status, json: errorBody(error) }, strapiHeaders(request, url.pathname));
}
