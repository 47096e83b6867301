// The page's side of the documents worker, started on the first attachment
// (pdf.js and mammoth never load for a chat without files).
import * as Comlink from 'comlink';
import type { DocumentsApi } from './documents-api';

let remote: Comlink.Remote<DocumentsApi> | null = null;

export function documentsWorker(): Comlink.Remote<DocumentsApi> {
  return (remote ??= Comlink.wrap<DocumentsApi>(new Worker(new URL('./documents.worker.ts', import.meta.url), { type: 'module', name: 'mistral-documents' })));
}

// The e2e build only (compiled out of production): bench:documents times retrieval in the worker.
if (import.meta.env.MODE === 'e2e') (globalThis as { __documents?: typeof documentsWorker }).__documents = documentsWorker;
