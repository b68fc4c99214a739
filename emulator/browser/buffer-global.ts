// Injected first into the browser build: the Buffer the emulator's code uses (the `buffer`
// package, with the 'base64url' encoding Node has and it lacks) and a `process` with what the
// code reads of it.
import { Buffer } from 'buffer';

const toString = Buffer.prototype.toString;
Buffer.prototype.toString = function (this: Buffer, encoding?: string, start?: number, end?: number) {
  if (encoding !== 'base64url') return toString.call(this, encoding as BufferEncoding, start, end);
  return toString.call(this, 'base64', start, end).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
} as typeof toString;
const from = Buffer.from.bind(Buffer) as (...args: unknown[]) => Buffer;
Buffer.from = function (value: unknown, encoding?: unknown, ...rest: unknown[]) {
  if (encoding === 'base64url' && typeof value === 'string') return from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return from(value, encoding, ...rest);
} as typeof Buffer.from;

const g = globalThis as unknown as { Buffer?: typeof Buffer; process?: unknown };
g.Buffer ??= Buffer;
g.process ??= { env: {}, argv: [], versions: {}, platform: 'browser', cwd: () => '/', nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)), emitWarning: () => undefined };
export {};
