// Starts the highlight worker from its source (the app's build bundles it). The
// package build puts src/package/spawn-highlight-worker.ts in this module's place.
export function spawnHighlightWorker(): Worker {
  return new Worker(new URL('./highlight.worker.ts', import.meta.url), { type: 'module', name: 'mistral-highlight' });
}
