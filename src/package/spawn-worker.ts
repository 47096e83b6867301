// The package's worker start (it replaces src/engine/spawn-worker.ts in the
// package build). The build writes the worker's file name in place of the
// constant, so the shipped code reads
//   new Worker(new URL('./engine.worker.js', import.meta.url), { type: 'module' })
// which Vite, webpack 5, Rollup, esbuild and Parcel follow to bundle the
// worker, and which a page without a bundler loads as it is.
declare const __MISTRAL_LOCAL_ENGINE_WORKER__: string;

export function spawnEngineWorker(): Worker {
  return new Worker(new URL(__MISTRAL_LOCAL_ENGINE_WORKER__, import.meta.url), { type: 'module', name: 'mistral-engine' });
}
