// The OpenAI chat-completions dialect, as hosted Mistral APIs (OpenRouter,
// aimlapi, IONOS, la Plateforme) document it: what callers send and receive.

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A text part of a message's content (the only kind a text-only model reads). */
export interface TextPart {
  type: 'text';
  text: string;
}

/** Message content as the SDKs send it: a string, or an array of parts (text parts are joined). */
export type MessageContent = string | TextPart[];

/** A tool call as callers replay it: Mistral's SDK also allows `arguments` as an object. */
export interface ToolCallInput {
  id: string;
  type?: 'function';
  function: { name: string; arguments: string | Record<string, unknown> };
}

export type ChatMessage =
  | { role: 'system'; content: MessageContent; name?: string }
  | { role: 'user'; content: MessageContent; name?: string }
  | {
      role: 'assistant';
      content?: MessageContent | null;
      name?: string;
      tool_calls?: ToolCallInput[] | null;
      /** Mistral's assistant prefix: as the last message, the reply continues this text. */
      prefix?: boolean;
      /** Fields replayed from hosted responses; they carry nothing the model reads. */
      refusal?: string | null;
      annotations?: unknown[] | null;
      audio?: unknown | null;
      function_call?: unknown | null;
    }
  | { role: 'tool'; content: MessageContent; tool_call_id: string; name?: string };

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
}

/** "any" is Mistral's word for "required". */
export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | 'any'
  | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean | null; description?: string | null };
    };

/** A chat-completions request, as hosted Mistral APIs (OpenRouter, aimlapi, IONOS) accept it. */
/** What chat and prompt completions share: the model and how to sample from it. */
interface SamplingRequest {
  model: string;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  n?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  top_k?: number | null;
  min_p?: number | null;
  /** Chat: deprecated by OpenAI in favour of `max_completion_tokens`; both are accepted. */
  max_tokens?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  /** Mistral's name for `seed`. */
  random_seed?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  repetition_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  user?: string | null;
}

export interface ChatCompletionRequest extends SamplingRequest {
  messages: ChatMessage[];
  max_completion_tokens?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  response_format?: ResponseFormat | null;
  structured_outputs?: boolean | null;
  tools?: FunctionTool[] | null;
  tool_choice?: ToolChoice | null;
  parallel_tool_calls?: boolean | null;
  /** Mistral's guardrail: prepends its documented safety system prompt. */
  safe_prompt?: boolean | null;
  // Accepted for compatibility, type-checked, and without effect locally (docs/api.md).
  store?: boolean | null;
  metadata?: Record<string, unknown> | null;
  service_tier?: string | null;
  prompt_cache_key?: string | null;
  safety_identifier?: string | null;
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

/** Logprobs as OpenAI's schema requires them: `refusal` beside `content` (always null here). */
export interface ChoiceLogprobs {
  content: TokenLogprob[] | null;
  refusal: null;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  system_fingerprint: string;
  choices: {
    index: number;
    message: { role: 'assistant'; content: string | null; refusal: null; tool_calls?: ToolCall[] };
    finish_reason: FinishReason;
    logprobs: ChoiceLogprobs | null;
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
    logprobs: ChoiceLogprobs | null;
  }[];
  /**
   * On the last choice's finishing chunk (as Mistral's API sends it, unasked), and on a
   * final chunk with empty `choices` when `stream_options.include_usage` is set.
   */
  usage?: Usage | null;
}

/** A legacy prompt completion request (`POST /v1/completions`), as hosted Mistral services serve it. */
export interface CompletionRequest extends SamplingRequest {
  prompt: string | [string];
  /** Only false: the prompt is never repeated in the reply. */
  echo?: boolean | null;
  /** Only 1. */
  best_of?: number | null;
}

export interface Completion {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  system_fingerprint: string;
  /** `finish_reason` is null on streamed chunks before the last. */
  choices: { index: number; text: string; finish_reason: 'stop' | 'length' | null; logprobs: null }[];
  usage?: Usage;
}

/** The error object: OpenAI's clients read it under `error`, Mistral's at the top level (local-fetch sends both). */
export interface ApiErrorBody {
  message: string;
  type: 'invalid_request_error' | 'server_error' | 'not_found_error' | 'service_unavailable';
  param: string | null;
  code: string | null;
}

// ---------- Embeddings ----------

/** POST /v1/embeddings. `input`: text, texts, or token ids (one list or several). */
export interface EmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  /** "float" (the default) or "base64": little-endian float32, as OpenAI encodes it. */
  encoding_format?: 'float' | 'base64' | null;
  /** Accepted when it is the model's own size; the local models cannot shorten their vectors. */
  dimensions?: number | null;
  /** Mistral's names for the same two options. */
  output_dimension?: number | null;
  output_dtype?: 'float' | null;
  user?: string | null;
}

export interface Embedding {
  object: 'embedding';
  index: number;
  embedding: number[] | string;
}

export interface EmbeddingResponse {
  id: string;
  object: 'list';
  data: Embedding[];
  model: string;
  usage: { prompt_tokens: number; completion_tokens: 0; total_tokens: number };
}
