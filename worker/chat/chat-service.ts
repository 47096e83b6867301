// Chat completions, end to end: validation → the loaded model → the queue →
// generation → tool-call post-processing → OpenAI chunks (streamed, or folded
// into one completion). It subscribes to the model manager: whatever happens
// to the loaded model ends what was queued or running on it.
import type { ChatCompletion, ChatCompletionChunk, Completion, CreateOptions, GenerationStats, StreamItem, TextStreamItem } from '../../protocol/contract';
import { ApiError, RequestAbortedError } from '../../protocol/errors';
import type { ChatEngine, EngineStreamingRequest } from '../engine/engine';
import { startGeneration } from './engine-call';
import { modelSupportsTools, type CatalogEntry } from '../models/catalog';
import type { ModelManager } from '../models/model-manager';
import { streamCompletion } from './completion-stream';
import { MISTRAL_TEMPLATE, renderPrompt, type ConvTemplate } from './mistral-prompt';
import { collectChoice, completionId, generateChoice, SYSTEM_FINGERPRINT, type GenerationMeta, type GenerationResult } from './generate';
import { classifyGenerationError } from './generation-errors';
import { RequestQueue, type Slot } from './request-queue';
import { validateRequest, type ValidatedRequest } from './request-validation';
import { toCompletion, toTextItem, validateCompletionRequest } from './text-completions';
import { withToolCalls } from './tool-calls';
import type { TruncationSampler } from './truncation-sampler';
import { setLogitProcessor } from '../engine/logit-processor';

export interface ChatServiceDeps {
  engine: () => ChatEngine;
  models: ModelManager;
  /** The top_k / min_p processor WebLLM runs for every model; set per request. */
  sampler: TruncationSampler;
  /** A stream nobody reads for this long gives the engine back (see completion-stream.ts). */
  abandonAfterMs?: number;
}

async function* mapItems<I>(items: AsyncGenerator<StreamItem, void, undefined>, shape: (item: StreamItem) => I): AsyncGenerator<I, void, undefined> {
  try {
    for await (const item of items) yield shape(item);
  } finally {
    await items.return();
  }
}

export class ChatService {
  private readonly queue = new RequestQueue();
  private lastStats: GenerationStats | null = null;

  constructor(private readonly deps: ChatServiceDeps) {
    deps.models.on((event) => {
      if (event.type !== 'loaded') this.queue.abort();
    });
  }

  get busy(): boolean {
    return this.queue.busy;
  }
  get queued(): number {
    return this.queue.queued;
  }
  get last(): GenerationStats | null {
    return this.lastStats;
  }

  /** Aborts one request by id, or the running one and everything queued. */
  abort(requestId?: string): void {
    this.queue.abort(requestId);
  }

  async create(request: unknown, options: CreateOptions = {}): Promise<ChatCompletion | ReadableStream<StreamItem>> {
    return this.serve(validateRequest(request), options, (c) => c, (item) => item);
  }

  /** Legacy prompt completions: the same path, other shapes. */
  async createText(request: unknown, options: CreateOptions = {}): Promise<Completion | ReadableStream<TextStreamItem>> {
    return this.serve(validateCompletionRequest(request), options, toCompletion, toTextItem);
  }

  private async serve<C, I extends StreamItem | TextStreamItem>(validated: ValidatedRequest, options: CreateOptions, shape: (c: ChatCompletion) => C, shapeItem: (item: StreamItem) => I): Promise<C | ReadableStream<I>> {
    const model = await this.requireLoaded(validated.model);
    if (validated.tools && !modelSupportsTools(model)) {
      throw new ApiError(`${model.info.displayName} was not trained for tool calling; use Mistral 7B Instruct v0.3 or Ministral 3.`, 400, 'tools', 'unsupported_parameter');
    }
    const slot = await this.queue.acquire(options.requestId ?? crypto.randomUUID());
    if (validated.stream) {
      try {
        return await streamCompletion(mapItems(this.run(validated, model, slot), shapeItem), slot, validated.includeUsage, () => this.queue.abort(slot.id), this.deps.abandonAfterMs);
      } catch (error) {
        slot.release();
        throw classifyGenerationError(error);
      }
    }
    try {
      return shape(await this.complete(validated, model, slot));
    } catch (error) {
      throw classifyGenerationError(error);
    } finally {
      slot.release();
    }
  }

