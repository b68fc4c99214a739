// The live instance's side: requests sent over HTTP(S) as they are (one keep-alive connection
// pool, so all of them come from one source address), answers read like the emulator's, and
// what a mirror needs to know about the instance is read by contracts/remote/instance.ts.
import { Agent, fetch as undiciFetch } from 'undici';
import type { WireRequest } from './mapping.js';
import { type Answer, readAnswer } from './replay.js';

/** The instance stopped answering (refused, reset, timed out): the run stops and says so. */
export class InstanceDown extends Error {}

export function instanceSender(baseUrl: string, opts: { timeoutMs?: number } = {}): { send: (req: WireRequest) => Promise<Answer>; close: () => Promise<void> } {
  const agent = new Agent({ connections: 4, headersTimeout: opts.timeoutMs ?? 60_000, bodyTimeout: opts.timeoutMs ?? 60_000 });
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async send(req) {
      let res: Awaited<ReturnType<typeof undiciFetch>>;
      try {
        const body = req.body === undefined || ['GET', 'HEAD'].includes(req.method) ? undefined : typeof req.body === 'string' ? req.body : Buffer.from(req.body);
        res = await undiciFetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body, redirect: 'manual', dispatcher: agent });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new InstanceDown(`${base} stopped answering (${req.method} ${req.path}: ${cause?.code ?? cause?.message ?? (error as Error).message})`);
      }
      return readAnswer(res as unknown as Response);
    },
    close: () => agent.close(),
  };
}

