// /_emulator/webhooks: the configured webhooks and their recent deliveries over HTTP
// (spec/parts/control.ts).
import { type Handler, json } from '../http/context.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { WebhookError, type Webhooks, webhooksOf } from './hub.js';

function hub(store: Parameters<typeof webhooksOf>[0]): Webhooks {
  const h = webhooksOf(store);
  if (!h) throw new Error('this emulator has no webhooks state (createEmulator installs it)');
  return h;
}

export const list: Handler = (ctx) => json({ webhooks: hub(ctx.store).list() });

export const add: Handler = (ctx) => {
  try {
    return json(hub(ctx.store).add(ctx.body as never), 201);
  } catch (error) {
    if (error instanceof WebhookError) throw new ValidationError(error.message);
    throw error;
  }
};

export const clear: Handler = (ctx) => {
  hub(ctx.store).clear();
  return json({ ok: true });
};

export const remove: Handler = (ctx) => {
  const id = /^\d+$/.test(ctx.params.id) ? Number(ctx.params.id) : NaN;
  if (!hub(ctx.store).remove(id)) throw new NotFoundError(`No webhook with id ${ctx.params.id}`);
  return json({ ok: true });
};

/** `?wait=true`: answer once every queued delivery is done. */
export const deliveries: Handler = async (ctx) => {
  const h = hub(ctx.store);
  const wait = ctx.query.wait;
  if (wait !== undefined && wait !== 'true' && wait !== 'false') throw new ValidationError('wait must be true or false');
  if (wait === 'true') await h.settled();
  return json({ deliveries: h.deliveries(), pending: h.pending });
};

export const deliveriesClear: Handler = (ctx) => {
  hub(ctx.store).clearDeliveries();
  return json({ ok: true });
};
