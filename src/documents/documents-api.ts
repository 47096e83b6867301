// What the documents worker offers the page (types only).
import type { Passage } from './passages';
import type { Hit } from './retrieval';

export type Ingested =
  | { ok: true; pages: number | null; chars: number; passages: Passage[]; index: string }
  | { ok: false; error: string };

export interface DocumentsApi {
  /** Reads, splits and indexes one file; `onProgress` (comlink-proxied) gets 0..1 for PDFs' pages. */
  ingest(file: File, onProgress?: (fraction: number) => void): Promise<Ingested>;
  search(indexes: { documentId: string; index: string }[], query: string, k: number): Promise<Hit[]>;
}
