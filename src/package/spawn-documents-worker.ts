// The package's documents-worker start (it replaces
// src/documents/spawn-documents-worker.ts in the package build; see
// spawn-worker.ts beside it for why the file name is written in at build time).
declare const __MISTRAL_LOCAL_DOCUMENTS_WORKER__: string;

export function spawnDocumentsWorker(): Worker {
  return new Worker(new URL(__MISTRAL_LOCAL_DOCUMENTS_WORKER__, import.meta.url), { type: 'module', name: 'mistral-documents' });
}
