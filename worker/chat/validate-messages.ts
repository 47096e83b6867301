// The conversation: roles, contents (a string or text parts), replayed
// assistant messages, tool calls and results, Mistral's assistant prefix,
// within size limits. Normalized the way Mistral's own tokenizer library
// (mistral-common) does: text parts and system messages are joined with a
// blank line, and every system message, wherever it stands, becomes one
// system prompt.
import { invalidParam } from '../../protocol/errors';
import { describe, isObject, type Json } from './param-checks';

/**
 * Limits that keep hostile input from stalling the worker. The largest context
 * window here is 4,096 tokens (about 16,000 characters), so these are far above
 * anything a model could read, yet small enough to tokenize in well under a second.
 */
export const MAX_MESSAGES = 2048;
export const MAX_TOTAL_CHARS = 1_000_000;
const MAX_PARTS = 256;

/** One turn as the prompt builder reads it: plain text, tool calls with their arguments as JSON text. */
export type Turn =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls: { id: string; name: string; arguments: string }[] }
  | { role: 'tool'; content: string; toolCallId: string };

export interface Conversation {
  turns: Turn[];
  /** Every system (and OpenAI "developer") message's text, in order, joined with a blank line; null when none. */
  system: string | null;
  /** Mistral's assistant prefix: the reply continues this text (the last message had `prefix: true`). */
  prefix: string | null;
}

const JOIN = '\n\n';

/** Lone UTF-16 surrogates cannot be tokenized; they become U+FFFD, as a TextEncoder would make them. */
const wellFormed = (text: string) => (text.isWellFormed() ? text : text.toWellFormed());

/** A message's content as text: a string, or an array of text parts (any other part is refused, naming it). */
function contentText(content: unknown, param: string, optional: boolean): string {
  if (typeof content === 'string') return wellFormed(content);
  if ((content === null || content === undefined) && optional) return '';
  if (!Array.isArray(content)) {
    throw invalidParam(`${param}.content`, `${param}.content must be a string or an array of text parts, got ${describe(content)}.`, 'invalid_type');
  }
  if (content.length > MAX_PARTS) throw invalidParam(`${param}.content`, `${param}.content has more than ${MAX_PARTS} parts.`, 'request_too_large');
  const texts: string[] = [];
  for (let j = 0; j < content.length; j++) {
    const part: unknown = content[j];
    const p = `${param}.content[${j}]`;
    if (!isObject(part) || typeof part.type !== 'string') throw invalidParam(p, `${p} must be a content part such as { type: "text", text: "…" }.`, 'invalid_type');
    if (part.type !== 'text') {
      throw invalidParam(`${p}.type`, `${p} is a '${part.type.slice(0, 40)}' part, but the loaded model is text-only: send text parts only.`, 'unsupported_content_type');
    }
    if (typeof part.text !== 'string') throw invalidParam(`${p}.text`, `${p}.text must be a string, got ${describe(part.text)}.`, 'invalid_type');
    texts.push(wellFormed(part.text));
  }
  return texts.join(JOIN);
}

function optionalString(message: Json, key: string, param: string): void {
  const value = message[key];
  if (value !== undefined && value !== null && typeof value !== 'string') throw invalidParam(`${param}.${key}`, `${param}.${key} must be a string, got ${describe(value)}.`, 'invalid_type');
}

/** Tool calls replayed in an assistant message; `arguments` may be a JSON string or (Mistral's SDK) an object. */
function toolCallsOf(value: unknown, param: string): { id: string; name: string; arguments: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParam(param, `${param} must be an array of tool calls.`, 'invalid_type');
  return value.map((call, j) => {
    const p = `${param}[${j}]`;
    if (!isObject(call) || (call.type !== undefined && call.type !== 'function') || !isObject(call.function)) {
      throw invalidParam(p, `${p} must be { id, type: "function", function: { name, arguments } }.`, 'invalid_type');
    }
    if (call.id !== undefined && call.id !== null && typeof call.id !== 'string') throw invalidParam(`${p}.id`, `${p}.id must be a string.`, 'invalid_type');
    const { name, arguments: args } = call.function;
    if (typeof name !== 'string' || (typeof args !== 'string' && !isObject(args))) {
      throw invalidParam(`${p}.function`, `${p}.function needs a string 'name' and 'arguments' (a JSON string or an object).`, 'invalid_type');
    }
    return { id: typeof call.id === 'string' ? call.id : '', name, arguments: typeof args === 'string' ? wellFormed(args) : JSON.stringify(args) };
  });
}

