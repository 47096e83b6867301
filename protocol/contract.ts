// The typed contract between the engine worker and everything that talks to it
// (the chat UI, the fetch adapter, embedding pages). Types only: importing this
// module never pulls the engine into the main-thread bundle.

export type * from './openai';
export type * from './models';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, Completion, CompletionRequest, EmbeddingRequest, EmbeddingResponse } from './openai';
import type { CustomModelInput, DeleteResult, GenerationStats, GpuReport, LoadedModel, LoadProgress, ModelInfo, ModelList, RuntimeStats, StorageReport } from './models';

// ---------- The worker API ----------

/** The final item of a streamed completion over comlink: what the generation measured. */
export interface EngineStatsItem {
  object: 'engine.stats';
  stats: GenerationStats;
}

/** What a streamed completion's ReadableStream carries; the client hands callers only the chunks. */
export type StreamItem = ChatCompletionChunk | EngineStatsItem;
export type TextStreamItem = Completion | EngineStatsItem;

/** Things the engine tells the page without being asked. */
export type EngineEvent = { type: 'model-taken-over'; modelId: string };

export interface LoadOptions {
  /** Take the model over from another tab that holds it. */
  takeOver?: boolean;
  /** Tokens of context to allocate, one of the model's `contextWindowOptions` (default: the first). */
  contextWindow?: number;
}

export interface CreateOptions {
  /** Lets the caller abort this request with `abort(requestId)`. */
  requestId?: string;
}

/**
 * The one object the worker exposes over comlink. With `stream: true`,
 * `create` resolves to a ReadableStream of chunks (transferred, so it crosses
 * the worker boundary); cancelling the stream aborts the generation. Callers
 * use the bridge in `src/engine-client.ts`, which turns it into an async iterable.
 */
export interface EngineApi {
  chat: {
    completions: {
      create(request: ChatCompletionRequest, options?: CreateOptions): Promise<ChatCompletion | ReadableStream<StreamItem>>;
    };
  };
  /** Legacy prompt completions (no chat template), with the same parameter rules. */
  completions: {
    create(request: CompletionRequest, options?: CreateOptions): Promise<Completion | ReadableStream<TextStreamItem>>;
  };
  /**
   * Text embeddings with WebLLM's embedding models (snowflake-arctic-embed-s/m),
   * in the same worker beside the chat model; the first request downloads and
   * loads the model (cached afterwards).
   */
  embeddings: {
    create(request: EmbeddingRequest): Promise<EmbeddingResponse>;
  };
  models: {
    list(): Promise<ModelList>;
    /** The variant a name resolves to on this device (an id, a hosted id, a family); 404 ApiError listing what exists. */
    resolve(model: string): Promise<ModelInfo>;
    /** Loads a model; `onProgress` is a comlink-proxied callback. */
    load(modelId: string, onProgress?: (progress: LoadProgress) => void, options?: LoadOptions): Promise<LoadedModel>;
    unload(): Promise<void>;
    /** Stops a load in flight; the pending `load` rejects with kind "aborted". Downloaded files are kept. */
    cancelLoad(): Promise<void>;
    /** Registers a user-compiled model; it then appears in `list()` and can be loaded. */
    addCustom(input: CustomModelInput): Promise<ModelInfo>;
    removeCustom(modelId: string): Promise<void>;
  };
  storage: {
    report(): Promise<StorageReport>;
    /** WebLLM's own answer: are all of the model's weight files cached? */
    isCached(modelId: string): Promise<boolean>;
    /** Deletes a model's cached files (conversations and settings are stored apart and stay). */
    deleteModel(modelId: string): Promise<DeleteResult>;
  };
  gpu(): Promise<GpuReport>;
  /** Registers a (comlink-proxied) listener for engine events. */
  events(listener: (event: EngineEvent) => void): Promise<void>;
  /** Aborts one request (by id) or, with no id, the one in flight and all queued ones. */
  abort(requestId?: string): Promise<void>;
  stats(): Promise<RuntimeStats>;
  ping(): Promise<'pong'>;
}
