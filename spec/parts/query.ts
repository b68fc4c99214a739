// Strapi's query language as OpenAPI parameters. Strapi parses the query string with `qs`
// (nested brackets: `filters[author][username][$eq]=x`), so deep parameters are deepObject.
import type { Major, Schema } from '../openapi.js';

const stringOrList: Schema = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

const deep = (name: string, description: string, schema: Schema = { type: 'object', additionalProperties: true }): Schema => ({
  name,
  in: 'query',
  required: false,
  style: 'deepObject',
  explode: true,
  description,
  schema,
});
const plain = (name: string, description: string, schema: Schema): Schema => ({ name, in: 'query', required: false, description, schema });

export const queryParams = {
  filters: deep('filters', 'Filters, e.g. `filters[title][$eq]=x`; operators $eq $eqi $ne $nei $lt $lte $gt $gte $in $notIn $contains $notContains $containsi $notContainsi $null $notNull $between $startsWith $startsWithi $endsWith $endsWithi $or $and $not. Unknown or private keys give 400 "Invalid key …".'),
  sort: plain('sort', '`field`, `field:asc|desc`, a comma list or an array.', stringOrList),
  fields: plain('fields', 'Attributes to return; `id` (and `documentId` on v5) always come back.', stringOrList),
  populate: {
    name: 'populate',
    in: 'query',
    required: false,
    description: '`*`, a list of relation names, or an object with nested `fields`/`filters`/`sort`/`populate`.',
    schema: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object', additionalProperties: true }] },
    style: 'deepObject',
    explode: true,
  },
  pagination: deep('pagination', 'Page-based (`page`, `pageSize`, default 25, max 100) or offset-based (`start`, `limit`); `withCount=false` drops `pageCount`/`total`.', {
    type: 'object',
    properties: {
      page: { type: 'integer' },
      pageSize: { type: 'integer' },
      start: { type: 'integer' },
      limit: { type: 'integer' },
      withCount: { type: 'boolean' },
    },
  }),
  start: plain('start', 'Offset (honoured on /api/users, which ignores `pagination`).', { type: 'integer' }),
  limit: plain('limit', 'Page size (honoured on /api/users, which ignores `pagination`).', { type: 'integer' }),
  locale: plain('locale', 'Locale code; ignored on content types without i18n.', { type: 'string' }),
};

/** v5 selects draft or published rows with `status`; v4 with `publicationState`. */
export const publicationParam = (major: Major): Schema =>
  major === 5
    ? plain('status', 'Which version of each document: `published` (default) or `draft`.', { type: 'string', enum: ['draft', 'published'] })
    : plain('publicationState', '`live` (default, published only) or `preview` (drafts too).', { type: 'string', enum: ['live', 'preview'] });
