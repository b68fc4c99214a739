// Strapi's error classes (@strapi/utils errors + the http-errors that ctx.notFound() & co.
// create) and the one envelope they all turn into:
//   {"data":null,"error":{"status","name","message","details"}}
// `details` is left out only where Strapi leaves it out: the 500 answer and errors that come
// from the body parser (malformed JSON → SyntaxError, too large → PayloadTooLargeError).

import { STATUS_CODES } from 'node:http';

export type ErrorDetails = Record<string, unknown>;

export class StrapiError extends Error {
  /** undefined = the key is absent from the answer. */
  readonly details: ErrorDetails | undefined;

  constructor(
    readonly status: number,
    name: string,
    message: string,
    /** `null`: the answer has no `details` key. */
    details: ErrorDetails | null = {},
  ) {
    super(message);
    this.name = name;
    this.details = details ?? undefined;
  }
}

// ApplicationError and its subclasses (@strapi/utils): status from the class, details {} by default.
export class ApplicationError extends StrapiError {
  constructor(message = 'An application error occurred', details: ErrorDetails = {}) {
    super(400, 'ApplicationError', message, details);
  }
}

export class ValidationError extends StrapiError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(400, 'ValidationError', message, details);
  }
}

export class PaginationError extends StrapiError {
  constructor(message = 'Invalid pagination', details: ErrorDetails = {}) {
    super(400, 'PaginationError', message, details);
  }
}

export class NotFoundError extends StrapiError {
  constructor(message = 'Entity not found', details: ErrorDetails = {}) {
    super(404, 'NotFoundError', message, details);
  }
}

export class ForbiddenError extends StrapiError {
  constructor(message = 'Forbidden', details: ErrorDetails = {}) {
    super(403, 'ForbiddenError', message, details);
  }
}

export class UnauthorizedError extends StrapiError {
  constructor(message = 'Unauthorized', details: ErrorDetails = {}) {
    super(401, 'UnauthorizedError', message, details);
  }
}

export class RateLimitError extends StrapiError {
  constructor(message = 'Too many requests, please try again later.', details: ErrorDetails = {}) {
    super(429, 'RateLimitError', message, details);
  }
}

/** `ctx.badRequest()`: an http-errors 400, named BadRequestError (not ValidationError). */
export class BadRequestError extends StrapiError {
  constructor(message = 'Bad Request', details: ErrorDetails = {}) {
    super(400, 'BadRequestError', message, details);
  }
}

/** The JSON body parser's error: V8's JSON.parse message, no details. */
export class BodySyntaxError extends StrapiError {
  constructor(message: string) {
    super(400, 'SyntaxError', message, null);
  }
}

/** raw-body's limit error (koa-body jsonLimit 1mb), no details. */
export class PayloadTooLargeError extends StrapiError {
  constructor(message = 'request entity too large') {
    super(413, 'PayloadTooLargeError', message, null);
  }
}

/** formidable's maxFileSize, which strapi::body answers with `ctx.payloadTooLarge('FileTooBig')`: details {}. */
export class FileTooBigError extends StrapiError {
  constructor() {
    super(413, 'PayloadTooLargeError', 'FileTooBig', {});
  }
}

/** Anything unexpected: Strapi hides it behind this, without details. */
export class InternalServerError extends StrapiError {
  constructor() {
    super(500, 'InternalServerError', 'Internal Server Error', null);
  }
}

/** The answer header that marks a 500 the emulator gives on purpose: its value says why real Strapi fails there. */
export const crashHeader = 'X-Strapi-Emulator-Crash';

/**
 * A request that makes real Strapi crash (an unguarded read, the database refusing a value).
 * The emulator answers the same 500 (Strapi's body, no details) with `X-Strapi-Emulator-Crash:
 * <why>` and one log line; with the option `strapiCrashes: 'explain'` it answers a 400
 * ValidationError whose message is `why` instead (http/app.ts decides).
 */
export class StrapiCrash extends StrapiError {
  constructor(readonly why: string) {
    super(500, 'InternalServerError', 'Internal Server Error', null);
  }
}

export function insteadOfStrapiCrash(why: string): StrapiCrash {
  return new StrapiCrash(why);
}

/** `why` as a header value: printable ASCII only (an HTTP header carries no newline or non-Latin-1 text). */
export function crashHeaderValue(why: string): string {
  return why.replace(/\u2026/g, '...').replace(/[^\x20-\x7e]/g, '?');
}

export const missingJsonBody = 'The request body is missing or not JSON: send a JSON object with Content-Type: application/json';

export type YupIssue = { path: string[]; message: string; name: 'ValidationError'; value?: unknown };

/** A yup failure: one issue → its message; several → "N errors occurred". */
export class YupValidationError extends ValidationError {
  constructor(readonly issues: YupIssue[]) {
    super(issues.length === 1 ? issues[0].message : `${issues.length} errors occurred`, { errors: issues });
  }
}

/** Strapi's validate/utils throwInvalidKey (v5 message). */
export function invalidKey(key: string, path: string | null | undefined, extra: ErrorDetails = {}): ValidationError {
  const message = path && path !== key ? `Invalid key ${key} at ${path}` : `Invalid key ${key}`;
  return new ValidationError(message, { key, ...(path === undefined ? {} : { path }), ...extra });
}

export function errorBody(error: StrapiError): { data: null; error: Record<string, unknown> } {
  return {
    data: null,
    error: {
      status: error.status,
      name: error.name,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

/** Any thrown value → the Strapi error it becomes (unknown errors are a 500). */
// The statuses Strapi answers with its own classes; any other goes through http-errors.
const byStatus: Record<number, () => StrapiError> = {
  400: () => new BadRequestError(),
  401: () => new UnauthorizedError(),
  403: () => new ForbiddenError(),
  404: () => new NotFoundError('Not Found'),
  413: () => new PayloadTooLargeError(),
  429: () => new RateLimitError(),
  500: () => new InternalServerError(),
};

/** A status's answer as Strapi's error middleware writes it (its own classes, else http-errors' name and text). */
export function errorForStatus(status: number): StrapiError {
  const known = byStatus[status];
  if (known) return known();
  // http-errors: the name is the status text in PascalCase + "Error", no details.
  const text = STATUS_CODES[status] ?? `Error ${status}`;
  const words = text.replace(/[^ _0-9a-z]/gi, '').split(/\s+/).filter(Boolean);
  const name = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return new StrapiError(status, name.endsWith('Error') ? name : `${name}Error`, text, null);
}

export function toStrapiError(thrown: unknown): StrapiError {
  if (thrown instanceof StrapiError) return thrown;
  return new InternalServerError();
}
