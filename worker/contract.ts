// The typed contract between the engine worker and everything that talks to it
// (the chat UI, the fetch adapter, embedding pages). Types only: importing this
// module never pulls the engine into the main-thread bundle.

// ---------- OpenAI chat-completions dialect ----------

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system'; content: string; name?: string }
  | { role: 'user'; content: string; name?: string }
  | { role: 'assistant'; content: string | null; name?: string; tool_calls?: ToolCall[] }
  | { role: 'tool'; content: string; tool_call_id: string };

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean | null; description?: string };
    };

/** A chat-completions request, as hosted Mistral APIs (OpenRouter, aimlapi, IONOS) accept it. */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  n?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  top_k?: number | null;
  min_p?: number | null;
  /** Deprecated by OpenAI in favour of `max_completion_tokens`; both are accepted. */
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  repetition_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  response_format?: ResponseFormat | null;
  structured_outputs?: boolean | null;
  tools?: FunctionTool[] | null;
  tool_choice?: ToolChoice | null;
  user?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  system_fingerprint: string;
  choices: {
    index: number;
    message: { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] };
    finish_reason: FinishReason;
    logprobs: { content: TokenLogprob[] } | null;
  }[];
  usage: Usage;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  system_fingerprint: string;
  choices: {
    index: number;
    delta: { role?: 'assistant'; content?: string | null; tool_calls?: (ToolCall & { index: number })[] };
    finish_reason: FinishReason | null;
    logprobs: { content: TokenLogprob[] } | null;
  }[];
  /** Present (and `choices` empty) only on the final chunk when `stream_options.include_usage` is set. */
  usage?: Usage | null;
}

/** OpenAI's error body: `{ error: {...} }` is what HTTP clients receive. */
export interface ApiErrorBody {
  message: string;
  type: 'invalid_request_error' | 'server_error' | 'not_found_error' | 'service_unavailable';
  param: string | null;
  code: string | null;
}

// ---------- Models ----------

export type Quantization = 'q4f16_1' | 'q4f32_1' | (string & {});

/** One model the engine can load, with what it costs and whether this device can run it. */
export interface ModelInfo {
  /** WebLLM model id, e.g. "Mistral-7B-Instruct-v0.3-q4f32_1-MLC". */
  id: string;
  object: 'model';
  owned_by: 'mistralai' | 'custom';
  displayName: string;
  /** Model family shared by the quantized variants, e.g. "Mistral-7B-Instruct-v0.3". */
  family: string;
  parameters: string;
  quantization: Quantization;
  vramRequiredMB: number | null;
  contextWindow: number | null;
  requiredFeatures: string[];
  /** Whether this device can run it; when false, `unsupportedReason` says why. */
  supported: boolean;
  unsupportedReason: string | null;
  /** Set when it can run but may not fit this device's memory (from the browser's memory hint). */
  memoryWarning: string | null;
  /** The variant a family name or hosted id resolves to on this device. */
  preferredVariant: boolean;
  /** The one model we recommend for this device. */
  recommended: boolean;
  /** Weight bytes to download: exact once the model's manifest is known, else estimated. */
  downloadBytes: number | null;
  downloadBytesExact: boolean;
  /** Weight files in this browser's cache. */
  cached: 'full' | 'partial' | 'none';
}

export interface ModelList {
  object: 'list';
  data: ModelInfo[];
}

// ---------- GPU ----------

export type GpuReport =
  | { status: 'no-webgpu-api' }
  | { status: 'no-adapter' }
  | {
      status: 'ok';
      vendor: string;
      architecture: string;
      description: string;
      /** true for CPU-backed adapters (SwiftShader, fallback adapters). */
      isFallback: boolean;
      features: string[];
      shaderF16: boolean;
      maxBufferSize: number;
      maxStorageBufferBindingSize: number;
      /** navigator.deviceMemory (GB, rounded and capped at 8 by browsers), when exposed. */
      deviceMemoryGB: number | null;
    };

