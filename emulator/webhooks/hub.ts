// Webhooks: the configured endpoints, the events they listen to, and their deliveries —
// Strapi's webhook runner (@strapi/core dist/services/webhook-runner.js in 5.54.0,
// @strapi/strapi dist/services/webhook-runner.js in 4.26.2, the same code on both):
//   POST <url>, body JSON.stringify({event, createdAt: new Date(), ...info}), headers
//   {...server.webhooks.defaultHeaders, ...webhook.headers, 'X-Strapi-Event': event,
//   'Content-Type': 'application/json'}, a 10 s timeout, no retry. A failure (network error,
//   timeout, non-2xx) is only the run's result ({statusCode, message}); nothing is logged
//   and the request that caused the event never sees it.
// Events are queued after the write and delivered in the background, one webhook's
// deliveries one after another in emission order. Webhooks are stored state in Strapi (the
// strapi_webhooks table), so here they are a store extension: snapshot/restore cover them
// and reset() goes back to the ones configured by createEmulator({ webhooks }).
import type { Store, StoreExtension } from '../store/store.js';
import * as z from 'zod/mini';
import { isObject } from '../http/context.js';

/** Every event Strapi's admin lets a webhook subscribe to that the content API can cause. */
export const webhookEvents = ['entry.create', 'entry.update', 'entry.delete', 'entry.publish', 'entry.unpublish', 'media.create', 'media.update', 'media.delete'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export type WebhookSeed = {
  url: string;
  /** Sent with every delivery (the webhook's headers in Strapi's admin). */
  headers?: Record<string, string>;
  /** The events it listens to (default: all of them). */
  events?: WebhookEvent[];
  name?: string;
  /** Strapi's isEnabled (default true). */
  enabled?: boolean;
};

export type Webhook = { id: number; name: string; url: string; headers: Record<string, string>; events: WebhookEvent[]; enabled: boolean };

export type Delivery = {
  id: number;
  webhookId: number;
  url: string;
  event: WebhookEvent;
  /** The receiver's HTTP status; null when there was no answer (network error, timeout). */
  status: number | null;
  ok: boolean;
  /** The answer's text for a non-2xx status, or the error (as Strapi's runner reports them). */
  error: string | null;
  /** The payload as sent. */
  body: Record<string, unknown>;
  sentAt: string;
};

type WebhooksSnapshot = { webhooks: Webhook[]; nextId: number };

/** How many deliveries the log keeps (the oldest go first). */
const deliveryLogSize = 200;

/** Strapi's webhook-runner timeout. */
export const deliveryTimeoutMs = 10_000;

export class WebhookError extends Error {}


/** Checks a webhook definition (option or control API); throws a WebhookError naming the mistake. */
export function checkWebhook(seed: unknown, opts: { noEvents?: boolean } = {}): Required<Omit<WebhookSeed, 'name'>> & { name: string | undefined } {
  if (!isObject(seed)) throw new WebhookError('a webhook must be an object like {url, headers?, events?}');
  const extra = Object.keys(seed).filter((k) => !['url', 'headers', 'events', 'name', 'enabled'].includes(k));
  if (extra.length) throw new WebhookError(`unknown webhook keys: ${extra.join(', ')}`);
  const { url, headers = {}, events = [...webhookEvents], name, enabled = true } = seed;
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) throw new WebhookError(`url must be an absolute http(s) URL, got ${JSON.stringify(url)}`);
  if (!isObject(headers) || !Object.values(headers).every((v) => typeof v === 'string')) throw new WebhookError('headers must be an object of strings');
  for (const key of Object.keys(headers)) if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) throw new WebhookError(`"${key}" is not a valid header name`);
  // The admin API takes a webhook listening to nothing (kept, never called); the control API wants at least one event.
  if (!Array.isArray(events) || (events.length === 0 && !opts.noEvents)) throw new WebhookError(`events must be a non-empty list of ${webhookEvents.join(', ')}`);
  const unknown = events.filter((e) => !webhookEvents.includes(e as WebhookEvent));
  if (unknown.length) throw new WebhookError(`unknown events ${unknown.map((e) => JSON.stringify(e)).join(', ')} (known: ${webhookEvents.join(', ')})`);
  if (name !== undefined && typeof name !== 'string') throw new WebhookError('name must be a string');
  if (typeof enabled !== 'boolean') throw new WebhookError('enabled must be a boolean');
  return { url: url as string, headers: headers as Record<string, string>, events: [...new Set(events as WebhookEvent[])], name, enabled };
}

