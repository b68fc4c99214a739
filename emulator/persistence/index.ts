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
//
// A write that fails is not acknowledged and not kept: the gate (gate.ts) keeps readers out
// while a change is not durable, every writer sharing the failed write (or queued behind it)
// answers a marked 500, and when the last of them is done the world goes back to what the
// file holds — before any reader gets in. Webhook deliveries wait for their write (sent when
// it is durable, dropped on rollback); emails are in the snapshot's outbox and go with it.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Emulator, StoreSnapshot } from '../index.js';
import { Gate, type Kind } from './gate.js';
import { SnapshotError } from '../store/snapshot-schema.js';
import { lockStateFile, realStatePath, refuseHardLinks } from './lock.js';
import { webhooksOf } from '../webhooks/hub.js';
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

export type PersistenceOptions = {
  file: string;
  /** Writes the state file (default: atomically and durably); a seam for fault tests. */
  write?: (file: string, text: string) => Promise<void>;
};

/** Control routes that neither read nor write the world (faults and the delivery log are not in the state file). */
const ungated = new Set(['emulatorOpenApi', 'emulatorWebhookDeliveries', 'emulatorWebhookDeliveriesClear', 'emulatorFaults', 'emulatorFaultAdd', 'emulatorFaultsClear', 'emulatorFaultRemove']);

/** What a failed write tells the client (X-Strapi-Emulator-Persistence) and the log. */
export function persistenceFailure(error: unknown): string {
  const code = (error as StateFileError).code;
  const why =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? "the disk holding the state file is full"
      : code === 'EROFS'
        ? "the state file's file system is read-only"
        : code === 'EACCES' || code === 'EPERM'
          ? 'the state file may not be written (permissions)'
          : 'the state file cannot be written';
  return `${code ?? 'EIO'}: ${why}; the change was rolled back, nothing was changed`;
}

