// The API the worker exposes: OpenAI-shaped chat completions, model loading
// with progress, abort and stats, on top of any ChatEngine.
import * as Comlink from 'comlink';
import type { CatalogEntry } from './catalog';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  CreateOptions,
  EngineApi,
  EngineEvent,
  GenerationStats,
  GpuReport,
  LoadOptions,
  LoadProgress,
  ModelList,
  RuntimeStats,
  StorageEstimate,
} from './contract';
import type { FetchObserver } from './download-monitor';
import type { AppConfig, ChatEngine, CreateEngine, EngineStreamingRequest } from './engine';
import { ApiError, RequestAbortedError, toPlainError } from './errors';
import { classifyGenerationError } from './error-mapping';
import { collectChoice, completionId, generateChoice, SYSTEM_FINGERPRINT, type GenerationMeta, type GenerationResult } from './generate';
import { ModelManager, type WebLLMCacheHelpers } from './model-manager';
import { RequestQueue, type Slot } from './request-queue';
import { validateRequest, type ValidatedRequest } from './request-validation';
import { withToolCalls } from './tool-calls';
import { TruncationSampler } from './truncation-sampler';

export interface EngineApiDeps {
  createEngine: CreateEngine;
  appConfig: AppConfig;
  detectGpu: () => Promise<GpuReport>;
  /** The fetch model files go through (in the worker: monitored and retrying). */
  fetch: typeof fetch;
  observeFetches?: (observer: FetchObserver | null) => void;
  estimateStorage?: () => Promise<StorageEstimate | null>;
  persisted?: () => Promise<boolean | null>;
  webllm: WebLLMCacheHelpers;
}

