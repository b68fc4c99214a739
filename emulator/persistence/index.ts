// Opt-in persistence (`--data FILE`): the emulator's world survives restarts and crashes.
// At attach the file is loaded (or, when there is none, the current state is written); then
// every request that may have changed the world is answered only once its change is durable.
//
// What is on disk (durable.ts): FILE, a snapshot of the world, and FILE.journal.<n>, an
// append-only journal of the changes since (journal.ts). A write appends what it changed —
// the rows, bytes and settings it wrote, taken from the store's change sets (sections.ts) —
// and fdatasyncs it: it costs the change, not the world. One append at a time; requests
// finishing while one runs share the next (group commit), so a burst of N writes costs about
// two fsyncs, not N. Once the journal outgrows the snapshot (and a floor), compaction
// rewrites the snapshot in the background without stalling requests (durable.ts).
//
// Which requests write: every method but GET/HEAD/OPTIONS (the /_emulator/* control writes
// included), plus GET /api/auth/email-confirmation, the one GET that changes users. Logins
// and failed requests write too: the rate limiter's windows are part of the snapshot, and a
// restart must not hand a client a fresh window of 10 attempts. A write that changed
// nothing (a 405, a validation error that counted nothing) skips the disk.
//
// A write that fails is not acknowledged and not kept: the gate (gate.ts) keeps readers out
// while a change is not durable, every writer sharing the failed write (or queued behind it)
// answers a marked 500, and when the last of them is done the world goes back to what the
// disk holds — read back through the files' open handles, so even a deleted folder does not
// stop it — before any reader gets in. Webhook deliveries wait for their write (sent when
// it is durable, dropped on rollback); emails are in the snapshot's outbox and go with it.
import { resolve } from 'node:path';
import type { Emulator } from '../index.js';
import { Gate, type Kind } from './gate.js';
import { lockStateFile, realStatePath, refuseHardLinks } from './lock.js';
import { webhooksOf } from '../webhooks/hub.js';
import { type StateFileError, readStateFile, removeStaleTemps } from './state-file.js';
import { errorReply, strapiHeaders, toResponse } from '../http/app.js';
import { InternalServerError } from '../http/errors.js';
import { type DiskOp, Durable } from './durable.js';

export { StateFileError } from './state-file.js';
export { readDurableState } from './durable.js';

export type Persistence = {
  /** Resolves once the current state is on disk (for changes made in-process, not over HTTP). */
  flush(): Promise<void>;
  /** Flushes, then stops writing (the hook and the control wrappers are removed). */
  close(): Promise<void>;
  /** Resolves once no compaction is running. */
  compacted(): Promise<void>;
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
  /** Runs every disk write (a journal append, a snapshot): call `write()` to do it, or throw instead; a seam for fault tests. */
  io?: (op: DiskOp, write: () => Promise<void>) => Promise<void>;
  /** The journal size (bytes) below which it is never compacted (default 8 MiB; above, once it outgrows the snapshot). */
  compactBytes?: number;
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
  const { store } = emulator;
  await emulator.ready;
  // Before anything else: the temp files removed next could be a live writer's.
  const unlock = lockStateFile(file);
  let disk: Durable;
  try {
    await removeStaleTemps(file);
    disk = await Durable.open(emulator, file, { io: opts.io, compactBytes: opts.compactBytes });
  } catch (error) {
    unlock();
    throw error;
  }

  // Webhook deliveries wait until the change that caused them is durable (dropped on rollback).
  const hub = webhooksOf(store);
  hub?.hold();
  /** Set by a failed write until the rollback: every write until then fails too. */
  let failure: Error | undefined;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let closed = false;

  /** One commit of what changed since the last one. */
  const writeNow = async (): Promise<void> => {
    if (failure) throw failure;
    const mark = hub?.mark;
    try {
      await disk.commit();
    } catch (error) {
      failure = error as Error;
      // The writers already in make no difference (they are rolled back with it); new ones wait for the rollback.
      gate.seal();
      console.error(`[strapi-emulator] persistence: ${(error as Error).message} — ${persistenceFailure(error)}`);
      throw error;
    }
    hub?.release(mark);
  };

  /** Back to what the disk holds, once every writer of the failed phase is done (no reader is in meanwhile). */
  const rollback = async (): Promise<void> => {
    const error = failure as StateFileError;
    try {
      await (hub ? hub.keepingDeliveries(() => disk.rollback(error)) : disk.rollback(error));
    } catch (thrown) {
      console.error(`[strapi-emulator] persistence: the rollback failed (${(thrown as Error).message}); restart the emulator: the file holds every acknowledged change`);
    }
    hub?.drop();
    failure = undefined;
    console.error(`[strapi-emulator] persistence: rolled back to the state file's last durable state (${persistenceFailure(error)})`);
  };

  const gate = new Gate(() => (failure ? rollback() : undefined));

  /** Resolves once a write that started after this call is durable. */
  const save = (): Promise<void> => {
    if (queued) return queued;
    if (!running) {
      running = writeNow().finally(() => (running = undefined));
      return running;
    }
    // The running write took its change before this one: the next one covers it (and every later caller until it starts).
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
        if (failed) return toResponse(exchange.request, errorReply(new InternalServerError()), { ...strapiHeaders(exchange.request, exchange.url.pathname), 'X-Strapi-Emulator-Persistence': persistenceFailure(failed) });
      },
    },
    { first: true },
  );

  const unwrap = wrapControl(emulator, (change) => (closed ? (change?.() ?? Promise.resolve()) : commit(change)));

  return {
    flush: () => (closed ? Promise.resolve() : commit()),
    compacted: () => disk.compacted(),
    async close() {
      if (closed) return;
      try {
        await commit();
      } finally {
        closed = true;
        removeHook();
        unwrap();
        hub?.release();
        await disk.close();
        unlock();
      }
    },
  };
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
