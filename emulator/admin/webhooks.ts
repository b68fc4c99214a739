// /admin/webhooks (@strapi/admin controllers/webhooks.js): the emulator's one webhook hub
// (webhooks/hub.ts), so a webhook created here is called on entry.* / media.* events and shows
// in /_emulator/webhooks, and one added there is listed here. v5 answers ids as strings
// (its webhook store stringifies them), v4 as numbers.
import { type Handler, type RequestContext, bodyObject, json } from '../http/context.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { validate } from '../http/yup.js';
import { type Webhook, WebhookError, type WebhookEvent, webhookEvents, webhooksOf } from '../webhooks/hub.js';
import { requireAdmin } from './auth.js';
import { idOf } from './format.js';
import { webhookCreation, webhookUpdate } from './validation.js';

const hub = (ctx: RequestContext) => {
  const h = webhooksOf(ctx.store);
  if (!h) throw new Error('this emulator has no webhooks (createEmulator installs them)');
  return h;
};

const format = (ctx: RequestContext, w: Webhook) => ({ id: ctx.major === 5 ? String(w.id) : w.id, name: w.name, url: w.url, headers: w.headers, events: w.events, isEnabled: w.enabled });

/** The webhook store's own check after the validator: every event must be one Strapi emits. */
function checkEvents(events: unknown[]): WebhookEvent[] {
  for (const e of events) if (!webhookEvents.includes(e as WebhookEvent)) throw new ValidationError(`Webhook event ${String(e)} is not supported`);
  return events as WebhookEvent[];
}

function definition(body: Record<string, unknown>, current?: Webhook) {
  return {
    name: body.name as string,
    url: body.url as string,
    headers: body.headers as Record<string, string>,
    events: checkEvents(body.events as unknown[]),
    enabled: typeof body.isEnabled === 'boolean' ? body.isEnabled : (current?.enabled ?? true),
  };
}

function orInvalid<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof WebhookError) throw new ValidationError(error.message);
    throw error;
  }
}

export const list: Handler = async (ctx) => {
  await requireAdmin(ctx);
  return json({ data: hub(ctx).list().map((w) => format(ctx, w)) });
};

export const get: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const webhook = hub(ctx).get(idOf(ctx.params.id));
  if (!webhook) throw new NotFoundError('webhook.notFound');
  return json({ data: format(ctx, webhook) });
};

export const create: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const body = validate(webhookCreation, ctx.body, ctx.major);
  const webhook = orInvalid(() => hub(ctx).add(definition(body), { noEvents: true }));
  return json({ data: format(ctx, webhook) }, 201);
};

export const update: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const body = validate(webhookUpdate, ctx.body, ctx.major);
  const h = hub(ctx);
  const current = h.get(idOf(ctx.params.id));
  if (!current) throw new NotFoundError('webhook.notFound');
  const webhook = orInvalid(() => h.update(current.id, definition(bodyObject(body), current)));
  return json({ data: format(ctx, webhook!) });
};

export const destroy: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const h = hub(ctx);
  const current = h.get(idOf(ctx.params.id));
  if (!current) throw new NotFoundError('webhook.notFound');
  h.remove(current.id);
  return json({ data: format(ctx, current) });
};
