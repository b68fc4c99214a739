// Placeholder document routes until the documents issue lands: they answer what real Strapi
// answers while no entry exists (an empty page, 404s, v5's 204 on DELETE). Creating an
// entry is not emulated yet and says so with Strapi's NotImplementedError (501).
import { type Handler, bodyObject, json, noContent } from '../http/context.js';
import { NotFoundError, StrapiError, ValidationError } from '../http/errors.js';

const int = (v: unknown): number | undefined => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** meta.pagination for an empty result, from the `pagination` query. */
function emptyPagination(query: Record<string, unknown>): Record<string, number> {
  const p = (typeof query.pagination === 'object' && query.pagination !== null ? query.pagination : {}) as Record<string, unknown>;
  const withCount = p.withCount !== 'false' && p.withCount !== false;
  if (p.start !== undefined || p.limit !== undefined) {
    const start = Math.max(int(p.start) ?? 0, 0);
    const limit = Math.min(Math.max(int(p.limit) ?? 25, 1), 100);
    return withCount ? { start, limit, total: 0 } : { start, limit };
  }
  const page = Math.max(int(p.page) ?? 1, 1);
  const pageSize = Math.min(Math.max(int(p.pageSize) ?? 25, 1), 100);
  return withCount ? { page, pageSize, pageCount: 0, total: 0 } : { page, pageSize };
}

export class NotImplementedError extends StrapiError {
  constructor(message = 'This feature is not implemented yet') {
    super(501, 'NotImplementedError', message, {});
  }
}

export const find: Handler = (ctx) => json({ data: [], meta: { pagination: emptyPagination(ctx.query) } });

export const findOne: Handler = () => {
  throw new NotFoundError('Not Found');
};

function requireData(body: unknown): void {
  const data = bodyObject(body).data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ValidationError('Missing "data" payload in the request body');
}

export const create: Handler = (ctx) => {
  requireData(ctx.body);
  throw new NotImplementedError('The emulator does not store documents yet');
};

export const update: Handler = (ctx) => {
  requireData(ctx.body);
  throw new NotFoundError('Not Found');
};

/** v5 answers 204 for a documentId that does not exist; v4 404. */
export const destroy: Handler = (ctx) => {
  if (ctx.major === 5) return noContent();
  throw new NotFoundError('Not Found');
};
