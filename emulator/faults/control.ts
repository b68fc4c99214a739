// /_emulator/faults: list, add and remove faults over HTTP (spec/parts/control.ts).
import { type Handler, json } from '../http/context.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { FaultError, type Faults, faultsOf } from './faults.js';

function faults(store: object): Faults {
  const f = faultsOf(store);
  if (!f) throw new Error('this emulator has no fault injection (createEmulator attaches it)');
  return f;
}

export const list: Handler = (ctx) => json({ faults: faults(ctx.store).list() });

export const add: Handler = (ctx) => {
  try {
    return json(faults(ctx.store).add(ctx.body as never), 201);
  } catch (error) {
    if (error instanceof FaultError) throw new ValidationError(error.message);
    throw error;
  }
};

export const clear: Handler = (ctx) => {
  faults(ctx.store).clear();
  return json({ ok: true });
};

export const remove: Handler = (ctx) => {
  const id = /^\d+$/.test(ctx.params.id) ? Number(ctx.params.id) : NaN;
  if (!faults(ctx.store).remove(id)) throw new NotFoundError(`No fault with id ${ctx.params.id}`);
  return json({ ok: true });
};