// ---------- Loading ----------

/** Where a load is: resolving files, downloading weights, or uploading them to the GPU. */
export type LoadStage = 'prepare' | 'download' | 'gpu-upload' | 'ready';

/** Progress is data: bytes and fractions, never parsed from WebLLM's text. */
export interface LoadProgress {
  modelId: string;
  stage: LoadStage;
  /** Weight bytes present so far (from the cache plus downloaded this load). */
  bytesDone: number;
  /** Total weight bytes from the model's tensor-cache manifest, 0 until known. */
  bytesTotal: number;
  /** Bytes that crossed the network during this load. */
  bytesDownloaded: number;
  /** 0..1 progress of the current stage. */
  fraction: number;
  /** Seconds since the load started. */
  elapsedSeconds: number;
}

export type LoadFailureKind =
  | 'storage-full'
  | 'corrupt-file'
  | 'network'
  | 'file-missing'
  | 'http-error'
  | 'no-webgpu'
  | 'shader-f16'
  | 'gpu-memory'
  | 'device-lost'
  | 'unsupported-model'
  | 'aborted'
  | 'in-use-elsewhere'
  | 'unknown';

export interface LoadedModel {
  modelId: string;
  contextWindow: number | null;
  loadSeconds: number;
  /** True when every weight file came from the IndexedDB cache (no download). */
  fromCache: boolean;
}

/** A user-compiled model to register (e.g. Mistral-Nemo-Instruct-2407 built for WebGPU). */
export interface CustomModelInput {
  /** The model's weight folder (contains mlc-chat-config.json and tensor-cache.json). */
  modelUrl: string;
  /** The compiled WebGPU model library (.wasm). */
  modelLibUrl: string;
  /** Defaults to the folder name. */
  id?: string;
}

// ---------- Storage ----------

export interface StorageEstimate {
  usage: number;
  quota: number;
}

export interface CachedModel {
  id: string;
  displayName: string;
  /** Bytes of this model's cached files (weights, tokenizer, config, model library). */
  bytesOnDisk: number;
  shardsCached: number;
  shardsTotal: number;
  /** WebLLM's own `hasModelInCache` answer. */
  complete: boolean;
  /** The model library is shared with another cached model, so deleting this one keeps it. */
  sharesLibrary: boolean;
}

export interface StorageReport {
  models: CachedModel[];
  estimate: StorageEstimate | null;
  /** navigator.storage.persisted(): false means the browser may evict the cache under pressure. */
  persisted: boolean | null;
}

export interface DeleteResult {
  modelId: string;
  before: StorageEstimate | null;
  after: StorageEstimate | null;
  removedFiles: number;
  /** WebLLM's hasModelInCache after the deletion (false when every weight file is gone). */
  cachedAfter: boolean;
}

// ---------- Stats ----------

export interface GenerationStats {
  requestId: string;
  modelId: string;
  promptTokens: number;
  completionTokens: number;
  /** Milliseconds from request to first content token. */
  timeToFirstTokenMs: number | null;
  /** Completion tokens per second after the first token. */
  decodeTokensPerSecond: number | null;
  totalMs: number;
}

export interface RuntimeStats {
  loadedModel: string | null;
  busy: boolean;
  queued: number;
  last: GenerationStats | null;
  /** WebLLM's own summary (prefill/decode speed), when a model is loaded. */
  engineSummary: string | null;
}

// ---------- The worker API ----------

/** Things the engine tells the page without being asked. */
export type EngineEvent = { type: 'model-taken-over'; modelId: string };

export interface LoadOptions {
  /** Take the model over from another tab that holds it. */
  takeOver?: boolean;
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
      create(request: ChatCompletionRequest, options?: CreateOptions): Promise<ChatCompletion | ReadableStream<ChatCompletionChunk>>;
    };
  };
  models: {
    list(): Promise<ModelList>;
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
