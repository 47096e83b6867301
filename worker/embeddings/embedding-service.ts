// POST /v1/embeddings: checks the request in OpenAI's (and Mistral's) terms,
// loads the embedding model on first use — our downloader puts its weights in
// WebLLM's cache, then a second WebLLM engine in this worker loads it, so the
// chat model is never reloaded for it — and answers in OpenAI's shape:
// L2-normalised vectors (snowflake-arctic-embed is meant for cosine
// similarity), as floats or base64 float32, with usage. One request at a time.
import type { EmbeddingRequest, EmbeddingResponse } from '../../protocol/contract';
import { ApiError, invalidParam } from '../../protocol/errors';
import { defaultEstimate, downloadWeights } from '../cache/model-downloader';
import type { ChatEngine, CreateEngine } from '../engine/engine';
import { describe, isObject } from '../chat/param-checks';
import { EMBEDDING_MODELS, EMBEDDING_RECORDS, HOSTED_EMBEDDING_IDS, LOCAL_EMBEDDING_LIST, type EmbeddingModel } from './embedding-models';

const KEYS = new Set(['model', 'input', 'encoding_format', 'dimensions', 'output_dimension', 'output_dtype', 'user']);
/** OpenAI's limit on inputs per request. */
const MAX_INPUTS = 2048;

export interface EmbeddingDeps {
  createEngine: CreateEngine;
  fetch: typeof fetch;
  estimateStorage?: () => Promise<Record<'usage' | 'quota', number> | null>;
}

type Input = string[] | number[][];

function resolve(model: unknown): EmbeddingModel {
  if (typeof model !== 'string' || model.trim() === '') throw invalidParam('model', `'model' must name an embedding model: ${LOCAL_EMBEDDING_LIST}.`, 'missing_required_parameter');
  const hosted = HOSTED_EMBEDDING_IDS[model.toLowerCase().replace(/^mistralai\//, '')];
  if (hosted) {
    throw new ApiError(`${hosted} is Mistral's hosted embedding model; it does not run in the browser, and no local model gives the same vectors. Local embedding models: ${LOCAL_EMBEDDING_LIST}.`, 404, 'model', 'model_not_found');
  }
  const found = EMBEDDING_MODELS.find((m) => m.id === model || m.recordId === model || `Snowflake/${m.id}` === model);
  if (!found) throw new ApiError(`The embedding model '${model}' does not exist here. Local embedding models: ${LOCAL_EMBEDDING_LIST}.`, 404, 'model', 'model_not_found');
  return found;
}

function inputs(raw: unknown): Input {
  const problem = (why: string) => invalidParam('input', `'input' ${why}`);
  if (typeof raw === 'string') {
    if (raw === '') throw problem('must not be empty.');
    return [raw];
  }
  if (!Array.isArray(raw) || raw.length === 0) throw problem(`must be a string, an array of strings or an array of token-id arrays; got ${describe(raw)}.`);
  if (raw.length > MAX_INPUTS) throw problem(`holds ${raw.length} items; at most ${MAX_INPUTS} per request.`);
  if (raw.every((x) => typeof x === 'string')) {
    const empty = raw.findIndex((x) => x === '');
    if (empty >= 0) throw invalidParam(`input[${empty}]`, `'input[${empty}]' is empty; every text must have content.`);
    return raw as string[];
  }
  const isTokens = (x: unknown) => Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t) && t >= 0);
  if (raw.every((x) => Number.isInteger(x) && x >= 0)) return [raw as number[]];
  if (raw.every(isTokens)) return raw as number[][];
  const bad = raw.findIndex((x) => typeof x !== 'string' && !isTokens(x));
  throw invalidParam(`input[${Math.max(bad, 0)}]`, `'input' mixes kinds or holds ${describe(raw[Math.max(bad, 0)])}: send strings, or arrays of token ids.`);
}

/** Float32 little-endian, base64: what OpenAI sends for encoding_format "base64". */
function toBase64(vector: number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function normalise(vector: number[]): number[] {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

export class EmbeddingService {
  private engine: ChatEngine | null = null;
  private loaded: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: EmbeddingDeps) {}

  async create(request: EmbeddingRequest): Promise<EmbeddingResponse> {
    // Checked at once (a bad request never waits in line); served in order.
    const checked = this.check(request);
    const run = this.queue.then(() => this.embed(checked));
    this.queue = run.catch(() => {});
    return run;
  }

  private check(request: unknown) {
    if (!isObject(request)) throw invalidParam('body', 'The request body must be a JSON object.');
    const unknown = Object.keys(request).find((k) => !KEYS.has(k));
    if (unknown) throw invalidParam(unknown, `Unknown parameter '${unknown}' for embeddings; accepted: ${[...KEYS].join(', ')}.`, 'unknown_parameter');
    const model = resolve(request.model);
    const format = request.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') throw invalidParam('encoding_format', `'encoding_format' must be "float" or "base64"; got ${describe(request.encoding_format)}.`);
    if (request.output_dtype != null && request.output_dtype !== 'float') throw invalidParam('output_dtype', `'output_dtype' must be "float" here: ${model.id} gives float vectors only.`);
    for (const key of ['dimensions', 'output_dimension'] as const) {
      const value = request[key];
      if (value != null && value !== model.dimensions) {
        throw invalidParam(key, `${model.id} gives ${model.dimensions} dimensions and cannot shorten its vectors; '${key}' ${describe(value)} is not supported (leave it out, or send ${model.dimensions}).`);
      }
    }
    if (request.user != null && typeof request.user !== 'string') throw invalidParam('user', `'user' must be a string; got ${describe(request.user)}.`);
    return { model, format, input: inputs(request.input), requested: request.model as string };
  }

  private async ready(model: EmbeddingModel): Promise<ChatEngine> {
    this.engine ??= this.deps.createEngine({ model_list: EMBEDDING_RECORDS, cacheBackend: 'indexeddb' });
    if (this.loaded !== model.recordId) {
      const record = EMBEDDING_RECORDS.find((r) => r.model_id === model.recordId)!;
      await downloadWeights({ modelId: model.recordId, modelUrl: record.model, fetch: this.deps.fetch, estimate: this.deps.estimateStorage ?? defaultEstimate });
      await this.engine.reload(model.recordId);
      this.loaded = model.recordId;
    }
    return this.engine;
  }

  private async embed({ model, format, input, requested }: ReturnType<EmbeddingService['check']>): Promise<EmbeddingResponse> {
    const engine = await this.ready(model);
    let result;
    try {
      result = await engine.embedding({ input, model: model.recordId });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'EmbeddingExceedContextWindowSizeError') throw invalidParam('input', `An input is longer than ${model.id} reads (${model.maxInputTokens} tokens): split it into shorter passages. ${(error as Error).message}`, 'context_length_exceeded');
      if (name === 'EmbeddingInputEmptyError') throw invalidParam('input', `'input' has an empty item: ${(error as Error).message}`);
      throw error;
    }
    return {
      // Mistral's response has an id (OpenAI's has none; its clients ignore it).
      id: `embd-${crypto.randomUUID().replaceAll('-', '')}`,
      object: 'list',
      data: result.data.map((d, index) => {
        const vector = normalise(d.embedding as number[]);
        return { object: 'embedding', index, embedding: format === 'base64' ? toBase64(vector) : vector };
      }),
      model: requested,
      // completion_tokens: Mistral's usage has it (0 for embeddings).
      usage: { prompt_tokens: result.usage.prompt_tokens, completion_tokens: 0, total_tokens: result.usage.total_tokens },
    };
  }
}
