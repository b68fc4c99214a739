// node:crypto in the browser build: what the emulator uses of it. Random numbers come from Web
// Crypto; hashes, HMACs and AES-256-GCM from @noble (audited, synchronous — Web Crypto's digest,
// sign and encrypt are asynchronous only, and the emulator's callers are not: the control token's
// digest, API token hashing and encryption, signed cookies, the consent page's MAC).
import { gcm } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer';

export function randomBytes(size: number): Buffer {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  return Buffer.from(bytes);
}

export const randomUUID = () => crypto.randomUUID();
export const getRandomValues = <T extends ArrayBufferView>(array: T) => crypto.getRandomValues(array as never) as T;

/** An integer in [min, max), as node's, without modulo bias. */
export function randomInt(min: number, max?: number): number {
  if (max === undefined) [min, max] = [0, min];
  const range = max - min;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || range <= 0 || range > 2 ** 32) throw new RangeError(`randomInt: bad range [${min}, ${max})`);
  const limit = 2 ** 32 - (2 ** 32 % range);
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word);
  while (word[0] >= limit);
  return min + (word[0] % range);
}

const hashes = { sha1, sha256, sha384, sha512 };
type Encoding = 'hex' | 'base64' | 'base64url';
type Input = string | Uint8Array;
const bytesOf = (data: Input, encoding?: BufferEncoding) => (typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : data);

function hashOf(algorithm: string) {
  const hash = hashes[algorithm.toLowerCase().replace('-', '') as keyof typeof hashes];
  if (!hash) throw new Error(`'${algorithm}' is not available in the browser build of strapi-emulator (${Object.keys(hashes).join(', ')} are)`);
  return hash;
}

type Digester = { update(data: Input, encoding?: BufferEncoding): Digester; digest(): Buffer; digest(encoding: Encoding): string };

/** update()/digest() over chunks, as node's Hash and Hmac objects. */
function digester(finish: (data: Uint8Array) => Uint8Array): Digester {
  const chunks: Uint8Array[] = [];
  const self = {
    update(data: Input, encoding?: BufferEncoding) {
      chunks.push(bytesOf(data, encoding));
      return self;
    },
    digest(encoding?: Encoding) {
      const digest = Buffer.from(finish(Buffer.concat(chunks)));
      return encoding ? digest.toString(encoding) : digest;
    },
  };
  return self as Digester;
}

export function createHash(algorithm: string) {
  const hash = hashOf(algorithm);
  return digester((data) => hash(data));
}

export function createHmac(algorithm: string, key: Input) {
  const hash = hashOf(algorithm);
  const secret = bytesOf(key);
  return digester((data) => hmac(hash, secret, data));
}

function checkGcm(algorithm: string, key: Uint8Array) {
  if (algorithm !== 'aes-256-gcm' || key.length !== 32) throw new Error(`${algorithm} is not available in the browser build of strapi-emulator (aes-256-gcm with a 32-byte key is)`);
}

// GCM at once on final(): the emulator's values are a few dozen bytes, given in one update().
export function createCipheriv(algorithm: string, key: Uint8Array, iv: Uint8Array) {
  checkGcm(algorithm, key);
  const chunks: Uint8Array[] = [];
  let tag: Buffer | undefined;
  return {
    update(data: Input, encoding?: BufferEncoding) {
      chunks.push(bytesOf(data, encoding));
      return Buffer.alloc(0);
    },
    final() {
      const sealed = gcm(key, iv).encrypt(Buffer.concat(chunks));
      tag = Buffer.from(sealed.subarray(sealed.length - 16));
      return Buffer.from(sealed.subarray(0, sealed.length - 16));
    },
    getAuthTag() {
      if (!tag) throw new Error('getAuthTag() before final()');
      return tag;
    },
  };
}

export function createDecipheriv(algorithm: string, key: Uint8Array, iv: Uint8Array) {
  checkGcm(algorithm, key);
  const chunks: Uint8Array[] = [];
  let tag: Uint8Array | undefined;
  return {
    setAuthTag(value: Uint8Array) {
      tag = value;
    },
    update(data: Uint8Array) {
      chunks.push(data);
      return Buffer.alloc(0);
    },
    // Throws on a wrong key or a damaged value, as node's final() does.
    final() {
      if (!tag) throw new Error('Unsupported state or unable to authenticate data');
      return Buffer.from(gcm(key, iv).decrypt(Buffer.concat([...chunks, tag])));
    },
  };
}

// Only asymmetric JWT algorithms (RS/PS/ES with a PEM jwtSecret) reach this: jose's own key import
// covers signing in the browser, but checking a PEM the way node does is not worth a parser here.
export function createPublicKey(_key: unknown): never {
  throw new Error('asymmetric JWT algorithms (RS*, PS*, ES*) are not available in the browser build of strapi-emulator: use HS256, HS384 or HS512');
}

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) throw new RangeError('Input buffers must have the same byte length');
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export default { randomBytes, randomUUID, randomInt, getRandomValues, createHash, createHmac, createCipheriv, createDecipheriv, createPublicKey, timingSafeEqual };
