// The app's engine worker, wrapped once at module scope. The connection owns
// the worker's life (crash and silence detection, restart); callers hold one
// `engine` that outlives restarts. WebLLM (~6 MB) loads in
// the worker only, on the first model load (worker/engine/webllm.ts).
import * as Comlink from 'comlink';
import type { EngineApi } from '../../protocol/contract';
import { createEngineClient, type EngineClient } from './client';
import { EngineConnection } from './connection';
import { spawnEngineWorker } from './spawn-worker';

export type EngineStoppedListener = (message: string) => void;

const listeners = new Set<EngineStoppedListener>();

const connection = new EngineConnection({
  spawn: spawnEngineWorker,
  ping: () => remote.ping(),
  onStopped: (message) => {
    for (const listener of listeners) listener(message);
  },
});
const remote = Comlink.wrap<EngineApi>(connection);

export const engine: EngineClient = createEngineClient(remote, () => connection.stopped);

// The e2e build only (compiled out of production): benchmarks call the engine beside the UI.
if (import.meta.env.MODE === 'e2e') (globalThis as { __engine?: EngineClient }).__engine = engine;

/** Called when the engine stops by itself (crash, silence); the UI offers a restart. */
export function onEngineStopped(listener: EngineStoppedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A fresh worker; the old one (if alive) is terminated and its pending calls fail. */
export function restartEngine(): void {
  connection.restart();
}
