// The image work of Strapi's upload plugin (services/image-manipulation), with sharp as Strapi
// itself runs it: the original re-encoded at quality 80 (settings.sizeOptimization, on by
// default; kept even when larger, since Strapi compares with a size its metadata never has),
// then each format resized from that with `fit: 'inside'` in the input's own format. With
// sharp 0.35.3 (what 5.54.0 installs) the bytes equal real Strapi's, byte for byte (compared:
// PNG and JPEG, thumbnail/small/medium/large, 4.26.2's sharp 0.33.5 gives the same formats).
// When sharp cannot load, the emulator keeps the bytes it was given (one warning line).
import { createRequire } from 'node:module';
import type { ImageFormat } from './image.js';

type SharpInfo = { width: number; height: number; size: number; pageHeight?: number };
type SharpPipeline = {
  resize(options: object): SharpPipeline;
  toBuffer(options: { resolveWithObject: true }): Promise<{ data: Buffer; info: SharpInfo }>;
} & Record<string, (options?: object) => SharpPipeline>;
type Sharp = (input: Buffer, options?: object) => SharpPipeline;

export type Rendered = { data: Buffer; width: number; height: number };

const optimizable: ImageFormat[] = ['jpeg', 'png', 'webp', 'tiff', 'avif'];

let loaded: Sharp | null | undefined;

function sharp(): Sharp | null {
  if (loaded === undefined) {
    try {
      // require, not import: the bundles (dist/) keep sharp external, and a missing native part throws here, once.
      loaded = createRequire(import.meta.url)('sharp') as Sharp;
    } catch (error) {
      loaded = null;
      console.warn(`[strapi-emulator] sharp is not available (${(error as Error).message.split('\n')[0]}): uploaded images keep their bytes and every format serves the original`);
    }
  }
  return loaded;
}

export const sharpAvailable = (): boolean => sharp() !== null;

// One image at a time: a 1000-pixel resize holds tens of MB; a burst of uploads must not multiply that.
// (sharp's own settings — cache, concurrency — are process-wide, so in-process (MSW) they stay the host's.)
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

const rendered = ({ data, info }: { data: Buffer; info: SharpInfo }): Rendered => ({ data, width: info.width, height: info.pageHeight ?? info.height });

/** The stored original: re-encoded at quality 80 for the formats Strapi optimizes, else as sent. Undefined without sharp. */
export function optimize(data: Buffer, format: ImageFormat): Promise<Rendered | undefined> {
  const s = sharp();
  if (!s || !optimizable.includes(format)) return Promise.resolve(undefined);
  return oneAtATime(async () => rendered(await s(data, { animated: true })[format]({ quality: 80 }).toBuffer({ resolveWithObject: true })));
}

/** One format: fit inside width × height, in the input's format. Undefined without sharp. */
export function resize(data: Buffer, width: number, height: number): Promise<Rendered | undefined> {
  const s = sharp();
  if (!s) return Promise.resolve(undefined);
  return oneAtATime(async () => rendered(await s(data, { animated: true }).resize({ width, height, fit: 'inside' }).toBuffer({ resolveWithObject: true })));
}
