// Validates an OpenAI-dialect request and maps it onto WebLLM's request type.
// Every parameter is either honoured or refused with a 400 naming it: WebLLM
// silently drops fields it does not know (top_k, min_p, max_completion_tokens),
// so nothing reaches it unchecked. Messages, tools and the small checks live
// beside this file; this one walks the request's top-level parameters.
import type { ChatCompletionRequest } from '../../protocol/contract';
import type { EngineRequest } from '../engine/engine';
import { invalidParam } from '../../protocol/errors';
import { booleanParam, isObject, numberIn, present, validateLogitBias, validateStop } from './param-checks';
import { toEngineMessages, toolCallSchema, type ToolSetup } from './tool-calls';
import type { TruncationParams } from './truncation-sampler';
import { validateMessages } from './validate-messages';
import { validateResponseFormat, validateTools } from './validate-tools';

/**
 * The request keys we accept: exactly the keys of ChatCompletionRequest (the
 * compiler checks both directions), so the type and the validator cannot drift.
 */
const REQUEST_KEYS: Record<keyof ChatCompletionRequest, true> = {
  model: true, messages: true, stream: true, stream_options: true, n: true, temperature: true, top_p: true, top_k: true, min_p: true,
  max_tokens: true, max_completion_tokens: true, stop: true, seed: true, frequency_penalty: true, presence_penalty: true,
  repetition_penalty: true, logit_bias: true, logprobs: true, top_logprobs: true, response_format: true,
  structured_outputs: true, tools: true, tool_choice: true, parallel_tool_calls: true, user: true,
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
  /** What we hand to the engine (always asks for usage so stats can be computed). */
  engineRequest: EngineRequest;
}

/** Checks a request and returns what the engine should run, or throws an ApiError naming the parameter. */
export function validateRequest(input: unknown): ValidatedRequest {
  if (!isObject(input)) throw invalidParam('body', 'The request must be a JSON object.', 'invalid_type');
  const request = input;

  for (const key of Object.keys(request)) {
    if (!Object.hasOwn(REQUEST_KEYS, key)) throw invalidParam(key, `Unrecognized request argument supplied: ${key}.`, 'unknown_parameter');
  }

  if (typeof request.model !== 'string' || request.model.length === 0) {
    throw invalidParam('model', "'model' is required: a model id such as 'mistralai/Mistral-7B-Instruct-v0.3'.", 'missing_required_parameter');
  }
  const messages = validateMessages(request.messages);
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
  if (tools) {
    if (responseFormat) throw invalidParam('response_format', "'response_format' cannot be combined with 'tools' (unless tool_choice is 'none').");
    const schema = toolCallSchema(tools);
    // "required" / a named function: constrain decoding so the call always parses.
    if (schema) responseFormat = { type: 'json_object', schema: JSON.stringify(schema) };
  }

  const engineRequest: EngineRequest = {
    messages: toEngineMessages(messages, tools),
    stream,
    stream_options: stream ? { include_usage: true } : undefined,
    temperature,
    top_p: numberIn(request, 'top_p', 0, 1),
    max_tokens: maxCompletionTokens ?? maxTokens,
    stop: validateStop(request.stop),
    seed: numberIn(request, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true),
    frequency_penalty: numberIn(request, 'frequency_penalty', -2, 2),
    presence_penalty: numberIn(request, 'presence_penalty', -2, 2),
    repetition_penalty: numberIn(request, 'repetition_penalty', 0.01, 10),
    logit_bias: validateLogitBias(request.logit_bias),
    logprobs,
    top_logprobs: topLogprobs,
    response_format: responseFormat,
  } as EngineRequest;
  if (request.top_p === 0) throw invalidParam('top_p', "'top_p' must be greater than 0.");
  if (request.user !== undefined && typeof request.user !== 'string') throw invalidParam('user', "'user' must be a string.", 'invalid_type');

  // Drop the keys left undefined so the engine sees only what the caller set.
  for (const key of Object.keys(engineRequest) as (keyof EngineRequest)[]) {
    if (engineRequest[key] === undefined) delete engineRequest[key];
  }
  return { model: request.model, stream, includeUsage, n, tools, truncation, engineRequest };
}
