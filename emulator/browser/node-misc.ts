// The rest of Node's built-ins the emulator's modules import, for the browser build: what a
// browser has an answer for (STATUS_CODES, isIP, URLs, zlib through pako), and for the rest
// (servers, sockets, child processes, the project's code loader) a function that says it is
// not in the browser when called. Importing them is harmless; only calling them fails.
import pako from 'pako';
import { Buffer } from 'buffer';

const unsupported = (name: string) => () => {
  throw Object.assign(new Error(`${name} is not available in the browser build of strapi-emulator`), { code: 'ERR_BROWSER' });
};

// node:http
export const STATUS_CODES: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long',
  415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a Teapot", 422: 'Unprocessable Entity', 423: 'Locked',
  425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
};
export const createServer = unsupported('http.createServer');
export const request = unsupported('http.request');

// node:net
export function isIP(input: string): 0 | 4 | 6 {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(input)) return 4;
  return input.includes(':') && /^[0-9a-f:.]+$/i.test(input) ? 6 : 0;
}

// node:url
export const fileURLToPath = (url: string | URL) => decodeURIComponent(new URL(String(url)).pathname);
export const pathToFileURL = (path: string) => new URL(`file://${encodeURI(path)}`);

// node:os
export const tmpdir = () => '/tmp';
export const hostname = () => 'browser';
export const networkInterfaces = () => ({});

// node:module: nothing to require (sharp is optional: the upload plugin keeps the bytes without it).
export const createRequire = () => (name: string) => {
  throw Object.assign(new Error(`Cannot find module '${name}' (the browser build of strapi-emulator loads no Node module)`), { code: 'MODULE_NOT_FOUND' });
};

// node:zlib (PNG and the image formats)
export const inflateSync = (data: Uint8Array) => Buffer.from(pako.inflate(data));
export const deflateSync = (data: Uint8Array) => Buffer.from(pako.deflate(data));
const crcTable = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
export function crc32(data: Uint8Array, value = 0): number {
  let crc = value ^ -1;
  for (let i = 0; i < data.length; i++) crc = (crc >>> 8) ^ crcTable[(crc ^ data[i]) & 0xff];
  return (crc ^ -1) >>> 0;
}

// node:util
export const parseEnv = unsupported('util.parseEnv');
export const parseArgs = unsupported('util.parseArgs');
export function inherits(ctor: { prototype: object; super_?: unknown }, superCtor: { prototype: object }) {
  ctor.super_ = superCtor;
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}
export const inspect = (value: unknown) => String(value);
export const promisify = unsupported('util.promisify');

// node:stream, node:events, node:string_decoder (the multipart parser's: uploads are not served in the browser build)
export class EventEmitter {}
export class Writable extends EventEmitter {}
export class Readable extends EventEmitter {}
export class PassThrough extends EventEmitter {}
export class StringDecoder {}
export const once = unsupported('events.once');

// node:child_process, esbuild (the project loader)
export const spawn = unsupported('child_process.spawn');
export const spawnSync = unsupported('child_process.spawnSync');
export const transformSync = unsupported('esbuild (a Strapi project\'s code)');

export default { STATUS_CODES, createServer, request, isIP, fileURLToPath, pathToFileURL, tmpdir, hostname, networkInterfaces, createRequire, inflateSync, deflateSync, crc32, parseEnv, inherits, inspect, EventEmitter, Writable, Readable, StringDecoder, spawn, transformSync };
