// The conversation: roles, contents, tool calls and tool results, within size limits.
import type { ChatMessage } from '../../protocol/contract';
import { invalidParam } from '../../protocol/errors';
import { describe, isObject, type Json } from './param-checks';

/**
 * Limits that keep hostile input from stalling the worker. The largest context
 * window here is 4,096 tokens (about 16,000 characters), so these are far above
 * anything a model could read, yet small enough to tokenize in well under a second.
 */
export const MAX_MESSAGES = 2048;
export const MAX_TOTAL_CHARS = 1_000_000;


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

export function validateMessages(value: unknown): ChatMessage[] {
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
