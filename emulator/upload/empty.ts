// Placeholder upload routes until the upload issue lands: what real Strapi answers while the
// media library is empty ([] for the list, "file.notFound" 404s, "Files are empty" without a
// file, "Entity not found" for `?id=` of a missing file). Storing a file is not emulated yet
// (NotImplementedError, 501).
import { type Handler, json } from '../http/context.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { NotImplementedError } from '../documents/empty.js';

export const upload: Handler = (ctx) => {
  if (ctx.query.id !== undefined) throw new NotFoundError('Entity not found');
  if (!ctx.files.some((f) => f.field === 'files')) throw new ValidationError('Files are empty');
  throw new NotImplementedError('The emulator does not store files yet');
};

export const find: Handler = () => json([]);

export const findOne: Handler = () => {
  throw new NotFoundError('file.notFound');
};

export const destroy: Handler = () => {
  throw new NotFoundError('file.notFound');
};
