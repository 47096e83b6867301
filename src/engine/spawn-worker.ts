// Starts the engine worker from its source (the app's build bundles it). The
// package build puts src/package/spawn-worker.ts in this module's place, which
// points at the worker file the package ships.
export function spawnEngineWorker(): Worker {
  return new Worker(new URL('../../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'mistral-engine' });
}
