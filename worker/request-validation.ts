// Validates an OpenAI-dialect request and maps it onto WebLLM's request type.
// Every parameter is either honoured or refused with a 400 naming it: WebLLM
// silently drops fields it does not know (top_k, min_p, max_completion_tokens),
// so nothing reaches it unchecked.
import type { ChatMessage, FunctionTool, ToolChoice } from './contract';
import type { EngineRequest } from './engine';
import { invalidParam } from './errors';
import { toEngineMessages, toolCallSchema, type ToolSetup } from './tool-calls';
import type { TruncationParams } from './truncation-sampler';

const KNOWN_PARAMS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'n', 'temperature', 'top_p', 'top_k', 'min_p',
  'max_tokens', 'max_completion_tokens', 'stop', 'seed', 'frequency_penalty', 'presence_penalty',
  'repetition_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'response_format',
  'structured_outputs', 'tools', 'tool_choice', 'parallel_tool_calls', 'user',
]);

const MAX_STOP_SEQUENCES = 4;
const MAX_TOP_LOGPROBS = 5;
/**
 * Limits that keep hostile input from stalling the worker. The largest context
 * window here is 4,096 tokens (about 16,000 characters), so these are far above
 * anything a model could read, yet small enough to tokenize in well under a second.
 */
export const MAX_MESSAGES = 2048;
export const MAX_TOTAL_CHARS = 1_000_000;
export const MAX_SCHEMA_DEPTH = 32;
export const MAX_SCHEMA_CHARS = 100_000;

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

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function present(request: Json, key: string): boolean {
  return Object.hasOwn(request, key) && request[key] !== undefined && request[key] !== null;
}

function numberIn(request: Json, key: string, min: number, max: number, integer = false): number | undefined {
  if (!present(request, key)) return undefined;
  const value = request[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidParam(key, `'${key}' must be a number, got ${describe(value)}.`, 'invalid_type');
  }
  if (integer && !Number.isInteger(value)) {
    throw invalidParam(key, `'${key}' must be an integer, got ${value}.`, 'invalid_type');
  }
  if (value < min || value > max) {
    throw invalidParam(key, `'${key}' must be between ${min} and ${max}, got ${value}.`);
  }
  return value;
}

