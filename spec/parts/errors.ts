// Strapi's error envelope and the error answers real Strapi gives. Every 4xx carries
// `{data:null,error:{status,name,message,details}}`, except the body parser's own errors
// (malformed JSON → 400 SyntaxError, too large → 413), observed without `details`.
import { type Schema, jsonContent, object, ref, str } from '../openapi.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 413 | 429;

const errorNames: Record<Exclude<ErrorStatus, 405>, string[]> = {
  400: ['ValidationError', 'ApplicationError', 'PaginationError', 'SyntaxError', 'BadRequestError', 'Error'],
  401: ['UnauthorizedError'],
  403: ['ForbiddenError'],
  404: ['NotFoundError'],
  413: ['PayloadTooLargeError'],
  429: ['RateLimitError'],
};

const descriptions: Record<ErrorStatus, string> = {
  400: 'Bad request: yup validation (`ValidationError`, `details.errors`), a business rule (`ApplicationError`), bad pagination, malformed JSON (`SyntaxError`, no `details`; v4 names a JSON body that is not an object or array `Error`), or `ctx.badRequest()` / a multipart body that does not parse (`BadRequestError`).',
  401: 'A bearer that is not a valid JWT or API token ("Missing or invalid credentials"), or the JWT of a blocked or deleted user ("Invalid credentials") — on every route, public ones included.',
  403: 'The caller\'s role or API token lacks the route\'s action ("Forbidden"). Anonymous callers act as the Public role.',
  404: 'The entity does not exist, or the route does not exist in this mode ("Not Found").',
  405: 'Real Strapi answers a method that has no route on an existing path with a plain-text `Method Not Allowed`.',
  413: 'The JSON body is larger than the body parser accepts (1 MB by default): "request entity too large", no `details`.',
  429: 'Too many requests to a rate-limited users-permissions route from this client ("Too many requests, please try again later.").',
};

export const rateLimitHeaders = (required: boolean): Record<string, Schema> => ({
  'X-RateLimit-Limit': { required, schema: { type: 'integer' }, description: 'Requests allowed in the window (10 by default).' },
  'X-RateLimit-Remaining': { required, schema: { type: 'integer' }, description: 'Requests left in the window.' },
  'X-RateLimit-Reset': { required, schema: { type: 'integer' }, description: 'Epoch seconds at which the fixed window ends.' },
});

export const errorSchemas: Record<string, Schema> = {
  // Strapi's error middleware hides every unexpected error behind this body, without `details`.
  Error500: object({
    data: { type: 'null' },
    error: object({ status: { type: 'integer', const: 500 }, name: { type: 'string', const: 'InternalServerError' }, message: { type: 'string', const: 'Internal Server Error' } }, ['status', 'name', 'message']),
  }),
  ErrorDetails: {
    type: 'object',
    description: 'Free-form; yup failures put `errors` here, invalid query or body keys put `key`, `path`, `source`, `param`.',
    properties: {
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path', 'message', 'name'],
          properties: { path: { type: 'array', items: { type: ['string', 'integer'] } }, message: str, name: str, value: {} },
        },
      },
      key: str,
      path: { type: ['string', 'null'] },
      source: str,
      param: str,
    },
  },
  ...Object.fromEntries(
    Object.entries(errorNames).map(([status, names]) => {
      const s = Number(status);
      const error = object(
        { status: { type: 'integer', const: s }, name: { type: 'string', enum: names }, message: str, details: ref('ErrorDetails') },
        // The body parser's own errors (SyntaxError 400, PayloadTooLargeError 413) come without `details`.
        s === 400 || s === 413 ? ['status', 'name', 'message'] : ['status', 'name', 'message', 'details'],
      );
      return [`Error${status}`, object({ data: { type: 'null' }, error })];
    }),
  ),
};

/** The error answers of one operation, by status. Rate-limited routes carry the limiter's headers on 429 (and may on 400). */
export function errors(statuses: ErrorStatus[], opts: { rateLimited?: boolean } = {}): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const status of statuses) {
    if (status === 405) {
      out[status] = { description: descriptions[405], content: { 'text/plain': { schema: { type: 'string', const: 'Method Not Allowed' } } } };
      continue;
    }
    const headers = opts.rateLimited && (status === 400 || status === 429) ? rateLimitHeaders(status === 429) : undefined;
    out[status] = jsonContent(ref(`Error${status}`), descriptions[status], headers);
  }
  return out;
}

/**
 * strapi::body runs before the router on every POST and PUT, whatever the path: malformed JSON
 * is a 400 SyntaxError and a body over the parser's limit a 413 — also on routes whose handler
 * never reads a body, or that then answer 404/405 (v4's absent refresh/logout).
 */
export function addBodyParserErrors(paths: Record<string, Record<string, unknown>>): void {
  for (const item of Object.values(paths)) {
    for (const method of ['post', 'put']) {
      const operation = item[method] as { responses: Record<string, Schema> } | undefined;
      if (!operation) continue;
      const responses: Record<string, Schema> = { ...errors([400, 413]), ...operation.responses };
      operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
    }
  }
}

/**
 * Real Strapi crashes (500) on some malformed requests of its content API: an unguarded read of
 * the body, a query the database refuses. The emulator answers those with the same 500 and says
 * why in `X-Strapi-Emulator-Crash` (not sent by real Strapi, so not required).
 */
export function addCrashAnswers(paths: Record<string, Record<string, unknown>>): void {
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item) as Array<[string, { responses?: Record<string, Schema>; 'x-strapi-action'?: string }]>) {
      // Strapi's body parser runs before routing, so a body it cannot read crashes a POST or PUT on
      // a route without an action too (v4's /api/auth/refresh); the control API has no real Strapi behind it.
      const parsesBody = (method === 'post' || method === 'put') && !path.startsWith('/_emulator');
      if (!operation?.responses || !(operation['x-strapi-action'] || parsesBody)) continue;
      operation.responses['500'] = jsonContent(
        ref('Error500'),
        'Real Strapi crashed on this request ("Internal Server Error", no `details`). The emulator answers the same where real Strapi does, with `X-Strapi-Emulator-Crash` naming the cause (or a 400 with `strapiCrashes: \'explain\'`).',
        { 'X-Strapi-Emulator-Crash': { required: false, schema: { type: 'string' }, description: 'The emulator only: why real Strapi fails here.' } },
      );
    }
  }
}