export class Webhooks implements StoreExtension {
  private webhooks: Webhook[] = [];
  private nextId = 1;
  private log: Delivery[] = [];
  private nextDeliveryId = 1;
  /** Each webhook's delivery chain: its deliveries run one after another. */
  private chains = new Map<number, Promise<void>>();
  private pendingCount = 0;
  /**
   * While persistence holds deliveries (`--data`), emitted events wait here until the change
   * that caused them is durable, and are dropped when it is rolled back: a receiver must not
   * hear of a change the API answered 500 for.
   */
  private held: Array<{ seq: number; send: () => void }> | undefined;
  private emitted = 0;
  private heldSettled: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    private readonly store: Store,
    /** Headers before the webhook's own: v4's node-fetch announces itself, v5's fetch says `node` by itself. */
    private readonly baseHeaders: Record<string, string> = {},
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
  ) {}

  list(): Webhook[] {
    return this.webhooks.map((w) => structuredClone(w));
  }

  add(seed: WebhookSeed, opts: { noEvents?: boolean } = {}): Webhook {
    const s = checkWebhook(seed, opts);
    const webhook: Webhook = { id: this.nextId++, name: s.name ?? s.url, url: s.url, headers: { ...s.headers }, events: s.events, enabled: s.enabled };
    this.webhooks.push(webhook);
    return structuredClone(webhook);
  }

  /** Replaces one webhook's definition (the admin API's PUT); undefined when it does not exist. */
  update(id: number, seed: WebhookSeed): Webhook | undefined {
    const at = this.webhooks.findIndex((w) => w.id === id);
    if (at < 0) return undefined;
    const s = checkWebhook(seed, { noEvents: true });
    this.webhooks[at] = { id, name: s.name ?? s.url, url: s.url, headers: { ...s.headers }, events: s.events, enabled: s.enabled };
    return structuredClone(this.webhooks[at]);
  }

  get(id: number): Webhook | undefined {
    const found = this.webhooks.find((w) => w.id === id);
    return found && structuredClone(found);
  }

  /** Removes one webhook (true) or says it did not exist (false). Its queued deliveries still go. */
  remove(id: number): boolean {
    const before = this.webhooks.length;
    this.webhooks = this.webhooks.filter((w) => w.id !== id);
    return this.webhooks.length !== before;
  }

  clear(): void {
    this.webhooks = [];
  }

  /** Recent deliveries, oldest first. */
  deliveries(): Delivery[] {
    return this.log.map((d) => structuredClone(d));
  }

  clearDeliveries(): void {
    this.log = [];
  }

  /** Deliveries queued or under way. */
  get pending(): number {
    return this.pendingCount;
  }

  /** Resolves once every queued delivery is done (those queued meanwhile included). */
  async settled(): Promise<void> {
    for (;;) {
      if (this.held?.length) {
        if (!this.heldSettled) {
          let resolve!: () => void;
          const promise = new Promise<void>((r) => (resolve = r));
          this.heldSettled = { promise, resolve };
        }
        await this.heldSettled.promise;
      } else if (this.pendingCount > 0) await Promise.all(this.chains.values());
      else return;
    }
  }

  /** Runs `fn` (a rollback's restore) keeping the delivery log: what was delivered was delivered. */
  async keepingDeliveries(fn: () => Promise<void>): Promise<void> {
    const log = this.log;
    try {
      await fn();
    } finally {
      this.log = [...log, ...this.log].slice(-deliveryLogSize);
    }
  }

  /** Does an enabled webhook listen to `event`? (Callers skip building payloads nobody wants.) */
  listens(event: WebhookEvent): boolean {
    return this.webhooks.some((w) => w.enabled && w.events.includes(event));
  }

  /**
   * Queues `event` for every enabled webhook listening to it. `info` (model, uid, entry — or
   * media) is read now, after the write, so later writes do not change what is sent.
   */
  emit(event: WebhookEvent, info: () => Record<string, unknown>): void {
    const targets = this.webhooks.filter((w) => w.enabled && w.events.includes(event));
    if (!targets.length) return;
    const body = { event, createdAt: this.store.now(), ...info() };
    const text = JSON.stringify(body);
    const send = () => this.send(targets, event, body, text);
    this.emitted++;
    if (this.held) this.held.push({ seq: this.emitted, send });
    else send();
  }

  /** Starts holding emitted events (persistence); `release`/`drop` decide their fate. */
  hold(): void {
    this.held ??= [];
  }

  /** How many events were emitted so far (a write records it with its snapshot, then releases up to it). */
  get mark(): number {
    return this.emitted;
  }

  /** Sends the held events emitted up to `mark`; without one, all of them, and holding stops. */
  release(mark?: number): void {
    if (!this.held) return;
    const due = mark === undefined ? this.held : this.held.filter((h) => h.seq <= mark);
    this.held = mark === undefined ? undefined : this.held.filter((h) => h.seq > mark);
    for (const h of due) h.send();
    this.heldChanged();
  }

  /** Forgets the held events (their change was rolled back). */
  drop(): void {
    if (!this.held?.length) return;
    this.held = [];
    this.heldChanged();
  }

  private heldChanged(): void {
    if (this.held?.length) return;
    this.heldSettled?.resolve();
    this.heldSettled = undefined;
  }

  private send(targets: Webhook[], event: WebhookEvent, body: Record<string, unknown>, text: string): void {
    for (const webhook of targets) {
      const { id, url } = webhook;
      const headers = { ...this.baseHeaders, ...webhook.headers, 'X-Strapi-Event': event, 'Content-Type': 'application/json' };
      this.pendingCount++;
      const previous = this.chains.get(id) ?? Promise.resolve();
      const next = previous.then(() => this.deliver(id, url, headers, event, body, text)).finally(() => {
        this.pendingCount--;
        if (this.chains.get(id) === next) this.chains.delete(id);
      });
      this.chains.set(id, next);
    }
  }

  private async deliver(webhookId: number, url: string, headers: Record<string, string>, event: WebhookEvent, body: Record<string, unknown>, text: string): Promise<void> {
    const sentAt = new Date(this.store.clock.now()).toISOString();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await this.fetcher(url, { method: 'POST', headers, body: text, signal: AbortSignal.timeout(deliveryTimeoutMs) });
      status = res.status;
      const answer = await res.text().catch(() => '');
      if (!res.ok) error = answer;
    } catch (thrown) {
      error = thrown instanceof Error ? `${thrown.message}${thrown.cause instanceof Error ? `: ${thrown.cause.message}` : ''}` : String(thrown);
    }
    this.log.push({ id: this.nextDeliveryId++, webhookId, url, event, status, ok: status !== null && status >= 200 && status < 300, error, body, sentAt });
    if (this.log.length > deliveryLogSize) this.log.splice(0, this.log.length - deliveryLogSize);
  }

  /** Each webhook as the control API would take it, unique ids below the counter. */
  schema() {
    const webhook = z
      .strictObject({ id: z.int().check(z.minimum(1)), name: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), events: z.array(z.string()), enabled: z.boolean() })
      .check(
        z.superRefine((w, ctx) => {
          try {
            checkWebhook({ url: w.url, headers: w.headers, events: w.events, name: w.name, enabled: w.enabled }, { noEvents: true });
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message });
          }
        }),
      );
    return z.strictObject({ webhooks: z.array(webhook), nextId: z.int().check(z.minimum(1)) }).check(
      z.superRefine((s, ctx) => {
        const seen = new Set<number>();
        s.webhooks.forEach((w, i) => {
          if (seen.has(w.id)) ctx.addIssue({ code: 'custom', path: ['webhooks', i, 'id'], message: `id ${w.id} appears twice` });
          if (w.id >= s.nextId) ctx.addIssue({ code: 'custom', path: ['nextId'], message: `must be above every webhook id (${w.id})` });
          seen.add(w.id);
        });
      }),
    );
  }

  snapshot(): WebhooksSnapshot {
    return { webhooks: structuredClone(this.webhooks), nextId: this.nextId };
  }

  /** Restores the webhooks (a snapshot from before webhooks existed: none) and empties the delivery log. */
  restore(snapshot: unknown): void {
    if (snapshot === undefined) {
      this.webhooks = [];
      this.nextId = 1;
    } else {
      const s = snapshot as WebhooksSnapshot;
      if (!isObject(s) || !Array.isArray(s.webhooks) || typeof s.nextId !== 'number') throw new Error('snapshot: the webhooks state is malformed');
      this.webhooks = s.webhooks.map((w) => {
        const c = checkWebhook({ url: w.url, headers: w.headers, events: w.events, name: w.name, enabled: w.enabled }, { noEvents: true });
        if (!Number.isInteger(w.id)) throw new Error('snapshot: a webhook has no integer id');
        return { id: w.id, name: c.name ?? c.url, url: c.url, headers: c.headers, events: c.events, enabled: c.enabled };
      });
      this.nextId = s.nextId;
    }
    this.log = [];
  }
}

/** Creates an emulator's webhooks (those of the option first) and registers them with its store. */
export function installWebhooks(store: Store, opts: { major: 4 | 5; seeds?: WebhookSeed[]; fetcher?: typeof fetch }): Webhooks {
  const seeds = opts.seeds ?? [];
  if (!Array.isArray(seeds)) throw new TypeError('webhooks must be a list of {url, headers?, events?}');
  const hub = new Webhooks(store, opts.major === 4 ? { 'User-Agent': 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)' } : {}, opts.fetcher);
  for (const seed of seeds) {
    try {
      hub.add(seed);
    } catch (error) {
      throw new TypeError(`webhooks: ${(error as Error).message}`);
    }
  }
  return store.extend('webhooks', hub);
}

/** The webhooks of the emulator a request runs in (none when it has no webhooks state). */
export function webhooksOf(store: Store): Webhooks | undefined {
  return store.extension<Webhooks>('webhooks');
}
