// The app's engine worker, wrapped once at module scope, and its life: a
// worker that crashes (an uncaught error) or goes quiet (watchdog) fails
// everything pending with EngineStoppedError instead of hanging, and can be
// restarted. The worker chunk (WebLLM, ~6 MB) loads in the worker only.
import * as Comlink from 'comlink';
import type { EngineApi } from '../worker/contract';
import { EngineStoppedError } from '../worker/errors';
import { createEngineClient, type EngineClient } from './engine-client';
import { watchWorker } from './worker-watchdog';

export type EngineStoppedListener = (message: string) => void;

interface Generation {
  worker: Worker;
  client: EngineClient;
  stop(message: string, notify?: boolean): void;
}

const listeners = new Set<EngineStoppedListener>();

function start(): Generation {
  const worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'mistral-engine' });
  let reject!: (error: Error) => void;
  const stopped = new Promise<never>((_, r) => (reject = r));
  const remote = Comlink.wrap<EngineApi>(worker);
  let done = false;
  const stop = (message: string, notify = true) => {
    if (done) return;
    done = true;
    stopWatching();
    worker.terminate();
    reject(new EngineStoppedError(message));
    if (notify) for (const listener of listeners) listener(message);
  };
  worker.addEventListener('error', (event) => {
    // An uncaught error leaves the engine in an unknown state: stop it cleanly.
    stop(`The engine crashed: ${event.message || 'an uncaught error in the worker'}.`);
  });
  // Loading a model can keep the worker's event loop busy for seconds at a time
  // (compiling the model library, building a large tokenizer): allow more then.
  let loads = 0;
  const stopWatching = watchWorker({ ping: () => remote.ping(), onDead: (reason) => stop(reason), timeoutMs: () => (loads > 0 ? 30_000 : 8_000) });
  const client = createEngineClient(remote, stopped);
  const load = client.models.load;
  client.models.load = async (...args) => {
    loads++;
    try {
      return await load(...args);
    } finally {
      loads--;
    }
  };
  return { worker, client, stop };
}

let current = start();

/** Forwards every call to the current worker's client, so a restart is invisible to callers. */
function delegate<T>(path: PropertyKey[] = []): T {
  return new Proxy(function () {}, {
    get: (_, key) => (key === 'then' ? undefined : delegate([...path, key])),
    apply: (_, __, args) => {
      const owner = path.slice(0, -1).reduce<Record<PropertyKey, unknown>>((o, k) => o[k] as Record<PropertyKey, unknown>, current.client as unknown as Record<PropertyKey, unknown>);
      return (owner[path[path.length - 1]!] as (...a: unknown[]) => unknown)(...args);
    },
  }) as T;
}

export const engine: EngineClient = delegate<EngineClient>();

/** Called when the engine stops by itself (crash, silence); the UI offers a restart. */
export function onEngineStopped(listener: EngineStoppedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A fresh worker; the old one (if alive) is terminated and its pending calls fail. */
export function restartEngine(): void {
  const old = current;
  current = start();
  old.stop('The engine was restarted.', false);
}
