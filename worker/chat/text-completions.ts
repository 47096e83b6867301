// Legacy prompt completions (`POST /v1/completions`): the prompt goes to the
// model as it is (no chat template), through the same validation, queue,
// sampler and generation as chat; only the request and response shapes differ.
import type { ChatCompletion, ChatCompletionChunk, Completion, StreamItem, TextStreamItem } from '../../protocol/contract';
import { invalidParam, isApiError } from '../../protocol/errors';
import { describe, isObject } from './param-checks';
import { validateRequest, type ValidatedRequest } from './request-validation';

const TEXT_REFUSED: Record<string, string> = {
  suffix: "'suffix' (fill-in-the-middle) needs a FIM model; the Mistral instruct models here complete text only after the prompt.",
  logprobs: "'logprobs' on legacy completions is not offered here; use chat completions with 'logprobs': true.",
  messages: "Legacy completions take a 'prompt'; send 'messages' to POST /v1/chat/completions.",
};

export function validateCompletionRequest(input: unknown): ValidatedRequest {
  if (!isObject(input)) throw invalidParam('body', 'The request must be a JSON object.', 'invalid_type');
  const { prompt, echo, best_of: bestOf, ...rest } = input;
  for (const [key, reason] of Object.entries(TEXT_REFUSED)) if (rest[key] !== undefined && rest[key] !== null) throw invalidParam(key, reason, 'unsupported_parameter');
  const text = Array.isArray(prompt) && prompt.length === 1 ? prompt[0] : prompt;
  if (typeof text !== 'string') {
    throw invalidParam('prompt', `'prompt' must be a string (or an array of one string), got ${describe(prompt)}.`, Array.isArray(prompt) ? 'unsupported_value' : 'invalid_type');
  }
  if (echo !== undefined && echo !== null && echo !== false) throw invalidParam('echo', "'echo' must be false: the reply never repeats the prompt here.", 'unsupported_value');
  if (bestOf !== undefined && bestOf !== null && bestOf !== 1) throw invalidParam('best_of', "'best_of' must be 1; use 'n' for several completions.", 'unsupported_value');
  for (const key of ['tools', 'tool_choice', 'response_format', 'logprobs', 'top_logprobs', 'max_completion_tokens', 'safe_prompt', 'parallel_tool_calls'] as const) {
    if (Object.hasOwn(rest, key)) throw invalidParam(key, `Unrecognized request argument supplied: ${key}.`, 'unknown_parameter');
  }
  try {
    const validated = validateRequest({ ...rest, messages: [{ role: 'user', content: text }] });
    return { ...validated, prompt: text.isWellFormed() ? text : text.toWellFormed() };
  } catch (error) {
    // The prompt travelled as a message: name the caller's parameter.
    if (isApiError(error) && error.param?.startsWith('messages')) throw invalidParam('prompt', error.message.replace(/messages\[0\]\.content|The messages/g, "'prompt'"), error.code ?? 'invalid_value');
    throw error;
  }
}

const textId = (chatId: string) => chatId.replace(/^chatcmpl-/, 'cmpl-');

export function toCompletion(chat: ChatCompletion): Completion {
  return {
    id: textId(chat.id),
    object: 'text_completion',
    created: chat.created,
    model: chat.model,
    system_fingerprint: chat.system_fingerprint,
    choices: chat.choices.map((c) => ({ index: c.index, text: c.message.content ?? '', finish_reason: c.finish_reason === 'length' ? 'length' : 'stop', logprobs: null })),
    usage: chat.usage,
  };
}

/** A streamed chat item as the legacy text stream carries it. */
export function toTextItem(item: StreamItem): TextStreamItem {
  if (item.object === 'engine.stats') return item;
  const chunk: ChatCompletionChunk = item;
  return {
    id: textId(chunk.id),
    object: 'text_completion',
    created: chunk.created,
    model: chunk.model,
    system_fingerprint: chunk.system_fingerprint,
    choices: chunk.choices.map((c) => ({ index: c.index, text: c.delta.content ?? '', finish_reason: c.finish_reason === null ? null : c.finish_reason === 'length' ? 'length' : 'stop', logprobs: null })),
    ...(chunk.usage ? { usage: chunk.usage } : {}),
  };
}
