// Models, the GPU, loading, storage and stats: what the engine reports about
// itself. Types only.

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
  /** The context window in tokens: WebLLM's default for the record, or what the loaded model was loaded with. */
  contextWindow: number | null;
  /** Context windows this model can be loaded with (`LoadOptions.contextWindow`), smallest first; the first is the default. */
  contextWindowOptions: number[];
  /** GPU memory the KV cache takes per token of context (layers × KV heads × head size × 2 × bytes per value), when known. */
  kvCacheBytesPerToken: number | null;
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
  /** Trained for Mistral's tool-call format (v0.2 is not). */
  toolCalling: boolean;
  /** Hosted ids (OpenRouter, aimlapi, IONOS, la Plateforme) that resolve to this variant on this device. */
  aliases: string[];
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
  | 'invalid-option'
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
  /** Present shards of the wrong length: not counted, fetched again on the next load. */
  damagedShards: number;
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
