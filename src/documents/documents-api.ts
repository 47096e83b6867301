// What the documents worker offers the page (types only). Documents go into
// IndexedDB and come out of it in the worker: the page gets only what it shows.
import type { AttachmentRef, Source } from '../storage/conversations';

export type Ingested = { ok: true; ref: AttachmentRef } | { ok: false; error: string };

export interface DocumentsApi {
  /** Reads, splits, indexes and stores one file as `id`; `onProgress` (comlink-proxied) gets 0..1 for PDFs' pages. */
  ingest(file: File, id: string, onProgress?: (fraction: number) => void): Promise<Ingested>;
  /** What to answer `question` from: whole documents when they fit `roomChars`, else the best passages. */
  sources(ids: string[], question: string, roomChars: number): Promise<Source[]>;
  usage(): Promise<{ count: number; bytes: number }>;
}
