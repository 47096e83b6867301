// The page's side of the documents worker, started on the first attachment
// (pdf.js and mammoth never load for a chat without files).
import * as Comlink from 'comlink';
import type { DocumentsApi } from './documents-api';
import { spawnDocumentsWorker } from './spawn-documents-worker';

let remote: Comlink.Remote<DocumentsApi> | null = null;

export function documentsWorker(): Comlink.Remote<DocumentsApi> {
  return (remote ??= Comlink.wrap<DocumentsApi>(spawnDocumentsWorker()));
}

// The e2e build only (compiled out of production): bench:documents times retrieval in the worker.
if (import.meta.env.MODE === 'e2e') (globalThis as { __documents?: typeof documentsWorker }).__documents = documentsWorker;
