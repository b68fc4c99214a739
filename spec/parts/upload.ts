// The upload plugin (media library). Like users, files are plain objects on both majors.
import { errors } from './errors.js';
import { queryParams } from './query.js';
import { anyCaller } from './users-permissions.js';
import { entitySchemas } from '../format.js';
import { type Major, type Operation, type Part, type Schema, dateTime, int, jsonContent, nullable, object, pathId, ref, str } from '../openapi.js';

const tags = ['upload'];
const action = (name: string) => `plugin::upload.content-api.${name}`;
const nullableInt: Schema = { type: ['integer', 'null'] };
const nullableStr: Schema = { type: ['string', 'null'] };

function fileSchemas(major: Major): Record<string, Schema> {
  const v5 = major === 5;
  const format = object(
    { name: str, hash: str, ext: str, mime: str, path: nullableStr, width: int, height: int, size: { type: 'number' }, sizeInBytes: int, url: str, ...(v5 ? { isUrlSigned: { type: 'boolean' } } : {}) },
    ['name', 'hash', 'ext', 'mime', 'width', 'height', 'size', 'url'],
  );
  const props: Record<string, Schema> = {
    id: int,
    ...(v5 ? { documentId: str } : {}),
    name: str,
    alternativeText: nullableStr,
    caption: nullableStr,
    ...(v5 ? { focalPoint: { type: ['object', 'null'] } } : {}),
    width: nullableInt,
    height: nullableInt,
    formats: { anyOf: [{ type: 'object', additionalProperties: ref('UploadFileFormat') }, { type: 'null' }], description: 'thumbnail/small/medium/large renditions of an image; `{}` after a replacement.' },
    hash: str,
    ext: nullableStr,
    mime: str,
    size: { type: 'number', description: 'Kilobytes, two decimals.' },
    url: str,
    previewUrl: nullableStr,
    provider: str,
    provider_metadata: { type: ['object', 'null'] },
    createdAt: dateTime,
    updatedAt: dateTime,
    ...(v5 ? { publishedAt: nullable(dateTime), isUrlSigned: { type: 'boolean', description: 'Present on upload answers, not on populated media.' } } : {}),
    related: { type: 'array', items: { type: 'object' }, description: 'Entries the file is linked to, with `populate=related`.' },
  };
  const required = Object.keys(props).filter((k) => !['related', 'isUrlSigned', 'focalPoint', 'publishedAt'].includes(k));
  // v4 wraps media populated into a document as `{data:{id,attributes}}`. A populated media,
  // like a file of GET /api/upload/files, may be narrowed by `fields`: only the ids are sure.
  const { id: _id, ...attributes } = props;
  return {
    UploadFile: object(props, required),
    UploadFileSelection: { ...object(props, v5 ? ['id', 'documentId'] : ['id']), description: 'A file as find answers it, or as populated into an entry: `fields` may narrow it.' },
    ...(v5 ? {} : entitySchemas(4, 'UploadFile', attributes, [])),
    UploadFileFormat: format,
    UploadRequest: {
      type: 'object',
      description: 'multipart/form-data. `ref` (content type uid), `refId` (entry id) and `field` link the new files to an entry; `fileInfo` is JSON with name, alternativeText, caption.',
      properties: {
        files: { anyOf: [{ type: 'string', format: 'binary' }, { type: 'array', items: { type: 'string', format: 'binary' } }] },
        ref: str,
        refId: { type: ['string', 'integer'] },
        field: str,
        path: str,
        fileInfo: str,
      },
    },
  };
}

const fileArray = { type: 'array', items: ref('UploadFile') };
const fileId = pathId('id', int, 'The numeric file id.');

export function upload(major: Major): Part {
  const op = (name: string, operationId: string, summary: string, rest: Partial<Operation>): Operation => ({
    operationId,
    summary,
    tags,
    security: anyCaller,
    'x-strapi-action': action(name),
    responses: {},
    ...rest,
  });
  // Real Strapi: v5 answers a new upload with 201, v4 with 200; both answer `?id=` (replace
  // a file or edit its info) with 200 and a single object rather than an array.
  const uploaded: Record<string, Schema> =
    major === 5
      ? { 201: jsonContent(fileArray, 'The new files, in order.'), 200: jsonContent(ref('UploadFile'), 'With `?id=`: the updated file.') }
      : { 200: jsonContent({ anyOf: [fileArray, ref('UploadFile')] }, 'The new files (array), or with `?id=` the updated file (object).') };
  return {
    schemas: fileSchemas(major),
    paths: {
      '/api/upload': {
        post: op('upload', 'uploadFiles', 'Upload files (multipart field `files`), optionally linking them to an entry', {
          parameters: [{ name: 'id', in: 'query', required: false, schema: int, description: 'Replace this file, or update its `fileInfo`.' }],
          requestBody: { required: true, content: { 'multipart/form-data': { schema: ref('UploadRequest') } } },
          responses: { ...uploaded, ...errors([400, 401, 403, 404]) },
        }),
      },
      '/api/upload/files': {
        get: op('find', 'uploadFilesFind', 'List files (a bare array; pagination is ignored)', {
          parameters: [queryParams.filters, queryParams.sort, queryParams.fields, queryParams.populate, queryParams.pagination, queryParams.start, queryParams.limit],
          responses: { 200: jsonContent({ type: 'array', items: ref('UploadFileSelection') }, 'The files (`start`/`limit` are honoured, `pagination` is not).'), ...errors([400, 401, 403]) },
        }),
      },
      // v5 only: the paginated list (findAndCountPage), with documents' `{data, meta: {pagination}}`.
      ...(major === 5
        ? {
            '/api/upload/files/page': {
              get: op('findPage', 'uploadFilesFindPage', 'List files, paginated like documents (v5)', {
                parameters: [queryParams.filters, queryParams.sort, queryParams.fields, queryParams.populate, queryParams.pagination],
                responses: {
                  200: jsonContent(object({ data: { type: 'array', items: ref('UploadFileSelection') }, meta: object({ pagination: ref('Pagination') }) }), 'A page of files.'),
                  ...errors([400, 401, 403]),
                },
              }),
            },
          }
        : {}),
      '/api/upload/files/{id}': {
        get: op('findOne', 'uploadFilesFindOne', 'Get a file', {
          parameters: [fileId, queryParams.populate],
          responses: { 200: jsonContent(ref('UploadFile'), 'The file.'), ...errors([400, 401, 403, 404]) },
        }),
        delete: op('destroy', 'uploadFilesDestroy', 'Delete a file', {
          parameters: [fileId],
          responses: { 200: jsonContent(ref('UploadFile'), 'The deleted file.'), ...errors([401, 403, 404]) },
        }),
      },
    },
  };
}
