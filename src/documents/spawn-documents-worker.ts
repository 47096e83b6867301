// Starts the documents worker from its source (the app's build bundles it); the
// package build puts src/package/spawn-documents-worker.ts in this module's place.
export function spawnDocumentsWorker(): Worker {
  return new Worker(new URL('./documents.worker.ts', import.meta.url), { type: 'module', name: 'mistral-documents' });
}
