// The control API of a list the emulator keeps (webhooks, faults): list, add, clear, remove by
// id. Each list validates what it is given and throws its own error class, answered here as
// Strapi's 400 ValidationError.
import type { Store } from '../store/store.js';
import { type Handler, json } from '../http/context.js';
import { NotFoundError, ValidationError } from '../http/errors.js';

export type Registry = { list(): unknown[]; add(input: never): unknown; clear(): void; remove(id: number): boolean };

export function registryHandlers(opts: { key: string; noun: string; of: (store: Store) => Registry | undefined; invalid: new (...args: never[]) => Error }) {
  const get = (store: Store): Registry => {
    const registry = opts.of(store);
    if (!registry) throw new Error(`this emulator has no ${opts.noun}s (createEmulator installs them)`);
    return registry;
  };
  const list: Handler = (ctx) => json({ [opts.key]: get(ctx.store).list() });
  const add: Handler = (ctx) => {
    try {
      return json(get(ctx.store).add(ctx.body as never), 201);
    } catch (error) {
      if (error instanceof opts.invalid) throw new ValidationError(error.message);
      throw error;
    }
  };
  const clear: Handler = (ctx) => {
    get(ctx.store).clear();
    return json({ ok: true });
  };
  const remove: Handler = (ctx) => {
    const id = /^\d+$/.test(ctx.params.id) ? Number(ctx.params.id) : NaN;
    if (!get(ctx.store).remove(id)) throw new NotFoundError(`No ${opts.noun} with id ${ctx.params.id}`);
    return json({ ok: true });
  };
  return { list, add, clear, remove, get };
}