export function validateMessages(value: unknown): Conversation {
  if (!Array.isArray(value)) throw invalidParam('messages', `'messages' must be an array of messages, got ${describe(value)}.`, 'invalid_type');
  if (value.length === 0) throw invalidParam('messages', "'messages' must contain at least one message.");
  if (value.length > MAX_MESSAGES) {
    throw invalidParam('messages', `'messages' has ${value.length} messages; at most ${MAX_MESSAGES} are accepted (the model reads at most a few thousand tokens).`, 'request_too_large');
  }
  const turns: Turn[] = [];
  const systems: string[] = [];
  let prefix: string | null = null;
  let totalChars = 0;
  const last = value.length - 1;
  for (let i = 0; i <= last; i++) {
    const message: unknown = value[i];
    const param = `messages[${i}]`;
    if (!isObject(message)) throw invalidParam(param, `${param} must be an object.`, 'invalid_type');
    const { role } = message;
    if (role !== 'system' && role !== 'developer' && role !== 'user' && role !== 'assistant' && role !== 'tool') {
      throw invalidParam(`${param}.role`, `${param}.role must be one of system, user, assistant, tool; got ${describe(role)}.`);
    }
    optionalString(message, 'name', param);
    if (message.prefix !== undefined && message.prefix !== null && typeof message.prefix !== 'boolean') {
      throw invalidParam(`${param}.prefix`, `${param}.prefix must be a boolean.`, 'invalid_type');
    }
    if (message.prefix === true && (role !== 'assistant' || i !== last)) {
      throw invalidParam(`${param}.prefix`, "Only the last message, from the assistant, can be a prefix ('prefix': true) for the reply to continue.");
    }
    let text: string;
    if (role === 'assistant') {
      optionalString(message, 'refusal', param);
      const toolCalls = toolCallsOf(message.tool_calls, `${param}.tool_calls`);
      text = contentText(message.content, param, true);
      if (message.prefix === true) {
        if (toolCalls.length > 0) throw invalidParam(`${param}.prefix`, 'A prefix message cannot carry tool calls.');
        prefix = text;
      } else turns.push({ role: 'assistant', content: text, toolCalls });
    } else {
      text = contentText(message.content, param, false);
      if (role === 'system' || role === 'developer') {
        if (text !== '') systems.push(text);
      } else if (role === 'tool') {
        if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
          throw invalidParam(`${param}.tool_call_id`, `${param}.tool_call_id is required for tool messages.`, 'missing_required_parameter');
        }
        turns.push({ role: 'tool', content: text, toolCallId: message.tool_call_id });
      } else turns.push({ role: 'user', content: text });
    }
    totalChars += text.length;
    if (totalChars > MAX_TOTAL_CHARS) {
      throw invalidParam(`${param}.content`, `The messages total more than ${MAX_TOTAL_CHARS} characters; the model's context window holds a few thousand tokens. Shorten the conversation.`, 'request_too_large');
    }
  }
  const end = value[last] as Json;
  if (prefix === null && end.role !== 'user' && end.role !== 'tool') {
    throw invalidParam(`messages[${last}].role`, "The last message must come from the user (or be a tool result), or be an assistant message with 'prefix': true.");
  }
  if (!turns.some((t) => t.role === 'user' || t.role === 'tool')) {
    throw invalidParam('messages', "'messages' needs at least one user message.");
  }
  return { turns, system: systems.length > 0 ? systems.join(JOIN) : null, prefix };
}
