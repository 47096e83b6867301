// Starts the engine worker from its source (the app's build bundles it). The
// package build puts src/package/spawn-worker.ts in this module's place, which
// points at the worker file the package ships.

declare global {
  /** Set by the built index.html, which starts the worker before this code arrives (vite.config.ts). */
  var __mistralEngineWorker: (() => { worker: Worker; errors: Event[] }) | undefined;
}

export function spawnEngineWorker(): Worker {
  // The page's own worker is taken once; a restart spawns a fresh one.
  const early = globalThis.__mistralEngineWorker?.();
  globalThis.__mistralEngineWorker = undefined;
  if (early && early.errors.length === 0) return early.worker;
  // One that already failed is dropped: the worker spawned below reports its own failure.
  early?.worker.terminate();
  return new Worker(new URL('../../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'mistral-engine' });
}
