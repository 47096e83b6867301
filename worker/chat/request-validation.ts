// Validates an OpenAI-dialect request and maps it onto WebLLM's request type.
// Every parameter is either honoured or refused with a 400 naming it: WebLLM
// silently drops fields it does not know (top_k, min_p, max_completion_tokens),
// so nothing reaches it unchecked. Messages, tools and the small checks live
// beside this file; this one walks the request's top-level parameters.
import type { ChatCompletionRequest } from '../../protocol/contract';
import type { EngineRequest } from '../engine/engine';
import { invalidParam } from '../../protocol/errors';
import { toEngineMessages } from './mistral-prompt';
import { booleanParam, describe, isObject, numberIn, present, validateLogitBias, validateStop, type Json } from './param-checks';
import { toolCallSchema, type ToolSetup } from './tool-calls';
import type { TruncationParams } from './truncation-sampler';
import { validateMessages } from './validate-messages';
import { validateResponseFormat, validateTools } from './validate-tools';

/**
 * The request keys we accept: exactly the keys of ChatCompletionRequest (the
 * compiler checks both directions), so the type and the validator cannot drift.
 */
const REQUEST_KEYS: Record<keyof ChatCompletionRequest, true> = {
  model: true, messages: true, stream: true, stream_options: true, n: true, temperature: true, top_p: true, top_k: true, min_p: true,
  max_tokens: true, max_completion_tokens: true, stop: true, seed: true, random_seed: true, frequency_penalty: true, presence_penalty: true,
  repetition_penalty: true, logit_bias: true, logprobs: true, top_logprobs: true, response_format: true,
  structured_outputs: true, tools: true, tool_choice: true, parallel_tool_calls: true, safe_prompt: true,
  user: true, store: true, metadata: true, service_tier: true, prompt_cache_key: true, safety_identifier: true,
};

/** Parameters of the hosted APIs that a local model cannot honour: refused with the reason, not as unknown. */
const REFUSED: Record<string, string> = {
  prediction: "'prediction' (predicted outputs) needs Mistral's hosted speculative decoding; the local engine does not offer it.",
  prompt_mode: "'prompt_mode' selects a hosted reasoning mode; only the default (null) exists locally.",
  modalities: "'modalities' other than text need a multimodal model; the loaded model reads and writes text only.",
  audio: "'audio' output needs a speech model; the loaded model writes text only.",
  web_search_options: "'web_search_options' needs a hosted search service; nothing leaves this browser.",
  functions: "'functions' is OpenAI's removed form of tools: send 'tools' instead.",
  function_call: "'function_call' is OpenAI's removed form of tool_choice: send 'tool_choice' instead.",
  reasoning_effort: "'reasoning_effort' applies to hosted reasoning models; the loaded model has no reasoning mode.",
  verbosity: "'verbosity' applies to hosted reasoning models; use 'max_tokens' to bound a reply.",
  guardrails: "'guardrails' runs Mistral's hosted moderation; use 'safe_prompt' for its guardrail system prompt.",
};

const MAX_TOP_LOGPROBS = 5;

export interface ValidatedRequest {
  /** The id the caller sent; echoed back in responses. */
  model: string;
  stream: boolean;
  includeUsage: boolean;
  n: number;
  /** Tool calling in Mistral's format, or null when the request has no tools (or tool_choice "none"). */
  tools: ToolSetup | null;
  /** top_k / min_p, applied by the TruncationSampler; null when neither is set. */
  truncation: TruncationParams | null;
  /** Mistral's assistant prefix: the reply continues this text (WebLLM's text-completion path). */
  prefix: string | null;
  /** The top_logprobs asked for (with logprobs); null without logprobs. */
  topLogprobs: number | null;
  /** A legacy completion's prompt, sent as it is (WebLLM's text-completion path); null for chat. */
  prompt?: string | null;
  /** What we hand to the engine (always asks for usage so stats can be computed). */
  engineRequest: EngineRequest;
}

/** Type checks for the fields code written for hosted APIs sends by habit; they have no effect here. */
function checkNoOps(request: Json): void {
  for (const key of ['user', 'service_tier', 'prompt_cache_key', 'safety_identifier'] as const) {
    if (present(request, key) && typeof request[key] !== 'string') throw invalidParam(key, `'${key}' must be a string, got ${describe(request[key])}.`, 'invalid_type');
  }
  booleanParam(request, 'store');
  // OpenAI documents string values, Mistral any JSON: an object is enough.
  if (present(request, 'metadata') && !isObject(request.metadata)) throw invalidParam('metadata', "'metadata' must be an object.", 'invalid_type');
}

