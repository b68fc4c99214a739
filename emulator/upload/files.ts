// Making file records the way the upload plugin does (formatFileInfo + the local provider):
// name, hash `<slug of the name>_<10 hex>`, ext, mime, size in KB with 2 decimals, url
// `/uploads/<hash><ext>`; for images width/height from the header and the responsive formats
// (thumbnail fitting 245×156 when larger, then small 500 / medium 750 / large 1000 when a
// side is larger than the breakpoint). Images are re-encoded and resized with sharp as Strapi
// does (sharp.ts); without sharp the bytes given are kept and each format serves them.
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import type { Major } from '../config.js';
import { ApplicationError } from '../http/errors.js';
import { fitInside, probeImage, resizable } from './image.js';
import { optimize, resize } from './sharp.js';
import type { FileFormat } from './store.js';

const mimeByExt: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.jpe': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.svg': 'image/svg+xml',
  '.tif': 'image/tiff', '.tiff': 'image/tiff', '.avif': 'image/avif', '.ico': 'image/vnd.microsoft.icon', '.bmp': 'image/bmp', '.heic': 'image/heic',
  '.txt': 'text/plain', '.text': 'text/plain', '.csv': 'text/csv', '.html': 'text/html', '.htm': 'text/html', '.css': 'text/css', '.md': 'text/markdown', '.xml': 'application/xml',
  '.json': 'application/json', '.js': 'application/javascript', '.mjs': 'application/javascript', '.pdf': 'application/pdf', '.zip': 'application/zip', '.gz': 'application/gzip',
  '.doc': 'application/msword', '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '.ppt': 'application/vnd.ms-powerpoint', '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.ogg': 'audio/ogg', '.mp4': 'video/mp4', '.webm': 'video/webm', '.mov': 'video/quicktime', '.avi': 'video/x-msvideo',
};

export const mimeOf = (name: string): string | undefined => mimeByExt[extname(name).toLowerCase()];
const extOf = (mime: string): string | undefined => Object.entries(mimeByExt).find(([, m]) => m === mime)?.[0];

/** mime-types contentType(): text types (and JSON/JS) get `; charset=utf-8`. */
export function contentTypeOf(path: string): string {
  const mime = mimeOf(path) ?? 'application/octet-stream';
  return /^text\/|^application\/(json|javascript)$/.test(mime) ? `${mime}; charset=utf-8` : mime;
}

/** Strapi's bytesToKbytes. */
export const kilobytes = (bytes: number) => Math.round((bytes / 1000) * 100) / 100;

/** @sindresorhus/slugify(name, {separator: '_', lowercase: false}), as nameToSlug calls it. */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .replace(/([a-z\d]+)([A-Z]{2,})/g, '$1 $2')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** valid-filename, as the upload plugin checks names. */
export function isValidFilename(name: string): boolean {
  if (!name || name.length > 255) return false;
  if (/[<>:"/\\|?*\u0000-\u001F]/.test(name) || /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(name)) return false;
  return name !== '.' && name !== '..';
}

export type Incoming = { filename: string; declaredType: string; data: Buffer };
export type FileInfo = { name?: string | null; alternativeText?: string | null; caption?: string | null; focalPoint?: { x: number; y: number } | null };

export type Prepared = {
  name: string;
  hash: string;
  ext: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  formats: Record<string, FileFormat> | null;
  /** URL path → bytes, for the file and its formats. */
  blobs: Array<{ path: string; mime: string; data: Buffer }>;
  alternativeText: string | null | undefined;
  caption: string | null | undefined;
  focalPoint: { x: number; y: number } | null | undefined;
};

const breakpoints: Array<[string, number]> = [
  ['large', 1000],
  ['medium', 750],
  ['small', 500],
];

/** The order real Strapi's formats object lists its keys in (uploads finish smallest first on v5). */
const formatOrder = (major: Major) => (major === 5 ? ['thumbnail', 'small', 'medium', 'large'] : ['thumbnail', 'large', 'medium', 'small']);

/**
 * One uploaded file → what the plugin stores. The mime type comes from the content when it
 * is a recognized image (v5 detects it; v4 trusts the declared type), else the declared type,
 * else the extension. An image that does not decode → 400 "File is not a valid image".
 */
export async function prepareFile(major: Major, incoming: Incoming, fileInfo: FileInfo, keep?: { hash: string; ext: string | null }): Promise<Prepared> {
  const filename = incoming.filename || 'unamed';
  if (!isValidFilename(filename)) throw new ApplicationError('File name contains invalid characters');
  const image = probeImage(incoming.data);
  const declared = incoming.declaredType && incoming.declaredType !== 'application/octet-stream' ? incoming.declaredType : undefined;
  let mime: string;
  if (major === 5) mime = image?.mime && (!declared || declared === image.mime || mimeOf(filename) === image.mime || !mimeOf(filename)) ? image.mime : (mimeOf(filename) ?? declared ?? image?.mime ?? 'application/octet-stream');
  else mime = incoming.declaredType || mimeOf(filename) || 'application/octet-stream';
  let ext = extname(filename);
  if (!ext) ext = `.${(extOf(mime) ?? '.bin').slice(1)}`;
  const name = (fileInfo.name || filename).normalize();
  if (!isValidFilename(name)) throw new ApplicationError('File name contains invalid characters');
  const base = name.endsWith(ext) ? name.slice(0, -ext.length) : name;
  const hash = keep?.hash ?? `${slug(base)}_${randomBytes(5).toString('hex')}`;
  const finalExt = keep?.ext ?? ext;
  if (image && !image.valid) throw new ApplicationError('File is not a valid image');
  const url = `/uploads/${hash}${finalExt}`;
  // The stored original is the optimized one, and the formats are made from it.
  const optimized = image?.valid ? await optimize(incoming.data, image.format) : undefined;
  const data = optimized?.data ?? incoming.data;
  const width = optimized?.width ?? image?.width ?? null;
  const height = optimized?.height ?? image?.height ?? null;
  const blobs = [{ path: url, mime, data }];
  let formats: Record<string, FileFormat> | null = keep ? {} : null;
  if (image && resizable.includes(image.format) && width && height) {
    const made: Record<string, FileFormat> = {};
    const add = async (key: string, box: { width: number; height: number }) => {
      const formatUrl = `/uploads/${key}_${hash}${finalExt}`;
      const out = (await resize(data, box.width, box.height)) ?? { data, ...fitInside(width, height, box.width, box.height) };
      made[key] = { name: `${key}_${name}`, hash: `${key}_${hash}`, ext: finalExt, mime, path: null, width: out.width, height: out.height, size: kilobytes(out.data.length), sizeInBytes: out.data.length, url: formatUrl };
      blobs.push({ path: formatUrl, mime, data: out.data });
    };
    if (width > 245 || height > 156) await add('thumbnail', { width: 245, height: 156 });
    for (const [key, bp] of breakpoints) if (bp < width || bp < height) await add(key, { width: bp, height: bp });
    const ordered = Object.fromEntries(formatOrder(major).filter((k) => made[k]).map((k) => [k, made[k]]));
    if (Object.keys(ordered).length) formats = ordered;
  }
  return {
    name,
    hash,
    ext: finalExt,
    mime,
    size: kilobytes(data.length),
    width,
    height,
    formats,
    blobs,
    alternativeText: fileInfo.alternativeText,
    caption: fileInfo.caption,
    focalPoint: fileInfo.focalPoint,
  };
}
