// Placeholder upload routes until the upload issue lands: what real Strapi answers while the
// media library is empty ([] for the list, "file.notFound" 404s, "Files are empty" without a
// file, "Entity not found" for `?id=` of a missing file). Storing a file is not emulated yet
// (NotImplementedError, 501).
import { type Handler, json } from '../http/context.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { can } from '../http/permissions.js';
import { type Model, validateQuery } from '../http/query.js';
import { NotImplementedError } from '../documents/empty.js';

/** plugin::upload.file, for validating queries (unknown or private keys are 400). */
const fileModel = (major: 4 | 5): Model => ({
  uid: 'plugin::upload.file',
  attributes: {
    name: { type: 'string' },
    alternativeText: { type: 'string' },
    caption: { type: 'string' },
    ...(major === 5 ? { focalPoint: { type: 'string' as const } } : {}),
    width: { type: 'integer' },
    height: { type: 'integer' },
    formats: { type: 'string' },
    hash: { type: 'string' },
    ext: { type: 'string' },
    mime: { type: 'string' },
    size: { type: 'integer' },
    url: { type: 'string' },
    previewUrl: { type: 'string' },
    provider: { type: 'string' },
    provider_metadata: { type: 'string' },
    related: { type: 'relation', target: 'morph' },
    folder: { type: 'relation', target: 'plugin::upload.folder', private: true },
    folderPath: { type: 'string', private: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    ...(major === 5 ? { publishedAt: { type: 'datetime' as const } } : {}),
  },
});

export const upload: Handler = (ctx) => {
  if (ctx.query.id !== undefined) throw new NotFoundError('Entity not found');
  if (!ctx.files.some((f) => f.field === 'files')) throw new ValidationError('Files are empty');
  throw new NotImplementedError('The emulator does not store files yet');
};

export const find: Handler = (ctx) => {
  const model = fileModel(ctx.major);
  validateQuery({ major: ctx.major, model, getModel: (uid) => ({ uid, attributes: {} }), related: () => null, canRead: (uid) => can(ctx.caller, `${uid}.find`) }, ctx.query);
  return json([]);
};

export const findOne: Handler = () => {
  throw new NotFoundError('file.notFound');
};

export const destroy: Handler = () => {
  throw new NotFoundError('file.notFound');
};
