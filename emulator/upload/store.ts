// The media library's state: plugin::upload.file rows (a Table like every other record) and
// the bytes the local provider would have written under public/uploads, by URL path. Both
// are part of the store's snapshots (the bytes as base64, so a snapshot stays JSON).
import * as z from 'zod/mini';
import { TrackedMap } from '../store/changes.js';
import { Table, type TableSnapshot } from '../store/table.js';

export const formatSchema = z.object({
  name: z.string(),
  hash: z.string(),
  ext: z.string(),
  mime: z.string(),
  path: z.nullable(z.string()),
  width: z.int(),
  height: z.int(),
  size: z.number(),
  sizeInBytes: z.int(),
  url: z.string(),
});

export const fileSchema = z.object({
  id: z.int(),
  documentId: z.string(),
  name: z.string(),
  alternativeText: z.nullable(z.string()),
  caption: z.nullable(z.string()),
  focalPoint: z.nullable(z.object({ x: z.number(), y: z.number() })),
  width: z.nullable(z.int()),
  height: z.nullable(z.int()),
  formats: z.nullable(z.record(z.string(), formatSchema)),
  hash: z.string(),
  ext: z.nullable(z.string()),
  mime: z.string(),
  size: z.number(),
  url: z.string(),
  previewUrl: z.nullable(z.string()),
  provider: z.string(),
  provider_metadata: z.nullable(z.record(z.string(), z.unknown())),
  folderPath: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.nullable(z.string()),
});

export type FileRecord = z.infer<typeof fileSchema>;
export type FileFormat = z.infer<typeof formatSchema>;
export type Blob = { mime: string; data: Buffer; modified?: string };
export type FilesSnapshot = { files: TableSnapshot<FileRecord>; blobs: Array<{ path: string; mime: string; base64: string; modified?: string }> };

export class FileStore {
  readonly files = new Table('files', fileSchema, ['documentId']);
  /** URL path (`/uploads/<hash><ext>`) → the bytes served there (a blob is replaced, never edited: the journal notes the paths written). */
  readonly blobs = new TrackedMap<string, Blob>();

  snapshot(): FilesSnapshot {
    return { files: this.files.snapshot(), blobs: [...this.blobs].map(([path, b]) => ({ path, mime: b.mime, base64: b.data.toString('base64'), ...(b.modified ? { modified: b.modified } : {}) })) };
  }

  async restore(snapshot: FilesSnapshot | undefined): Promise<void> {
    this.blobs.clear();
    if (!snapshot) {
      this.files.clear();
      return;
    }
    if (!snapshot.files || !Array.isArray(snapshot.files.rows) || !Array.isArray(snapshot.blobs)) throw new Error('snapshot: the upload state is malformed');
    await this.files.restore(snapshot.files);
    for (const b of snapshot.blobs) this.blobs.set(b.path, { mime: b.mime, data: Buffer.from(b.base64, 'base64'), modified: b.modified });
  }

  /** Every URL path a file occupies (the original and its formats). */
  static paths(file: FileRecord): string[] {
    return [file.url, ...Object.values(file.formats ?? {}).map((f) => f.url)];
  }
}