/** Checks a request and returns what the engine should run, or throws an ApiError naming the parameter. */
export function validateRequest(input: unknown): ValidatedRequest {
  if (!isObject(input)) throw invalidParam('body', 'The request must be a JSON object.', 'invalid_type');
  const request = input;

  for (const key of Object.keys(request)) {
    if (Object.hasOwn(REFUSED, key) && request[key] !== null && request[key] !== undefined) throw invalidParam(key, REFUSED[key]!, 'unsupported_parameter');
    if (!Object.hasOwn(REQUEST_KEYS, key) && !Object.hasOwn(REFUSED, key)) throw invalidParam(key, `Unrecognized request argument supplied: ${key}.`, 'unknown_parameter');
  }
  checkNoOps(request);
  // Type-checked whether or not tools come with it.
  booleanParam(request, 'parallel_tool_calls');

  if (typeof request.model !== 'string' || request.model.length === 0) {
    throw invalidParam('model', "'model' is required: a model id such as 'mistralai/Mistral-7B-Instruct-v0.3'.", 'missing_required_parameter');
  }
  const conversation = validateMessages(request.messages);
  const stream = booleanParam(request, 'stream') ?? false;
  let includeUsage = false;
  if (present(request, 'stream_options')) {
    if (!stream) throw invalidParam('stream_options', "'stream_options' is only allowed with 'stream': true.");
    if (!isObject(request.stream_options)) throw invalidParam('stream_options', "'stream_options' must be an object.", 'invalid_type');
    const flag = request.stream_options.include_usage;
    if (flag !== undefined && typeof flag !== 'boolean') throw invalidParam('stream_options.include_usage', "'stream_options.include_usage' must be a boolean.", 'invalid_type');
    includeUsage = flag === true;
  }

  const n = numberIn(request, 'n', 1, 8, true) ?? 1;
  const tools = validateTools(request);
  const temperature = numberIn(request, 'temperature', 0, 2);
  const topK = numberIn(request, 'top_k', 0, 100_000, true);
  const minP = numberIn(request, 'min_p', 0, 1);
  const truncation = (topK ?? 0) > 0 || (minP ?? 0) > 0 ? { topK: topK || null, minP: minP || null, temperature: temperature ?? 1 } : null;
  const maxTokens = numberIn(request, 'max_tokens', 1, 1_000_000, true);
  const maxCompletionTokens = numberIn(request, 'max_completion_tokens', 1, 1_000_000, true);
  if (maxTokens !== undefined && maxCompletionTokens !== undefined && maxTokens !== maxCompletionTokens) {
    throw invalidParam('max_tokens', "'max_tokens' and 'max_completion_tokens' disagree; send only 'max_completion_tokens'.");
  }
  const logprobs = booleanParam(request, 'logprobs');
  const topLogprobs = numberIn(request, 'top_logprobs', 0, MAX_TOP_LOGPROBS, true);
  if (topLogprobs !== undefined && !logprobs) {
    throw invalidParam('top_logprobs', "'top_logprobs' requires 'logprobs': true.");
  }

  let responseFormat = validateResponseFormat(request.response_format, booleanParam(request, 'structured_outputs'));
  const toolSchema = tools ? toolCallSchema(tools) : null;
  if (tools) {
    if (responseFormat) throw invalidParam('response_format', "'response_format' cannot be combined with 'tools' (unless tool_choice is 'none').");
    // "required" / a named function: constrain decoding so the call always parses.
    if (toolSchema) responseFormat = { type: 'json_object', schema: JSON.stringify(toolSchema) };
  }
  const seed = numberIn(request, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  const randomSeed = numberIn(request, 'random_seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  if (seed !== undefined && randomSeed !== undefined && seed !== randomSeed) throw invalidParam('random_seed', "'random_seed' (Mistral's name for 'seed') and 'seed' disagree; send one.");
  const stop = validateStop(request.stop);
  if (conversation.prefix !== null && responseFormat) throw invalidParam('response_format', "An assistant prefix cannot be combined with 'response_format' or a required tool call.");

  const engineRequest: EngineRequest = {
    messages: toEngineMessages(conversation, tools, booleanParam(request, 'safe_prompt') === true),
    stream,
    stream_options: stream ? { include_usage: true } : undefined,
    temperature,
    top_p: numberIn(request, 'top_p', 0, 1),
    max_tokens: maxCompletionTokens ?? maxTokens,
    // A constrained call is never cut by a stop string (the grammar decides where it ends).
    stop: toolSchema ? undefined : stop,
    seed: seed ?? randomSeed,
    frequency_penalty: numberIn(request, 'frequency_penalty', -2, 2),
    presence_penalty: numberIn(request, 'presence_penalty', -2, 2),
    repetition_penalty: numberIn(request, 'repetition_penalty', 0.01, 10),
    logit_bias: validateLogitBias(request.logit_bias),
    logprobs,
    // WebLLM 0.2.86 returns no logprobs at all unless top_logprobs > 0: ask for one, trim to what was asked.
    top_logprobs: logprobs ? Math.max(1, topLogprobs ?? 0) : topLogprobs,
    response_format: responseFormat,
  } as EngineRequest;
  if (request.top_p === 0) throw invalidParam('top_p', "'top_p' must be greater than 0.");

  // Drop the keys left undefined so the engine sees only what the caller set.
  for (const key of Object.keys(engineRequest) as (keyof EngineRequest)[]) {
    if (engineRequest[key] === undefined) delete engineRequest[key];
  }
  return { model: request.model, stream, includeUsage, n, tools, truncation, prefix: conversation.prefix, topLogprobs: logprobs ? (topLogprobs ?? 0) : null, engineRequest };
}
