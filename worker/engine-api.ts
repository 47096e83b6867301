// The API the worker exposes: OpenAI-shaped chat completions, model loading
// with progress, abort and stats, on top of any ChatEngine.
import * as Comlink from 'comlink';
import { buildCatalog, resolveModel, type CatalogEntry } from './catalog';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  CreateOptions,
  EngineApi,
  GenerationStats,
  GpuReport,
  LoadedModel,
  LoadProgress,
  ModelList,
  RuntimeStats,
} from './contract';
import type { createMonitoredFetch } from './download-monitor';
import type { AppConfig, ChatEngine, CreateEngine, EngineStreamingRequest } from './engine';
import { ApiError, ModelLoadError, RequestAbortedError } from './errors';
import { collectChoice, completionId, generateChoice, SYSTEM_FINGERPRINT, type GenerationMeta, type GenerationResult } from './generate';
import { classifyGenerationError, classifyLoadError } from './error-mapping';
import { LoadTracker } from './load-progress';
import { RequestQueue, type Slot } from './request-queue';
import { validateRequest, type ValidatedRequest } from './request-validation';
import { withToolCalls } from './tool-calls';
import { TruncationSampler } from './truncation-sampler';

export interface EngineApiDeps {
  createEngine: CreateEngine;
  appConfig: AppConfig;
  detectGpu: () => Promise<GpuReport>;
  /** The worker's monitored fetch; absent in environments without one (unit tests). */
  fetchMonitor?: ReturnType<typeof createMonitoredFetch>;
}

/** Serializable form of an error for a stream's error channel (structured clone drops custom fields of Errors). */
export function plainError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const plain: Record<string, unknown> = { name: error.name, message: error.message };
  for (const key of ['status', 'param', 'code', 'type', 'kind', 'modelId', 'url']) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined) plain[key] = value;
  }
  return plain;
}

export function createEngineApi(deps: EngineApiDeps): EngineApi {
  let engine: ChatEngine | null = null;
  let gpuReport: Promise<GpuReport> | null = null;
  let loaded: CatalogEntry | null = null;
  let loading: { tracker: LoadTracker; cancelled: boolean } | null = null;
  let lastStats: GenerationStats | null = null;
  const queue = new RequestQueue();
  // top_k / min_p for every model, through WebLLM's logit-processor hook.
  const sampler = new TruncationSampler();
  const logitProcessorRegistry = new Map(deps.appConfig.model_list.map((r) => [r.model_id, sampler]));

  const getEngine = (): ChatEngine => (engine ??= deps.createEngine(deps.appConfig, { logitProcessorRegistry }));
  const gpu = (): Promise<GpuReport> => (gpuReport ??= deps.detectGpu());
  const catalog = async (): Promise<CatalogEntry[]> => buildCatalog(deps.appConfig, await gpu());

  /** The loaded model, if the request's model names it (directly or by alias). */
  async function requireLoaded(requested: string): Promise<CatalogEntry> {
    const entry = resolveModel(requested, await catalog());
    if (!loaded) {
      throw new ApiError(
        loading ? `The model '${loading.tracker.modelId}' is still loading; retry when it is ready.` : 'No model is loaded. Load a model before sending requests.',
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
        yield* chunks;
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
            if (!cancelled) controller.error(plainError(classifyGenerationError(error)));
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

  async function load(modelId: string, onProgress?: (progress: LoadProgress) => void): Promise<LoadedModel> {
    const report = await gpu();
    const entries = await catalog();
    let entry: CatalogEntry;
    try {
      entry = resolveModel(modelId, entries);
    } catch (error) {
      throw new ModelLoadError((error as Error).message, report.status === 'ok' ? 'unsupported-model' : 'no-webgpu', modelId);
    }
    if (report.status !== 'ok') {
      throw new ModelLoadError('WebGPU is not available in this browser, so no model can run here.', 'no-webgpu', entry.info.id);
    }
    // A new load replaces the old model: stop and drop everything queued for it.
    queue.abort();
    if (loading) await cancelLoad();
    const tracker = new LoadTracker(entry.info.id, entry.record.model, (p) => onProgress?.(p));
    const current = { tracker, cancelled: false };
    loading = current;
    loaded = null;
    const started = performance.now();
    try {
      await tracker.inspectCache();
      const eng = getEngine();
      eng.setInitProgressCallback((r) => tracker.onEngineReport(r));
      deps.fetchMonitor?.observe(tracker);
      await eng.reload(entry.info.id);
      // WebLLM's reload resolves (not rejects) when unload() cancels it.
      if (current.cancelled) throw new ModelLoadError(`Loading ${entry.info.id} was cancelled.`, 'aborted', entry.info.id);
      tracker.finish();
      loaded = entry;
      return { modelId: entry.info.id, contextWindow: entry.info.contextWindow, loadSeconds: (performance.now() - started) / 1000, fromCache: tracker.fromCache };
    } catch (error) {
      if (current.cancelled) throw new ModelLoadError(`Loading ${entry.info.id} was cancelled.`, 'aborted', entry.info.id);
      throw classifyLoadError(error, entry.info.id, tracker.lastFailure);
    } finally {
      deps.fetchMonitor?.observe(null);
      if (loading === current) loading = null;
    }
  }

  async function cancelLoad(): Promise<void> {
    if (!loading) return;
    loading.cancelled = true;
    await getEngine().unload();
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
        return { object: 'list', data: (await catalog()).map((e) => e.info) };
      },
      load,
      async unload() {
        queue.abort();
        if (loading) await cancelLoad();
        loaded = null;
        if (engine) await engine.unload();
      },
      cancelLoad,
    },
    gpu,
    async abort(requestId?: string) {
      queue.abort(requestId);
    },
    async stats(): Promise<RuntimeStats> {
      return {
        loadedModel: loaded?.info.id ?? null,
        busy: queue.busy,
        queued: queue.queued,
        last: lastStats,
        engineSummary: loaded && engine && !queue.busy ? await engine.runtimeStatsText().catch(() => null) : null,
      };
    },
    async ping() {
      return 'pong' as const;
    },
  };
}
