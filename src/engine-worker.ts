// The app's one engine worker, wrapped once at module scope. The worker chunk
// (WebLLM, ~6 MB) loads in the worker only; this module adds ~2 KB.
import * as Comlink from 'comlink';
import type { EngineApi } from '../worker/contract';
import { createEngineClient, type EngineClient } from './engine-client';

function startWorker(): Worker {
  return new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'mistral-engine' });
}

/** The worker's failures that comlink cannot report (a script error, an uncaught crash). */
export type WorkerCrashListener = (message: string) => void;

const crashListeners = new Set<WorkerCrashListener>();
let worker = startWorker();
worker.addEventListener('error', (event) => {
  for (const listener of crashListeners) listener(event.message || 'The engine worker stopped unexpectedly.');
});

export const engine: EngineClient = createEngineClient(Comlink.wrap<EngineApi>(worker));

export function onWorkerCrash(listener: WorkerCrashListener): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}
