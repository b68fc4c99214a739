// What the `rich` project's scenarios (rich.ts, rich-plugins.ts) share: a JSON client with the
// full-access API token, and the v4 → flat reading that lets one expectation hold on both majors.
import { Agent, fetch as undiciFetch, FormData } from 'undici';
import qs from 'qs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { png } from '../fixtures.js';
import type { TargetInfo } from '../target.js';
import type { Connected } from './scenarios.js';

export const richProject = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'projects', 'rich');

export type Answer = { status: number; body: any };
type Json = any;

/**
 * v4 wraps entries as `{id, attributes}` and relations/media as `{data}`; v5 answers them flat.
 * Reads a v4 answer as v5's flat shape (ids kept), so the same expectation holds on both.
 */
export function flat(value: Json): Json {
  if (Array.isArray(value)) return value.map(flat);
  if (!value || typeof value !== 'object') return value;
  if ('attributes' in value && 'id' in value && Object.keys(value).length === 2) return flat({ id: value.id, ...value.attributes });
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && 'data' in v && k !== 'meta' ? flat((v as { data: Json }).data) : flat(v);
  }
  return out;
}

export class RichClient {
  private agent = new Agent();
  readonly v5: boolean;

  constructor(readonly target: TargetInfo) {
    this.v5 = target.major === 5;
  }

  async call(method: string, url: string, body?: unknown, token: string | null = this.target.apiTokens.fullAccess): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await undiciFetch(new URL(url, this.target.url), { method, headers, body: payload, dispatcher: this.agent });
    const text = await res.text();
    let parsed: Json = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: kept as text */
    }
    return { status: res.status, body: parsed };
  }

  /** `GET path?query` (query as Strapi reads it, with qs). */
  get(pathname: string, query?: Record<string, unknown>): Promise<Answer> {
    return this.call('GET', query ? `${pathname}?${qs.stringify(query, { encodeValuesOnly: true })}` : pathname);
  }

  /** Creates an entry; fails unless Strapi answers 200/201. Returns its flat data. */
  async create(plural: string, data: Record<string, unknown>, query = ''): Promise<Json> {
    const r = await this.call('POST', `/api/${plural}${query}`, { data });
    if (r.status !== 200 && r.status !== 201) throw new Error(`POST /api/${plural} → ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
    return flat(r.body.data);
  }

  /** How an entry is addressed in URLs and relation input: v5 documentId, v4 id. */
  ref(entry: { id: number; documentId?: string }): string | number {
    return this.v5 ? entry.documentId! : entry.id;
  }

  /** Uploads a tiny PNG; returns the file (flat). */
  async upload(name: string): Promise<Json> {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(png(4, 4))], { type: 'image/png' }), name);
    const r = await this.call('POST', '/api/upload', form);
    if (r.status !== 201 && r.status !== 200) throw new Error(`upload → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body[0];
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** The values of `key` of a flat list, in order. */
export const pluck = (list: Json[], key = 'title'): unknown[] => list.map((e) => e?.[key]);

/** A short random suffix so scenarios never see each other's entries. */
export const tag = () => Math.random().toString(36).slice(2, 8);

/** Connects before a suite's tests (handing the client to `ready`) and disconnects after them. */
export function connectRich(connect: () => Promise<Connected>, ready: (c: RichClient) => void): void {
  let connected: Connected | undefined;
  let client: RichClient | undefined;
  beforeAll(async () => {
    connected = await connect();
    client = new RichClient(connected.target);
    ready(client);
  });
  afterAll(async () => {
    await client?.close();
    await connected?.stop();
  });
}
