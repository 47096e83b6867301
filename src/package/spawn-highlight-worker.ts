// The package's highlight-worker start (it replaces
// src/render/spawn-highlight-worker.ts in the package build; see
// spawn-worker.ts beside it for why the file name is written in at build time).
declare const __MISTRAL_LOCAL_HIGHLIGHT_WORKER__: string;

export function spawnHighlightWorker(): Worker {
  return new Worker(new URL(__MISTRAL_LOCAL_HIGHLIGHT_WORKER__, import.meta.url), { type: 'module', name: 'mistral-highlight' });
}
