// What the documents worker offers the page (types only). Documents go into
// IndexedDB and come out of it in the worker: the page gets only what it shows.
import type { AttachmentRef, Source } from '../storage/conversations';

export type Ingested = { ok: true; ref: AttachmentRef; passages: number } | { ok: false; error: string };

/** The question's embedding, for semantic retrieval beside BM25. */
export interface QueryVector {
  model: string;
  vector: Float32Array;
}

export interface DocumentsApi {
  /** Reads, splits, indexes and stores one file as `id`; `onProgress` (comlink-proxied) gets 0..1 for PDFs' pages. */
  ingest(file: File, id: string, onProgress?: (fraction: number) => void): Promise<Ingested>;
  /** What to answer `question` from: whole documents when they fit `roomChars`, else the best passages. */
  sources(ids: string[], question: string, roomChars: number, query?: QueryVector): Promise<Source[]>;
  /** Passage texts `from`..`from + count` of a stored document (to embed them, a batch at a time). */
  passageTexts(id: string, from: number, count: number): Promise<string[]>;
  storeVectors(id: string, model: string, dims: number, data: Float32Array): Promise<void>;
  usage(): Promise<{ count: number; bytes: number }>;
}
