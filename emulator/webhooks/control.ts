// /_emulator/webhooks: the configured webhooks and their recent deliveries over HTTP
// (spec/parts/control.ts).
import { registryHandlers } from '../control/registry.js';
import { type Handler, json } from '../http/context.js';
import { ValidationError } from '../http/errors.js';
import { WebhookError, type Webhooks, webhooksOf } from './hub.js';

const registry = registryHandlers({ key: 'webhooks', noun: 'webhook', of: webhooksOf, invalid: WebhookError });
export const { list, add, clear, remove } = registry;
const hub = (store: Parameters<typeof webhooksOf>[0]) => registry.get(store) as Webhooks;

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
