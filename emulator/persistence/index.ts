// Opt-in persistence (`--data FILE`): the emulator's world survives restarts and crashes.
// At attach the file is loaded (or, when there is none, the current state is written); then
// every request that may have changed the world is answered only once a state file holding
// its change is durable. One write at a time; requests finishing while a write runs share
// the next one (group commit), so a burst of N writes costs about two fsyncs, not N.
//
// Which requests write: every method but GET/HEAD/OPTIONS (the /_emulator/* control writes
// included), plus GET /api/auth/email-confirmation, the one GET that changes users. Logins
// and failed requests write too: the rate limiter's windows are part of the snapshot, and a
// restart must not hand a client a fresh window of 10 attempts. A write whose serialized
// state equals the last one written (a 405, a validation error that counted nothing) skips
// the disk.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Emulator, StoreSnapshot } from '../index.js';
import { lockStateFile } from './lock.js';
import { type StateFile, StateFileError, readStateFile, removeStaleTemps, stateFormat, stateVersion, writeAtomically } from './state-file.js';
import { errorReply, strapiHeaders, toResponse } from '../http/app.js';
import { InternalServerError } from '../http/errors.js';

export { StateFileError } from './state-file.js';

export type Persistence = {
  /** Resolves once the current state is on disk (for changes made in-process, not over HTTP). */
  flush(): Promise<void>;
  /** Flushes, then stops writing (the hook and the control wrappers are removed). */
  close(): Promise<void>;
};

/** GETs that change the world (everything else read-only by method). */
const writingGets = new Set(['authEmailConfirmation']);
const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The jwtSecret a state file was written with (server.ts reuses it when none is given, so tokens outlive restarts). */
export async function persistedJwtSecret(file: string): Promise<string | undefined> {
  const state = await readStateFile(resolve(file));
  return state && !('bare' in state) ? state.jwtSecret : undefined;
}

export async function attachPersistence(emulator: Emulator, opts: { file: string }): Promise<Persistence> {
  const file = resolve(opts.file);
  const { store } = emulator;
  await emulator.ready;
  // Before anything else: the temp files removed next could be a live writer's.
  const unlock = lockStateFile(file);
  try {
    await removeStaleTemps(file);
    const loaded = await readStateFile(file);
    if (loaded) await load(emulator, file, loaded);
  } catch (error) {
    unlock();
    throw error;
  }

  let lastDigest: string | undefined;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let closed = false;

  /** One write of the state as it is now (skipped when the world is what the file holds). */
  const writeNow = async (): Promise<void> => {
    const world = JSON.stringify({ jwtSecret: emulator.config.jwtSecret, clockOffset: store.clock.offset, snapshot: store.snapshot() });
    const digest = createHash('sha256').update(world).digest('base64');
    if (digest === lastDigest) return;
    const header: Omit<StateFile, 'jwtSecret' | 'clockOffset' | 'snapshot'> = { format: stateFormat, version: stateVersion, strapi: emulator.major, savedAt: new Date().toISOString() };
    // The two objects joined without parsing `world` again: {...header, jwtSecret, clockOffset, snapshot}.
    await writeAtomically(file, `${JSON.stringify(header).slice(0, -1)},${world.slice(1)}`);
    lastDigest = digest;
  };

  /** Resolves once a write that started after this call is durable. */
  const save = (): Promise<void> => {
    if (queued) return queued;
    if (!running) {
      running = writeNow().finally(() => (running = undefined));
      return running;
    }
    // The running write took its snapshot before this change: the next one covers it (and every later caller until it starts).
    queued = running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        running = writeNow().finally(() => (running = undefined));
        return running;
      });
    return queued;
  };

  try {
    await save();
  } catch (error) {
    unlock();
    throw error;
  }

  const removeHook = emulator.use({
    name: 'persistence',
    async after(exchange) {
      if (closed) return;
      if (readMethods.has(exchange.method) && !writingGets.has(exchange.operationId ?? '')) return;
      try {
        await save();
      } catch (error) {
        // Not durable, so not acknowledged: the request fails as Strapi does when its database
        // write fails (500, its envelope), and the next write retries.
        console.error(`[strapi-emulator] persistence: ${(error as Error).message}`);
        return toResponse(exchange.request, errorReply(new InternalServerError()), strapiHeaders(exchange.request, exchange.url.pathname));
      }
    },
  });

  const unwrap = wrapControl(emulator, () => (closed ? Promise.resolve() : save()));

  return {
    flush: save,
    async close() {
      if (closed) return;
      try {
        await save();
      } finally {
        closed = true;
        removeHook();
        unwrap();
        unlock();
      }
    },
  };
}

async function load(emulator: Emulator, file: string, state: StateFile | { bare: StoreSnapshot }): Promise<void> {
  const snapshot = 'bare' in state ? state.bare : state.snapshot;
  if (!('bare' in state)) {
    if (state.strapi !== emulator.major) throw new StateFileError(file, `holds a Strapi ${state.strapi} world and this emulator is Strapi ${emulator.major} (start it with --strapi ${state.strapi}, or use another file)`);
  }
  const before = emulator.store.snapshot();
  try {
    await emulator.store.restore(snapshot);
  } catch (error) {
    await emulator.store.restore(before);
    throw new StateFileError(file, `cannot be restored: ${(error as Error).message}`);
  }
  if (!('bare' in state)) {
    emulator.store.clock.resetOffset();
    emulator.store.clock.advance(state.clockOffset);
  }
}

/**
 * In-process control calls change the world without a request: wrap them so they write too
 * (the async ones resolve once durable; the synchronous ones start a write, flush() awaits it).
 * Returns the function that puts the originals back.
 */
function wrapControl(emulator: Emulator, save: () => Promise<void>): () => void {
  const control = emulator.control;
  const originals = { reset: control.reset, restore: control.restore };
  control.reset = async (opts) => {
    await originals.reset(opts);
    await save();
  };
  control.restore = async (snapshot) => {
    await originals.restore(snapshot);
    await save();
  };
  const background = () =>
    void save().catch((error: Error) => console.error(`[strapi-emulator] persistence: ${error.message}`));
  const sync = [
    [control, ['advanceClock', 'setClock', 'clearOutbox', 'clearRateLimit']],
    [control.webhooks, ['add', 'remove', 'clear']],
  ] as const;
  const undo: Array<() => void> = [
    () => {
      control.reset = originals.reset;
      control.restore = originals.restore;
    },
  ];
  for (const [target, names] of sync) {
    for (const name of names) {
      const original = (target as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
      (target as Record<string, unknown>)[name] = (...args: unknown[]) => {
        const result = original(...args);
        background();
        return result;
      };
      undo.push(() => ((target as Record<string, unknown>)[name] = original));
    }
  }
  return () => {
    for (const u of undo) u();
  };
}