export async function attachPersistence(emulator: Emulator, opts: PersistenceOptions): Promise<Persistence> {
  // One identity per file, whatever name it was given (see realStatePath).
  const file = realStatePath(opts.file);
  refuseHardLinks(file);
  const write = opts.write ?? writeAtomically;
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

  // Webhook deliveries wait until the change that caused them is durable (dropped on rollback).
  const hub = webhooksOf(store);
  hub?.hold();
  let lastDigest: string | undefined;
  /** The world as the file holds it: what a failed write rolls back to. */
  let durable: { snapshot: StoreSnapshot; clockOffset: number } | undefined;
  /** Set by a failed write until the rollback: every write until then fails too. */
  let failure: Error | undefined;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let closed = false;

  /** One write of the state as it is now (skipped when the world is what the file holds). */
  const writeNow = async (): Promise<void> => {
    if (failure) throw failure;
    const snapshot = store.snapshot();
    const clockOffset = store.clock.offset;
    const mark = hub?.mark;
    const world = JSON.stringify({ jwtSecret: emulator.config.jwtSecret, clockOffset, snapshot });
    const digest = createHash('sha256').update(world).digest('base64');
    if (digest !== lastDigest) {
      const header: Omit<StateFile, 'jwtSecret' | 'clockOffset' | 'snapshot'> = { format: stateFormat, version: stateVersion, strapi: emulator.major, savedAt: new Date().toISOString() };
      try {
        // The two objects joined without parsing `world` again: {...header, jwtSecret, clockOffset, snapshot}.
        await write(file, `${JSON.stringify(header).slice(0, -1)},${world.slice(1)}`);
      } catch (error) {
        failure = error as Error;
        lastDigest = undefined;
        // The writers already in make no difference (they are rolled back with it); new ones wait for the rollback.
        gate.seal();
        console.error(`[strapi-emulator] persistence: ${(error as Error).message} — ${persistenceFailure(error)}`);
        throw error;
      }
      lastDigest = digest;
    }
    durable = { snapshot, clockOffset };
    hub?.release(mark);
  };

  /** Back to what the file holds, once every writer of the failed phase is done (no reader is in meanwhile). */
  const rollback = async (): Promise<void> => {
    const error = failure as StateFileError;
    if (durable) {
      const { snapshot, clockOffset } = durable;
      try {
        await (hub ? hub.keepingDeliveries(() => store.restore(snapshot, { trusted: true })) : store.restore(snapshot, { trusted: true }));
        store.clock.resetOffset();
        store.clock.advance(clockOffset);
      } catch (thrown) {
        console.error(`[strapi-emulator] persistence: the rollback failed (${(thrown as Error).message}); restart the emulator: the file holds every acknowledged change`);
      }
    }
    hub?.drop();
    failure = undefined;
    console.error(`[strapi-emulator] persistence: rolled back to the state file's last durable state (${persistenceFailure(error)})`);
    // A failure after the rename left the refused state in the file: put the durable one back.
    if (error instanceof StateFileError && error.renamed) await writeNow().catch(() => (failure = undefined));
  };

  const gate = new Gate(() => (failure ? rollback() : undefined));

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

  /** A change made in-process: as a writer in the gate, durable (or rolled back) when it resolves. */
  const commit = async (change?: () => Promise<void>): Promise<void> => {
    await gate.enter('write');
    try {
      await change?.();
      await save();
    } finally {
      await gate.leave();
    }
  };

  try {
    await save();
  } catch (error) {
    hub?.release();
    unlock();
    throw error;
  }

  const tickets = new WeakMap<Request, Kind>();
  // First: the answer it replaces after a failed write is the one the request log and the faults see.
  const removeHook = emulator.use(
    {
      name: 'persistence',
      admit(request, method, operation) {
        if (closed || (operation && ungated.has(operation.operationId))) return;
        const writes = !readMethods.has(method) || writingGets.has(operation?.operationId ?? '') || operation?.['x-strapi-rate-limit'] === true;
        // An unrouted write is a 405/501: it touches nothing.
        if (writes && !operation) return;
        const kind: Kind = writes ? 'write' : 'read';
        tickets.set(request, kind);
        return gate.enter(kind);
      },
      async after(exchange) {
        const kind = tickets.get(exchange.request);
        if (!kind) return;
        tickets.delete(exchange.request);
        if (kind === 'read') return void gate.leave();
        let failed: unknown;
        try {
          if (!closed) await save();
        } catch (error) {
          failed = error;
        } finally {
          await gate.leave();
        }
        // Not durable, so not acknowledged and rolled back: the request fails as Strapi does when
        // its database write fails (500, its envelope), marked so nobody takes it for Strapi's.
        if (failed) return toResponse(exchange.request, errorReply(new InternalServerError()), { ...strapiHeaders(exchange.request), 'X-Strapi-Emulator-Persistence': persistenceFailure(failed) });
      },
    },
    { first: true },
  );

  const unwrap = wrapControl(emulator, (change) => (closed ? (change?.() ?? Promise.resolve()) : commit(change)));

  return {
    flush: () => (closed ? Promise.resolve() : commit()),
    async close() {
      if (closed) return;
      try {
        await commit();
      } finally {
        closed = true;
        removeHook();
        unwrap();
        hub?.release();
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
    await emulator.store.restore(before, { trusted: true });
    const why = error instanceof SnapshotError ? SnapshotError.describe(error.issues, 'bare' in state ? [] : ['snapshot']) : (error as Error).message;
    throw new StateFileError(file, `cannot be restored: ${why}`);
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
function wrapControl(emulator: Emulator, commit: (change?: () => Promise<void>) => Promise<void>): () => void {
  const control = emulator.control;
  const originals = { reset: control.reset, restore: control.restore };
  control.reset = (opts) => commit(() => originals.reset(opts));
  control.restore = (snapshot) => commit(() => originals.restore(snapshot));
  const background = () =>
    void commit().catch((error: Error) => console.error(`[strapi-emulator] persistence: ${error.message}`));
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
