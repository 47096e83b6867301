// The one object the worker exposes (protocol/contract.ts's EngineApi): it
// only wires the services together. Chat completions live in chat/, models
// and their storage in models/, the WebLLM seam in engine/.
import * as Comlink from 'comlink';
import type { EngineApi, EngineEvent, GpuReport, StorageEstimate } from '../protocol/contract';
import type { FetchObserver } from './cache/download-monitor';
import { ChatService } from './chat/chat-service';
import { TruncationSampler } from './chat/truncation-sampler';
import type { AppConfig, ChatEngine, CreateEngine } from './engine/engine';
import { ModelManager, type WebLLMCacheHelpers } from './models/model-manager';
import { EmbeddingService } from './embeddings/embedding-service';

export interface EngineApiDeps {
  createEngine: CreateEngine;
  appConfig: AppConfig;
  detectGpu: () => Promise<GpuReport>;
  /** The fetch model files go through (in the worker: monitored and retrying). */
  fetch: typeof fetch;
  /** The same fetch, its bodies not counted as they arrive (weight shards on a fast host). */
  fetchWhole?: typeof fetch;
  observeFetches?: (observer: FetchObserver | null) => void;
  estimateStorage?: () => Promise<StorageEstimate | null>;
  persisted?: () => Promise<boolean | null>;
  webllm: WebLLMCacheHelpers;
  /** How long an unread stream may hold the engine (default: completion-stream.ts's ABANDON_AFTER_MS). */
  abandonAfterMs?: number;
}

/** A stream crosses the boundary transferred (comlink would otherwise try to clone it). */
function transferStream<T>(result: T): T {
  return result instanceof ReadableStream ? Comlink.transfer(result, [result as unknown as Transferable]) : result;
}

/** comlink keeps a proxied callback alive until released. */
function release(callback: unknown): void {
  (callback as { [Comlink.releaseProxy]?: () => void } | undefined)?.[Comlink.releaseProxy]?.();
}

export function createEngineApi(deps: EngineApiDeps): EngineApi {
  // top_k / min_p, put on the loaded model only for the requests that set them.
  const sampler = new TruncationSampler();
  let engine: ChatEngine | null = null;
  const getEngine = (): ChatEngine => (engine ??= deps.createEngine(deps.appConfig));
  const models = new ModelManager({ ...deps, baseAppConfig: deps.appConfig, getEngine });
  const chat = new ChatService({ engine: getEngine, models, sampler, abandonAfterMs: deps.abandonAfterMs });
  // Its own WebLLM engine beside the chat model's, created on the first request.
  const embeddings = new EmbeddingService({ createEngine: deps.createEngine, fetch: deps.fetch, estimateStorage: deps.estimateStorage });

  const listeners = new Set<(event: EngineEvent) => void>();
  models.on((event) => {
    if (event.type !== 'taken-over') return;
    for (const listener of listeners) void Promise.resolve(listener({ type: 'model-taken-over', modelId: event.modelId })).catch(() => listeners.delete(listener));
  });

  return {
    chat: { completions: { create: (request, options) => chat.create(request, options).then(transferStream) } },
    completions: { create: (request, options) => chat.createText(request, options).then(transferStream) },
    embeddings: { create: (request) => embeddings.create(request) },
    models: {
      list: async () => ({ object: 'list', data: (await models.catalog(true)).map((e) => e.info) }),
      resolve: async (model) => (await models.resolve(model)).info,
      async load(modelId, onProgress, options = {}) {
        try {
          return await models.load(modelId, (p) => void onProgress?.(p), options.takeOver === true, options.contextWindow);
        } finally {
          release(onProgress);
        }
      },
      unload: () => models.unload(),
      cancelLoad: () => models.cancelLoad(),
      addCustom: (input) => models.addCustom(input),
      removeCustom: (modelId) => models.removeCustom(modelId),
    },
    storage: {
      report: () => models.storageReport(),
      isCached: (modelId) => models.isCached(modelId),
      deleteModel: (modelId) => models.deleteModel(modelId),
    },
    gpu: () => models.gpu(),
    async events(listener) {
      listeners.add(listener);
    },
    async abort(requestId) {
      chat.abort(requestId);
    },
    async stats() {
      const loaded = models.loaded;
      return {
        loadedModel: loaded?.info.id ?? null,
        busy: chat.busy,
        queued: chat.queued,
        last: chat.last,
        engineSummary: loaded && engine && !chat.busy ? await engine.runtimeStatsText().catch(() => null) : null,
      };
    },
    ping: async () => 'pong' as const,
  };
}
