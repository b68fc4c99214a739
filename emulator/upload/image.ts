// What the upload plugin learns from sharp, without sharp: whether the bytes are an image
// (by content, not by the declared type — sharp's metadata()), its width and height from the
// header (PNG, JPEG, GIF, WebP, TIFF, AVIF, SVG), and whether it decodes (sharp's stats():
// a corrupt or truncated image → "File is not a valid image"). PNG is fully checked (chunk
// CRCs, zlib stream, pixel data length); the other formats by their structure.
import { crc32, inflateSync } from 'node:zlib';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'avif' | 'svg';
export type ImageInfo = { format: ImageFormat; mime: string; width: number | null; height: number | null; valid: boolean };

const mimes: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', tiff: 'image/tiff', avif: 'image/avif', svg: 'image/svg+xml' };

/** The formats the upload plugin resizes into thumbnail/small/medium/large (FORMATS_TO_RESIZE). */
export const resizable: ImageFormat[] = ['jpeg', 'png', 'webp', 'tiff', 'gif'];

/** sharp's metadata() of these bytes, or undefined when they are not an image sharp reads. */
export function probeImage(data: Buffer): ImageInfo | undefined {
  const info = (format: ImageFormat, width: number | null, height: number | null, valid: boolean): ImageInfo => ({ format, mime: mimes[format], width, height, valid });
  if (data.length >= 24 && data.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))) {
    if (data.toString('ascii', 12, 16) !== 'IHDR') return undefined;
    return info('png', data.readUInt32BE(16), data.readUInt32BE(20), pngDecodes(data));
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) {
    const j = jpeg(data);
    return j ? info('jpeg', j.width, j.height, j.valid) : undefined;
  }
  if (data.length >= 10 && /^GIF8[79]a$/.test(data.toString('ascii', 0, 6))) {
    const w = data.readUInt16LE(6);
    const h = data.readUInt16LE(8);
    return info('gif', w, h, w > 0 && h > 0 && data.includes(0x2c, 13) && data[data.length - 1] === 0x3b);
  }
  if (data.length >= 30 && data.toString('ascii', 0, 4) === 'RIFF' && data.toString('ascii', 8, 12) === 'WEBP') {
    const w = webp(data);
    if (!w) return undefined;
    return info('webp', w.width, w.height, data.readUInt32LE(4) + 8 <= data.length);
  }
  if (data.length >= 8 && (data.toString('ascii', 0, 4) === 'II*\0' || data.toString('ascii', 0, 4) === 'MM\0*')) {
    const t = tiff(data);
    return t ? info('tiff', t.width, t.height, t.width > 0 && t.height > 0) : undefined;
  }
  if (data.length >= 16 && data.toString('ascii', 4, 8) === 'ftyp' && ['avif', 'avis'].includes(data.toString('ascii', 8, 12))) {
    const at = data.indexOf('ispe');
    if (at < 0 || at + 16 > data.length) return info('avif', null, null, false);
    return info('avif', data.readUInt32BE(at + 8), data.readUInt32BE(at + 12), true);
  }
  const head = data.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) {
    const tag = /<svg[^>]*>/i.exec(data.toString('utf8'))?.[0] ?? '';
    const dim = (name: string) => {
      const m = new RegExp(`\\s${name}\\s*=\\s*["']\\s*([0-9.]+)(px)?\\s*["']`, 'i').exec(tag);
      return m ? Math.round(Number(m[1])) : null;
    };
    let width = dim('width');
    let height = dim('height');
    const viewBox = /\sviewBox\s*=\s*["']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*["']/i.exec(tag);
    if (viewBox && (width === null || height === null)) {
      width ??= Math.round(Number(viewBox[1]));
      height ??= Math.round(Number(viewBox[2]));
    }
    return info('svg', width, height, /<\/svg\s*>\s*$/i.test(data.toString('utf8').trimEnd()) || /\/>\s*$/.test(tag));
  }
  return undefined;
}

/** libpng's view: every chunk's CRC, IHDR sane, the zlib stream complete, enough pixel data. */
function pngDecodes(data: Buffer): boolean {
  let at = 8;
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  let ended = false;
  while (at + 12 <= data.length) {
    const length = data.readUInt32BE(at);
    const type = data.toString('ascii', at + 4, at + 8);
    if (at + 12 + length > data.length) return false;
    const body = data.subarray(at + 8, at + 8 + length);
    if ((crc32(data.subarray(at + 4, at + 8 + length)) >>> 0) !== data.readUInt32BE(at + 8 + length)) return false;
    if (type === 'IHDR') header = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    at += 12 + length;
  }
  if (!header || header.length !== 13 || !idat.length || !ended) return false;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [depth, color, , , interlace] = [header[8], header[9], header[10], header[11], header[12]];
  const channels: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
  if (!width || !height || !(color in channels) || ![1, 2, 4, 8, 16].includes(depth)) return false;
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(idat));
  } catch {
    return false;
  }
  if (interlace) return pixels.length > 0;
  const rowBytes = Math.ceil((width * channels[color] * depth) / 8);
  return pixels.length >= height * (rowBytes + 1);
}

function jpeg(data: Buffer): { width: number; height: number; valid: boolean } | undefined {
  let at = 2;
  let size: { width: number; height: number } | undefined;
  let scan = false;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return size ? { ...size, valid: false } : undefined;
    const marker = data[at + 1];
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = data.readUInt16BE(at + 2);
    if ([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf].includes(marker) && at + 9 <= data.length) {
      size = { height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
    }
    if (marker === 0xda) {
      scan = true;
      break;
    }
    at += 2 + length;
  }
  if (!size) return undefined;
  const ends = data.length >= 2 && data[data.length - 2] === 0xff && data[data.length - 1] === 0xd9;
  return { ...size, valid: scan && ends && size.width > 0 && size.height > 0 };
}

function webp(data: Buffer): { width: number; height: number } | undefined {
  const chunk = data.toString('ascii', 12, 16);
  if (chunk === 'VP8 ' && data.length >= 30) return { width: data.readUInt16LE(26) & 0x3fff, height: data.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L' && data.length >= 25) {
    const b = data.readUInt32LE(21);
    return { width: (b & 0x3fff) + 1, height: ((b >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X' && data.length >= 30) return { width: data.readUIntLE(24, 3) + 1, height: data.readUIntLE(27, 3) + 1 };
  return undefined;
}

function tiff(data: Buffer): { width: number; height: number } | undefined {
  const le = data[0] === 0x49;
  const u16 = (o: number) => (le ? data.readUInt16LE(o) : data.readUInt16BE(o));
  const u32 = (o: number) => (le ? data.readUInt32LE(o) : data.readUInt32BE(o));
  const ifd = u32(4);
  if (ifd + 2 > data.length) return undefined;
  let width = 0;
  let height = 0;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > data.length) break;
    const tag = u16(e);
    const type = u16(e + 2);
    const value = type === 3 ? u16(e + 8) : u32(e + 8);
    if (tag === 256) width = value;
    if (tag === 257) height = value;
  }
  return { width, height };
}

/** sharp's resize({width, height, fit: 'inside'}): the largest size that fits, aspect kept. */
export function fitInside(width: number, height: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const xf = width / maxWidth;
  const yf = height / maxHeight;
  if (xf > yf) return { width: maxWidth, height: Math.max(1, Math.round(height / xf)) };
  return { width: Math.max(1, Math.round(width / yf)), height: maxHeight };
}
