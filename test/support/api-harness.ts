// Exposes the real worker API on one end of a real MessageChannel and wraps
// the other end with the real client, as comlink's own tests do.
import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { createEngineClient, type EngineClient } from '../../src/engine/client';
import type { EngineApi, GpuReport } from '../../protocol/contract';
import { createEngineApi } from '../../worker/engine-api';
import type { AppConfig } from '../../worker/engine/engine';
import { installTransferHandlers } from '../../protocol/errors';
import { EngineConnection } from '../../src/engine/connection';
import { ScriptedEngine, type ScriptedEngineOptions } from './scripted-engine';
import { hasModelInCache, prebuiltAppConfig } from '@mlc-ai/web-llm';
import { IDBFactory } from 'fake-indexeddb';
import { createMonitoredFetch } from '../../worker/cache/download-monitor';
import { withRetry } from '../../worker/cache/fetch-retry';
import type { StorageEstimate } from '../../protocol/contract';
import { syntheticFetch, type SyntheticModel } from './synthetic-model';

export const SWIFTSHADER_GPU: Extract<GpuReport, { status: 'ok' }> = {
  status: 'ok',
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader',
  isFallback: true,
  features: ['float32-filterable'],
  shaderF16: false,
  maxBufferSize: 1 << 30,
  maxStorageBufferBindingSize: 1 << 30,
  deviceMemoryGB: null,
};

export const F16_GPU: Extract<GpuReport, { status: 'ok' }> = { ...SWIFTSHADER_GPU, vendor: 'nvidia', architecture: 'ampere', isFallback: false, features: ['shader-f16'], shaderF16: true };

export interface Harness {
  client: EngineClient;
  remote: Comlink.Remote<EngineApi>;
  engine: ScriptedEngine;
  /** The embedding service's engine, once an embeddings request made it. */
  embedder: ScriptedEngine | undefined;
  kill(): void;
  close(): void;
}

export interface HarnessOptions {
  engine?: ScriptedEngineOptions;
  gpu?: GpuReport;
  appConfig?: AppConfig;
  /** The model host: synthetic files in memory unless a test passes its own fetch. */
  fetch?: typeof fetch;
  model?: SyntheticModel;
  estimate?: () => Promise<StorageEstimate | null>;
  /** How long an unread stream may hold the engine. */
  abandonAfterMs?: number;
  /** Watch the "worker" with the app's watchdog (fast timings for tests). */
  watchdog?: { intervalMs: number; timeoutMs: number };
}

export function createHarness(options: HarnessOptions = {}): Harness {
  installTransferHandlers();
  // A fresh, empty IndexedDB for WebLLM's caches in every harness.
  globalThis.indexedDB = new IDBFactory();
  const network = options.fetch ?? syntheticFetch(options.model);
  const monitor = createMonitoredFetch(withRetry(network, { retries: 2, baseDelayMs: 5, maxDelayMs: 20 }));
  const appConfig = options.appConfig ?? { ...prebuiltAppConfig, cacheBackend: 'indexeddb' as const };
  let engine!: ScriptedEngine;
  let embedder: ScriptedEngine | undefined;
  const api = createEngineApi({
    appConfig,
    createEngine: (config) => {
      const created = new ScriptedEngine(config, options.engine);
      // `engine` is the chat model's; the embedding service makes its own (embedding records only).
      if (!config.model_list.every((r) => r.model_type === 1)) engine = created;
      else embedder = created;
      return created;
    },
    detectGpu: async () => options.gpu ?? SWIFTSHADER_GPU,
    fetch: monitor.fetch,
    fetchWhole: monitor.fetchWhole,
    observeFetches: monitor.observe,
    estimateStorage: options.estimate ?? (async () => ({ usage: 0, quota: 10 * 2 ** 30 })),
    persisted: async () => false,
    webllm: { hasModelInCache },
    abandonAfterMs: options.abandonAfterMs,
  });
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(api, port1 as unknown as Comlink.Endpoint);
  // The app's own connection over the channel, with the watchdog only when a test asks for it.
  const connection = new EngineConnection({
    spawn: () => ({
      postMessage: (message, transfer) => port2.postMessage(message, transfer as never),
      addEventListener: (type: string, listener: (event: never) => void) => {
        if (type === 'message') port2.addEventListener('message', listener as never);
      },
      terminate: () => port2.close(),
    }),
    ...(options.watchdog && { ping: () => remote.ping(), intervalMs: options.watchdog.intervalMs, timeoutMs: () => options.watchdog!.timeoutMs }),
  });
  const remote = Comlink.wrap<EngineApi>(connection);
  const client = createEngineClient(remote, options.watchdog ? () => connection.stopped : undefined);
  return {
    client,
    remote,
    get engine() {
      return engine;
    },
    get embedder() {
      return embedder;
    },
    kill() {
      // The worker side goes away without a word, as a crashed or closed worker does.
      port1.close();
    },
    close() {
      connection.stop('closed', false);
      port1.close();
    },
  };
}

export const Q4F32 = 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC';