  /** The loaded model, if the request's model names it (directly or by alias). */
  private async requireLoaded(requested: string): Promise<CatalogEntry> {
    const entry = await this.deps.models.resolve(requested);
    const loaded = this.deps.models.loaded;
    if (!loaded) {
      const loading = this.deps.models.loadingModelId;
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
   * ModelNotLoadedError. Probe for that, tell the model manager, and say so plainly.
   */
  private async checkDeviceLost(error: unknown): Promise<unknown> {
    const name = (error as Error | undefined)?.name;
    if (name === 'ApiError' || name === 'AbortError' || !this.deps.models.loaded) return error;
    const probe = await this.deps
      .engine()
      .runtimeStatsText()
      .then(() => null)
      .catch((e: Error) => e);
    if (name !== 'DeviceLostError' && probe?.name !== 'ModelNotLoadedError') return error;
    this.deps.models.reportDeviceLost();
    return new ApiError(
      'The GPU device was lost (a driver reset, or the GPU ran out of memory), so the model was unloaded. Reload the model to continue; the reply so far is kept.',
      503,
      null,
      'device_lost',
    );
  }

  /**
   * Every choice of one request, one after the other, as chunks (choice
   * `index` set), then one usage chunk and the request's stats. Both the
   * streaming and the non-streaming API consume this. Throws RequestAbortedError when aborted.
   */
  private async *run(validated: ValidatedRequest, model: CatalogEntry, slot: Slot): AsyncGenerator<StreamItem, void, undefined> {
    const id = completionId();
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    const engine = this.deps.engine();
    const textPrompt = validated.prompt ?? (validated.prefix === null ? null : await this.prefixPrompt(validated, validated.prefix));
    const sampler = this.deps.sampler;
    sampler.params = validated.truncation;
    // Only a request that truncates pays for the CPU round trip of the logits.
    if (validated.truncation) setLogitProcessor(engine, sampler);
    try {
      for (let i = 0; i < validated.n; i++) {
        const request = { ...validated.engineRequest, stream: true, stream_options: { include_usage: true } } as EngineStreamingRequest;
        // A seed makes choice 0 reproducible; later choices get derived seeds so they differ.
        if (request.seed !== undefined && request.seed !== null) request.seed += i;
        const start = () => startGeneration(engine, request, textPrompt, validated.topLogprobs !== null);
        let result: GenerationResult | null = null;
        const meta: GenerationMeta = { model: validated.model, loadedModelId: model.info.id, id, created, choiceIndex: i };
        const stops = request.stop === undefined || request.stop === null ? [] : ([] as string[]).concat(request.stop);
        let chunks: AsyncIterable<ChatCompletionChunk> = generateChoice(
          engine,
          start,
          meta,
          slot,
          (r) => {
            result = r;
            this.lastStats = r.stats;
          },
          { stops, topLogprobs: validated.topLogprobs },
        );
        if (validated.tools) chunks = withToolCalls(chunks, validated.tools, validated.tools.choice !== 'auto');
        try {
          for await (const chunk of chunks) {
            const done = result as GenerationResult | null;
            // Usage rides on the request's last finishing chunk, as Mistral's API sends it (unasked).
            if (i === validated.n - 1 && chunk.choices[0]?.finish_reason && done) {
              const completion = usage.completion_tokens + done.usage.completion_tokens;
              yield { ...chunk, usage: { prompt_tokens: done.usage.prompt_tokens, completion_tokens: completion, total_tokens: done.usage.prompt_tokens + completion } };
            } else yield chunk;
          }
        } catch (error) {
          throw await this.checkDeviceLost(error);
        }
        const done = result as GenerationResult | null;
        if (done?.aborted) throw new RequestAbortedError();
        // OpenAI counts the prompt once per request, and every choice's completion.
        usage.prompt_tokens = done?.usage.prompt_tokens ?? 0;
        usage.completion_tokens += done?.usage.completion_tokens ?? 0;
      }
    } finally {
      if (validated.truncation) setLogitProcessor(engine, undefined);
      sampler.params = null;
    }
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    yield { id, object: 'chat.completion.chunk', created, model: validated.model, system_fingerprint: SYSTEM_FINGERPRINT, choices: [], usage };
    if (this.lastStats) yield { object: 'engine.stats', stats: this.lastStats };
  }

  /** The prompt for an assistant prefix: the loaded model's own template (or Mistral's), then the prefix. */
  private async prefixPrompt(validated: ValidatedRequest, prefix: string): Promise<string> {
    const template = ((await this.deps.models.convTemplate()) as ConvTemplate | null) ?? MISTRAL_TEMPLATE;
    return renderPrompt(validated.engineRequest.messages, template, prefix);
  }

  private async complete(validated: ValidatedRequest, model: CatalogEntry, slot: Slot): Promise<ChatCompletion> {
    const chunks: ChatCompletionChunk[] = [];
    for await (const item of this.run(validated, model, slot)) if (item.object === 'chat.completion.chunk') chunks.push(item);
    const last = chunks[chunks.length - 1]!;
    const choices = Array.from({ length: validated.n }, (_, i) => collectChoice(chunks.filter((c) => c.choices[0]?.index === i), i));
    return { id: last.id, object: 'chat.completion', created: last.created, model: validated.model, system_fingerprint: SYSTEM_FINGERPRINT, choices, usage: last.usage! };
  }
}