export function createEngineApi(deps: EngineApiDeps): EngineApi {
  let engine: ChatEngine | null = null;
  let lastStats: GenerationStats | null = null;
  const queue = new RequestQueue();
  // top_k / min_p for every model, through WebLLM's logit-processor hook.
  const sampler = new TruncationSampler();
  const logitProcessorRegistry = new Map<string, TruncationSampler>();

  const getEngine = (): ChatEngine => (engine ??= deps.createEngine(deps.appConfig, { logitProcessorRegistry }));
  const listeners = new Set<(event: EngineEvent) => void>();
  const models = new ModelManager({
    onTakenOver: (modelId) => {
      queue.abort();
      for (const listener of listeners) void Promise.resolve(listener({ type: 'model-taken-over', modelId })).catch(() => listeners.delete(listener));
    },
    baseAppConfig: deps.appConfig,
    detectGpu: deps.detectGpu,
    getEngine,
    fetch: deps.fetch,
    observeFetches: deps.observeFetches,
    estimateStorage: deps.estimateStorage,
    persisted: deps.persisted,
    webllm: deps.webllm,
  });

  /** The loaded model, if the request's model names it (directly or by alias). */
  async function requireLoaded(requested: string): Promise<CatalogEntry> {
    const entry = await models.resolve(requested);
    const loaded = models.loaded;
    if (!loaded) {
      const loading = models.loadingModelId;
      throw new ApiError(
        loading ? `The model '${loading}' is still loading; retry when it is ready.` : 'No model is loaded. Load a model before sending requests.',
        503,
        'model',
        'model_not_loaded',
      );
    }
    if (entry.info.family !== loaded.info.family) {
      throw new ApiError(`The model '${requested}' is not loaded; the loaded model is '${loaded.info.id}'.`, 400, 'model', 'model_not_loaded');
    }
    return loaded;
  }

  /**
   * After an engine failure mid-generation: WebLLM unloads the model when the
   * GPU device is lost outside reload(), and later calls then fail with
   * ModelNotLoadedError. Probe for that, forget the model, and say so plainly.
   */
  async function checkDeviceLost(error: unknown): Promise<unknown> {
    const name = (error as Error | undefined)?.name;
    if (name === 'ApiError' || name === 'AbortError' || !models.loaded) return error;
    const probe = await getEngine()
      .runtimeStatsText()
      .then(() => null)
      .catch((e: Error) => e);
    if (name !== 'DeviceLostError' && probe?.name !== 'ModelNotLoadedError') return error;
    models.loaded = null;
    return new ApiError(
      'The GPU device was lost (a driver reset, or the GPU ran out of memory), so the model was unloaded. Reload the model to continue; the reply so far is kept.',
      503,
      null,
      'device_lost',
    );
  }

  /**
   * Every choice of one request, one after the other, as chunks (choice
   * `index` set), then one usage chunk. Both the streaming and the
   * non-streaming API consume this. Throws RequestAbortedError when aborted.
   */
  async function* runRequest(validated: ValidatedRequest, model: CatalogEntry, slot: Slot): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const id = completionId();
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    sampler.params = validated.truncation;
    try {
      for (let i = 0; i < validated.n; i++) {
        const request = { ...validated.engineRequest, stream: true, stream_options: { include_usage: true } } as EngineStreamingRequest;
        // A seed makes choice 0 reproducible; later choices get derived seeds so they differ.
        if (request.seed !== undefined && request.seed !== null) request.seed += i;
        let result: GenerationResult | null = null;
        const meta: GenerationMeta = { model: validated.model, loadedModelId: model.info.id, id, created, choiceIndex: i };
        let chunks: AsyncIterable<ChatCompletionChunk> = generateChoice(getEngine(), request, meta, slot, (r) => {
          result = r;
          lastStats = r.stats;
        });
        if (validated.tools) chunks = withToolCalls(chunks, validated.tools);
        try {
          yield* chunks;
        } catch (error) {
          throw await checkDeviceLost(error);
        }
        const done = result as GenerationResult | null;
        if (done?.aborted) throw new RequestAbortedError();
        // OpenAI counts the prompt once per request, and every choice's completion.
        usage.prompt_tokens = done?.usage.prompt_tokens ?? 0;
        usage.completion_tokens += done?.usage.completion_tokens ?? 0;
      }
    } finally {
      sampler.params = null;
    }
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    yield { id, object: 'chat.completion.chunk', created, model: validated.model, system_fingerprint: SYSTEM_FINGERPRINT, choices: [], usage };
  }

  async function createNonStreaming(validated: ValidatedRequest, model: CatalogEntry, slot: Slot): Promise<ChatCompletion> {
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of runRequest(validated, model, slot)) chunks.push(chunk);
    const last = chunks[chunks.length - 1]!;
    const choices = Array.from({ length: validated.n }, (_, i) => collectChoice(chunks.filter((c) => c.choices[0]?.index === i), i));
    return { id: last.id, object: 'chat.completion', created: last.created, model: validated.model, system_fingerprint: SYSTEM_FINGERPRINT, choices, usage: last.usage! };
  }

  /**
   * Starts a streaming generation and waits for its first chunk, so that
   * errors before any output (queue abort, prompt too long) reject `create`
   * with a typed error; later errors travel on the stream as plain objects.
   */
  async function createStreaming(validated: ValidatedRequest, model: CatalogEntry, slot: Slot): Promise<ReadableStream<ChatCompletionChunk>> {
    const chunks = runRequest(validated, model, slot);
    let cancelled = false;
    let pending: IteratorResult<ChatCompletionChunk, void> | null = await chunks.next();
    return new ReadableStream<ChatCompletionChunk>(
      {
        async pull(controller) {
          try {
            const step = pending ?? (await chunks.next());
            pending = null;
            if (step.done) {
              slot.release();
              controller.close();
            } else if (step.value.usage && !validated.includeUsage) {
              // The usage chunk is only sent when the caller asked for it.
            } else {
              controller.enqueue(step.value);
            }
          } catch (error) {
            slot.release();
            if (!cancelled) controller.error(toPlainError(classifyGenerationError(error)));
          }
        },
        async cancel() {
          // The reader went away (Stop in the UI): interrupt and drain so the engine is free.
          cancelled = true;
          queue.abort(slot.id);
          try {
            for await (const _ of chunks) void _;
          } catch {
            // The drain ends with the abort; nobody is listening any more.
          } finally {
            slot.release();
          }
        },
      },
      { highWaterMark: 8 },
    );
  }

  return {
    chat: {
      completions: {
        async create(request: ChatCompletionRequest, options: CreateOptions = {}) {
          const validated = validateRequest(request);
          const model = await requireLoaded(validated.model);
          if (validated.tools && model.info.family === 'Mistral-7B-Instruct-v0.2') {
            throw new ApiError('Mistral 7B Instruct v0.2 was not trained for tool calling; use Mistral 7B Instruct v0.3 or Ministral 3.', 400, 'tools', 'unsupported_parameter');
          }
          const slot = await queue.acquire(options.requestId ?? crypto.randomUUID());
          if (!validated.stream) {
            try {
              return await createNonStreaming(validated, model, slot);
            } catch (error) {
              throw classifyGenerationError(error);
            } finally {
              slot.release();
            }
          }
          try {
            const stream = await createStreaming(validated, model, slot);
            return Comlink.transfer(stream, [stream as unknown as Transferable]);
          } catch (error) {
            slot.release();
            throw classifyGenerationError(error);
          }
        },
      },
    },
    models: {
      async list(): Promise<ModelList> {
        return { object: 'list', data: (await models.catalog(true)).map((e) => e.info) };
      },
      async load(modelId: string, onProgress?: (progress: LoadProgress) => void, options: LoadOptions = {}) {
        try {
          return await models.load(
            modelId,
            (p) => onProgress?.(p),
            (id) => {
              // A new load replaces the old model: stop and drop everything queued for it.
              queue.abort();
              logitProcessorRegistry.set(id, sampler);
            },
            options.takeOver === true,
          );
        } finally {
          // Free the main thread's proxied callback (comlink keeps it alive otherwise).
          (onProgress as { [Comlink.releaseProxy]?: () => void } | undefined)?.[Comlink.releaseProxy]?.();
        }
      },
      async unload() {
        queue.abort();
        await models.unload();
      },
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
    async abort(requestId?: string) {
      queue.abort(requestId);
    },
    async stats(): Promise<RuntimeStats> {
      return {
        loadedModel: models.loaded?.info.id ?? null,
        busy: queue.busy,
        queued: queue.queued,
        last: lastStats,
        engineSummary: models.loaded && engine && !queue.busy ? await engine.runtimeStatsText().catch(() => null) : null,
      };
    },
    async ping() {
      return 'pong' as const;
    },
  };
}