function booleanParam(request: Json, key: string): boolean | undefined {
  if (!present(request, key)) return undefined;
  if (typeof request[key] !== 'boolean') {
    throw invalidParam(key, `'${key}' must be a boolean, got ${describe(request[key])}.`, 'invalid_type');
  }
  return request[key] as boolean;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function validateToolCalls(value: unknown, param: string): void {
  if (!Array.isArray(value) || value.length === 0) throw invalidParam(param, `${param} must be a non-empty array of tool calls.`, 'invalid_type');
  value.forEach((call, j) => {
    const p = `${param}[${j}]`;
    if (!isObject(call) || typeof call.id !== 'string' || call.type !== 'function' || !isObject(call.function)) {
      throw invalidParam(p, `${p} must be { id, type: "function", function: { name, arguments } }.`, 'invalid_type');
    }
    if (typeof call.function.name !== 'string' || typeof call.function.arguments !== 'string') {
      throw invalidParam(`${p}.function`, `${p}.function needs a string 'name' and 'arguments' (a JSON string).`, 'invalid_type');
    }
  });
}

function validateMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) throw invalidParam('messages', `'messages' must be an array of messages, got ${describe(value)}.`, 'invalid_type');
  if (value.length === 0) throw invalidParam('messages', "'messages' must contain at least one message.");
  if (value.length > MAX_MESSAGES) {
    throw invalidParam('messages', `'messages' has ${value.length} messages; at most ${MAX_MESSAGES} are accepted (the model reads at most a few thousand tokens).`, 'request_too_large');
  }
  let totalChars = 0;
  value.forEach((message, i) => {
    const param = `messages[${i}]`;
    if (!isObject(message)) throw invalidParam(param, `${param} must be an object.`, 'invalid_type');
    const { role, content } = message;
    if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool') {
      throw invalidParam(`${param}.role`, `${param}.role must be one of system, user, assistant, tool; got ${describe(role)}.`);
    }
    if (role === 'assistant' && message.tool_calls !== undefined && message.tool_calls !== null) validateToolCalls(message.tool_calls, `${param}.tool_calls`);
    if (role === 'tool' && (typeof message.tool_call_id !== 'string' || message.tool_call_id === '')) {
      throw invalidParam(`${param}.tool_call_id`, `${param}.tool_call_id is required for tool messages.`, 'missing_required_parameter');
    }
    const contentOk = typeof content === 'string' || (role === 'assistant' && (content === null || content === undefined) && Array.isArray(message.tool_calls));
    if (!contentOk) {
      throw invalidParam(`${param}.content`, `${param}.content must be a string (text-only models), got ${describe(content)}.`, 'invalid_type');
    }
    totalChars += typeof content === 'string' ? content.length : 0;
    if (totalChars > MAX_TOTAL_CHARS) {
      throw invalidParam(`${param}.content`, `The messages total more than ${MAX_TOTAL_CHARS} characters; the model's context window holds a few thousand tokens. Shorten the conversation.`, 'request_too_large');
    }
    if (role === 'system' && i !== 0) {
      throw invalidParam(`${param}.role`, 'A system message is only allowed as the first message.');
    }
  });
  const last = value[value.length - 1] as Json;
  if (last.role !== 'user' && last.role !== 'tool') {
    throw invalidParam(`messages[${value.length - 1}].role`, 'The last message must come from the user (or be a tool result).');
  }
  // Lone UTF-16 surrogates cannot be tokenized; they become U+FFFD, as a TextEncoder would make them.
  return (value as ChatMessage[]).map((m) => (typeof m.content === 'string' && !m.content.isWellFormed() ? { ...m, content: m.content.toWellFormed() } : m)) as ChatMessage[];
}

/** Depth and size of a JSON schema, checked without recursion (a deep one must not overflow the stack). */
export function checkSchema(schema: unknown, param: string): void {
  const stack: [unknown, number][] = [[schema, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_SCHEMA_DEPTH) throw invalidParam(param, `${param} is nested more than ${MAX_SCHEMA_DEPTH} levels deep.`, 'schema_too_complex');
    if (++nodes > MAX_SCHEMA_CHARS / 10) throw invalidParam(param, `${param} is too large.`, 'schema_too_complex');
    if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  if (JSON.stringify(schema).length > MAX_SCHEMA_CHARS) throw invalidParam(param, `${param} is larger than ${MAX_SCHEMA_CHARS} characters.`, 'schema_too_complex');
}

function validateTools(request: Json): ToolSetup | null {
  const { tools, tool_choice: choice } = request;
  if (tools === undefined || tools === null) {
    if (choice !== undefined && choice !== null && choice !== 'none') throw invalidParam('tool_choice', "'tool_choice' needs 'tools'.");
    return null;
  }
  if (!Array.isArray(tools) || tools.length === 0) throw invalidParam('tools', "'tools' must be a non-empty array of function tools.", 'invalid_type');
  if (tools.length > 64) throw invalidParam('tools', `'tools' accepts at most 64 functions, got ${tools.length}.`);
  const names = new Set<string>();
  tools.forEach((tool, i) => {
    const p = `tools[${i}]`;
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) throw invalidParam(p, `${p} must be { type: "function", function: { name, description?, parameters? } }.`, 'invalid_type');
    const { name, parameters, description } = tool.function;
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) throw invalidParam(`${p}.function.name`, `${p}.function.name must be 1-64 letters, digits, _ or -.`);
    if (names.has(name)) throw invalidParam(`${p}.function.name`, `Duplicate tool name '${name}'.`);
    names.add(name);
    if (parameters !== undefined && !isObject(parameters)) throw invalidParam(`${p}.function.parameters`, `${p}.function.parameters must be a JSON Schema object.`, 'invalid_type');
    if (parameters !== undefined) checkSchema(parameters, `${p}.function.parameters`);
    if (description !== undefined && typeof description !== 'string') throw invalidParam(`${p}.function.description`, `${p}.function.description must be a string.`, 'invalid_type');
  });
  const parallel = booleanParam(request, 'parallel_tool_calls') ?? true;
  let toolChoice: ToolChoice = 'auto';
  if (choice !== undefined && choice !== null) {
    if (choice === 'none' || choice === 'auto' || choice === 'required') toolChoice = choice;
    else if (isObject(choice) && choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string') {
      if (!names.has(choice.function.name)) throw invalidParam('tool_choice', `tool_choice names '${choice.function.name}', which is not in 'tools'.`);
      toolChoice = { type: 'function', function: { name: choice.function.name } };
    } else throw invalidParam('tool_choice', "'tool_choice' must be 'none', 'auto', 'required' or { type: 'function', function: { name } }.");
  }
  if (toolChoice === 'none') return null;
  return { tools: tools as FunctionTool[], choice: toolChoice, parallel };
}

