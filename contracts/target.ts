// What a contract scenario talks to: a base URL of some Strapi (real v4/v5, or the emulator),
// reached through the generated SDK. Every answer goes through the spec validator, and the
// (operation, status) pairs seen are recorded for the coverage check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import qs from 'qs';
import { Agent, request, fetch as undiciFetch } from 'undici';
import { type Client, createClient } from '../clients/v5/sdk/client/index.js';
import { repoRoot } from '../clients/generate.js';
import { SpecValidator } from './validate.js';

export type TargetInfo = {
  /** e.g. `real-v5`, `emulator-v4` */
  name: string;
  major: 4 | 5;
  url: string;
  apiTokens: { fullAccess: string; readOnly: string };
  /** Real Strapi: the JSON-lines file its offline email provider appends to. */
  mailFile?: string;
  /** The emulator: its control API's outbox (`GET` answers `{mails: Mail[]}`). */
  outboxUrl?: string;
  /** users-permissions' `jwtSecret`, so scenarios can sign tokens the target accepts (or should not). */
  jwtSecret?: string;
};

export type Mail = { to: string; subject?: string; text?: string; html?: string };
export type Seen = { operationId?: string; status: number; violations: string[]; request: string };

export function targetFromEnv(): TargetInfo {
  const raw = process.env.CONTRACT_TARGET;
  if (!raw) throw new Error('CONTRACT_TARGET is not set: run the contracts through `npm run contracts:live` (or give it the JSON of a TargetInfo)');
  return JSON.parse(raw) as TargetInfo;
}

export class Contract {
  readonly validator: SpecValidator;
  readonly seen: Seen[] = [];
  private agents: Agent[] = [];
  private nextHost = 0;

  constructor(readonly target: TargetInfo) {
    this.validator = new SpecValidator(JSON.parse(readFileSync(join(repoRoot, 'spec', 'dist', `strapi-v${target.major}.json`), 'utf8')));
  }

  /**
   * A fresh loopback source address per caller. Strapi rate-limits auth routes per client IP
   * (10 per minute), so scenarios that each come from their own address never limit each other.
   */
  private agent(): Agent {
    const n = this.nextHost++;
    const agent = new Agent({ localAddress: `127.0.${2 + Math.floor(n / 250)}.${1 + (n % 250)}` });
    this.agents.push(agent);
    return agent;
  }

  /** Sends a request as-is from a fresh address; the answer is validated and recorded. */
  readonly send = async (request: Request, agent: Agent = this.agent()): Promise<Response> => {
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const res = await undiciFetch(request.url, { method: request.method, headers: request.headers as never, body, redirect: 'manual', dispatcher: agent });
    return this.record(request.method, request.url, res.status, new Headers(res.headers as never), await res.text());
  };

  /** Validates and records an answer; returns it as a Response. */
  private record(method: string, url: string, status: number, headers: Headers, text: string): Response {
    const verdict = this.validator.check({ method, url, status, headers, body: text });
    this.seen.push({ ...verdict, request: `${method} ${new URL(url).pathname}${new URL(url).search}` });
    return new Response([204, 304].includes(status) || text === '' ? null : text, { status, headers });
  }

  /**
   * Sends header lines exactly as given, a repeated name as repeated lines (fetch's Headers would
   * join them into one value with ", ").
   */
  async rawLines(method: string, path: string, lines: Array<[string, string]>): Promise<Response> {
    const url = new URL(path, this.target.url).toString();
    const res = await request(url, { method: method as never, headers: lines.flat(), dispatcher: this.agent() });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? []].flat()) headers.append(name, v);
    return this.record(method, url, res.statusCode, headers, await res.body.text());
  }

  /** A generated-SDK client. `token` becomes `Authorization: Bearer <token>`; `headers` go on every request. */
  client(opts: { token?: string; headers?: Record<string, string> } = {}): Client {
    const agent = this.agent();
    return createClient({
      baseUrl: this.target.url,
      fetch: ((input: Request) => this.send(input, agent)) as typeof fetch,
      ...(opts.token !== undefined ? { auth: opts.token } : {}),
      headers: opts.headers,
      // Strapi parses queries with qs; hey-api's own serializer stops at one level of nesting.
      querySerializer: (query) => qs.stringify(query, { encodeValuesOnly: true }),
    });
  }

  /** A raw request for what the SDK cannot send (malformed JSON, odd headers). */
  raw(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
    return this.send(new Request(new URL(path, this.target.url), { method, headers: init.headers, body: init.body }));
  }

  /** Emails the target sent, oldest first. */
  async mails(): Promise<Mail[]> {
    if (this.target.outboxUrl) {
      const res = await fetch(this.target.outboxUrl);
      if (!res.ok) throw new Error(`${this.target.outboxUrl} answered ${res.status}`);
      return ((await res.json()) as { mails: Mail[] }).mails;
    }
    if (!this.target.mailFile) throw new Error(`${this.target.name} exposes no mailbox`);
    let text = '';
    try {
      text = readFileSync(this.target.mailFile, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Mail);
  }

  /** The newest email to `to`, or fails the scenario. */
  async lastMailTo(to: string): Promise<Mail> {
    const mails = await this.mails();
    const mail = mails.filter((m) => m.to === to).at(-1);
    if (!mail) throw new Error(`no email to ${to} (mails to: ${mails.map((m) => m.to).join(', ') || 'none'})`);
    return mail;
  }

  async close(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.close()));
  }
}
