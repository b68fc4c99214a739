// What a handler receives and returns. Handlers are plain functions of a RequestContext;
// they return a Reply or throw a StrapiError, and the pipeline (http/app.ts) turns both into
// a Response with Strapi's headers.
import type { Operation } from '../../spec/openapi.js';
import type { Config, Major } from '../config.js';
import type { Store } from '../store/store.js';
import type { ApiTokenRecord, UserRecord } from '../store/records.js';
import type { Services } from '../services.js';
import type { UploadedFile } from './body.js';

export type Caller =
  /** No bearer: the Public role's permissions. */
  | { kind: 'public'; roleId: number; actions: ReadonlySet<string> }
  /** A users-permissions JWT of an active user. */
  | { kind: 'user'; user: UserRecord; roleId: number; actions: ReadonlySet<string>; sessionId?: string }
  /** An API token. */
  | { kind: 'apiToken'; token: ApiTokenRecord };

export type Reply = {
  status: number;
  /** A JSON body (serialized as-is, `null` included). */
  json?: unknown;
  /** A text body, with its content type. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Set-Cookie lines, one header each. */
  cookies?: string[];
};

export type RequestContext = {
  major: Major;
  config: Config;
  store: Store;
  services: Services;
  request: Request;
  url: URL;
  method: string;
  operation: Operation;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  /** The query string parsed like Strapi (qs). */
  query: Record<string, unknown>;
  /** The parsed body: an object for JSON and forms, `{}` when there is none. */
  body: unknown;
  /** Files of a multipart body, with their field names. */
  files: UploadedFile[];
  caller: Caller;
  /** The client address (what Koa calls ctx.request.ip). */
  ip: string;
  /** server.absoluteUrl for links in emails. */
  serverUrl: string;
};

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export const json = (body: unknown, status = 200): Reply => ({ status, json: body });
export const noContent = (): Reply => ({ status: 204 });

/** The body as an object (Strapi handlers read `ctx.request.body.x`; a non-object body reads as empty). */
/** A plain JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function bodyObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

export type { Operation };