function validateStop(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && s.length > 0)) {
    throw invalidParam('stop', "'stop' must be a non-empty string or an array of non-empty strings.", 'invalid_type');
  }
  if (list.length > MAX_STOP_SEQUENCES) {
    throw invalidParam('stop', `'stop' accepts at most ${MAX_STOP_SEQUENCES} sequences, got ${list.length}.`);
  }
  return list as string[];
}

function validateLogitBias(value: unknown): Record<string, number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalidParam('logit_bias', "'logit_bias' must be an object mapping token ids to numbers.", 'invalid_type');
  // Built on a null-prototype object: keys like "__proto__" cannot reach Object.prototype.
  const bias: Record<string, number> = Object.create(null);
  for (const [token, amount] of Object.entries(value)) {
    if (!/^\d+$/.test(token)) throw invalidParam('logit_bias', `logit_bias keys must be token ids (integers), got ${JSON.stringify(token.slice(0, 40))}.`);
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < -100 || amount > 100) {
      throw invalidParam('logit_bias', `logit_bias[${token}] must be a number between -100 and 100.`);
    }
    bias[token] = amount;
  }
  return { ...bias };
}

function validateResponseFormat(value: unknown, structuredOutputs: boolean | undefined): EngineRequest['response_format'] {
  if (value === undefined || value === null) {
    if (structuredOutputs) throw invalidParam('structured_outputs', "'structured_outputs' needs a 'response_format' of type json_schema.");
    return undefined;
  }
  if (!isObject(value)) throw invalidParam('response_format', "'response_format' must be an object.", 'invalid_type');
  switch (value.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const spec = value.json_schema;
      if (!isObject(spec) || typeof spec.name !== 'string' || spec.name.length === 0) {
        throw invalidParam('response_format.json_schema', "response_format.json_schema must be an object with a 'name'.");
      }
      if (spec.schema !== undefined && !isObject(spec.schema)) {
        throw invalidParam('response_format.json_schema.schema', 'response_format.json_schema.schema must be a JSON Schema object.', 'invalid_type');
      }
      if (spec.schema !== undefined) checkSchema(spec.schema, 'response_format.json_schema.schema');
      // WebLLM spells OpenAI's json_schema as json_object with a schema string.
      return spec.schema === undefined ? { type: 'json_object' } : { type: 'json_object', schema: JSON.stringify(spec.schema) };
    }
    default:
      throw invalidParam('response_format.type', `response_format.type must be one of text, json_object, json_schema; got ${describe(value.type)}.`);
  }
}

/** Checks a request and returns what the engine should run, or throws an ApiError naming the parameter. */
export function validateRequest(input: unknown): ValidatedRequest {
  if (!isObject(input)) throw invalidParam('body', 'The request must be a JSON object.', 'invalid_type');
  const request = input;

  for (const key of Object.keys(request)) {
    if (!KNOWN_PARAMS.has(key)) throw invalidParam(key, `Unrecognized request argument supplied: ${key}.`, 'unknown_parameter');
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
