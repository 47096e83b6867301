// Tool calling for Mistral models in their own trained format, since WebLLM
// allows `tools` only for Hermes models. Tools are offered with
// [AVAILABLE_TOOLS] … [/AVAILABLE_TOOLS], the model answers
// [TOOL_CALLS] [{"name", "arguments"}], and results go back in
// [TOOL_RESULTS] {"content", "call_id"} [/TOOL_RESULTS]. These are special
// tokens of the v0.3 / Ministral tokenizers, so they are matched in text.
// WebLLM's Mistral template wraps every user turn in [INST] … [/INST], so the
// tool block sits inside the last [INST] rather than just before it.
// For tool_choice "required" or a named function, decoding is constrained by
// a JSON schema (WebLLM's grammar engine), so the arguments always parse.
import type { ChatCompletionChunk, ChatMessage, FunctionTool, ToolCall, ToolChoice } from '../../protocol/contract';
import type { EngineRequest } from '../engine/engine';

export interface ToolSetup {
  tools: FunctionTool[];
  choice: Exclude<ToolChoice, 'none'>;
  parallel: boolean;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Mistral's tool call ids are 9 alphanumerics (hosted Mistral APIs return the same shape). */
export function toolCallId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

function toolsBlock(tools: FunctionTool[]): string {
  const defs = tools.map((t) => ({ type: 'function', function: { name: t.function.name, description: t.function.description ?? '', parameters: t.function.parameters ?? { type: 'object', properties: {} } } }));
  return `[AVAILABLE_TOOLS] ${JSON.stringify(defs)}[/AVAILABLE_TOOLS]`;
}

/** The conversation in Mistral's tool format, as the plain messages WebLLM accepts. */
export function toEngineMessages(messages: ChatMessage[], setup: ToolSetup | null): EngineRequest['messages'] {
  const out: { role: 'system' | 'user' | 'assistant'; content: string }[] = [];
  const push = (role: 'system' | 'user' | 'assistant', content: string) => {
    const last = out[out.length - 1];
    // Tool results that follow each other (or a user turn) share one turn.
    if (last && last.role === 'user' && role === 'user') last.content += `\n${content}`;
    else out.push({ role, content });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content });
        break;
      case 'user':
        push('user', message.content);
        break;
      case 'assistant':
        if (message.tool_calls?.length) {
          const calls = message.tool_calls.map((c) => ({ name: c.function.name, arguments: safeJson(c.function.arguments), id: c.id }));
          push('assistant', `${message.content ?? ''}[TOOL_CALLS] ${JSON.stringify(calls)}`);
        } else {
          push('assistant', message.content ?? '');
        }
        break;
      case 'tool':
        push('user', `[TOOL_RESULTS] ${JSON.stringify({ content: message.content, call_id: message.tool_call_id })}[/TOOL_RESULTS]`);
        break;
    }
  }
  if (setup) {
    // The tool definitions go with the last user turn, as in Mistral's own template.
    const lastUser = out.findLastIndex((m) => m.role === 'user');
    if (lastUser >= 0) out[lastUser]!.content = `${toolsBlock(setup.tools)}${out[lastUser]!.content}`;
  }
  return out as EngineRequest['messages'];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The JSON schema a constrained tool call must match ("required" or a named function). */
export function toolCallSchema(setup: ToolSetup): Record<string, unknown> | null {
  if (setup.choice === 'auto') return null;
  const allowed = typeof setup.choice === 'object' ? setup.tools.filter((t) => t.function.name === (setup.choice as { function: { name: string } }).function.name) : setup.tools;
  const item = (t: FunctionTool) => ({
    type: 'object',
    properties: { name: { const: t.function.name }, arguments: t.function.parameters ?? { type: 'object' } },
    required: ['name', 'arguments'],
    additionalProperties: false,
  });
  return {
    type: 'array',
    minItems: 1,
    ...(setup.parallel && typeof setup.choice !== 'object' ? {} : { maxItems: 1 }),
    items: allowed.length === 1 ? item(allowed[0]!) : { anyOf: allowed.map(item) },
  };
}

const MARKER = '[TOOL_CALLS]';

/** Tool calls in a finished output, or null when the model answered in text. */
export function parseToolCalls(output: string, setup: ToolSetup): ToolCall[] | null {
  let text = output.trim();
  if (text.startsWith(MARKER)) text = text.slice(MARKER.length).trim();
  if (!text.startsWith('[') && !text.startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const names = new Set(setup.tools.map((t) => t.function.name));
  const calls: ToolCall[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) return null;
    const { name, arguments: args } = item as { name?: unknown; arguments?: unknown };
    if (typeof name !== 'string' || !names.has(name)) return null;
    calls.push({ id: toolCallId(), type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) } });
  }
  if (calls.length === 0) return null;
  return setup.parallel ? calls : calls.slice(0, 1);
}

/** Could this partial output still turn into a tool call? (Decides whether to hold back streamed text.) */
export function mightBeToolCall(partial: string): boolean {
  const text = partial.trimStart();
  if (text === '') return true;
  if (MARKER.startsWith(text) || text.startsWith(MARKER)) return true;
  return text.startsWith('[{') || text === '[' || text.startsWith('{"name"') || '{"name"'.startsWith(text);
}

/**
 * Post-processes a choice's chunks for a request with tools: text streams
 * through as soon as it cannot be a tool call; a tool call is held back and
 * emitted whole as `delta.tool_calls`, with finish_reason "tool_calls".
 */
export async function* withToolCalls(chunks: AsyncIterable<ChatCompletionChunk>, setup: ToolSetup): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  let held: ChatCompletionChunk[] = [];
  let text = '';
  let deciding = true;
  for await (const chunk of chunks) {
    const choice = chunk.choices[0];
    if (!choice) {
      yield chunk;
      continue;
    }
    if (!deciding) {
      yield chunk;
      continue;
    }
    text += choice.delta.content ?? '';
    held.push(chunk);
    if (choice.finish_reason === null && mightBeToolCall(text)) continue;
    const calls = choice.finish_reason !== null && choice.finish_reason !== 'length' ? parseToolCalls(text, setup) : null;
    if (calls) {
      const base = { ...chunk, choices: [] };
      yield { ...base, choices: [{ index: choice.index, delta: { role: 'assistant', content: null, tool_calls: calls.map((c, index) => ({ index, ...c })) }, finish_reason: null, logprobs: null }] };
      yield { ...base, choices: [{ index: choice.index, delta: {}, finish_reason: 'tool_calls', logprobs: null }] };
      held = [];
      deciding = false;
      continue;
    }
    // Plain text after all: release what was held, in order.
    for (const h of held) yield h;
    held = [];
    deciding = false;
  }
  for (const h of held) yield h;
}
