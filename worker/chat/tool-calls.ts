// Tool calling for Mistral models in their own trained format, since WebLLM
// allows `tools` only for Hermes models: the model answers
// [TOOL_CALLS] [{"name", "arguments"}] (the prompt side is in mistral-prompt.ts).
// These are special tokens of the v0.3 / Ministral tokenizers, so they are
// matched in text. For tool_choice "required" or a named function, decoding is
// constrained by a JSON schema (WebLLM's grammar engine), so the arguments
// always parse; such a call is never cut by `stop`, and one that `max_tokens`
// cuts ends with finish_reason "length" and no half call.
import type { ChatCompletionChunk, FunctionTool, ToolCall, ToolChoice } from '../../protocol/contract';

export interface ToolSetup {
  tools: FunctionTool[];
  /** "any" arrives as "required". */
  choice: Exclude<ToolChoice, 'none' | 'any'>;
  parallel: boolean;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Mistral's tool call ids are 9 alphanumerics (hosted Mistral APIs return the same shape). */
export function toolCallId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
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

/** Where the marker starts in `text`, or where a partial marker at its end starts (-1: neither). */
function markerStart(text: string): number {
  const at = text.indexOf(MARKER);
  if (at >= 0) return at;
  for (let k = Math.min(MARKER.length - 1, text.length); k > 0; k--) if (MARKER.startsWith(text.slice(-k))) return text.length - k;
  return -1;
}

type Chunk = ChatCompletionChunk;

/** Held text that begins as Mistral's call syntax (the marker, or a JSON call list). */
function looksLikeCall(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith(MARKER) || t.startsWith('[{') || t.startsWith('{"name"') || t === '[' || t === '';
}

/**
 * Post-processes a choice's chunks for a request with tools. Text streams
 * through as soon as it cannot be a tool call; from the [TOOL_CALLS] marker
 * on (or from the start, when the output opens as a call, or always when
 * decoding is constrained to a call) the text is held and emitted at the end
 * as `delta.tool_calls` with finish_reason "tool_calls". A held call that
 * does not parse (cut by `max_tokens` or a stop string) is dropped: Mistral's
 * control text never reaches `content`.
 */
export async function* withToolCalls(chunks: AsyncIterable<Chunk>, setup: ToolSetup, constrained: boolean): AsyncGenerator<Chunk, void, undefined> {
  let text = '';
  /** Text up to here has been sent as content. */
  let released = 0;
  /** Text from here on is held as a (possible) call; -1 while none is. */
  let holdFrom = constrained ? 0 : -1;
  /** At the start, output that may be a bare JSON call is held chunk by chunk (their logprobs kept). */
  let opening: Chunk[] | null = constrained ? null : [];
  let sentRole = false;
  const content = (chunk: Chunk, index: number, value: string): Chunk => {
    const delta = sentRole ? { content: value } : { role: 'assistant' as const, content: value };
    sentRole = true;
    return { ...chunk, choices: [{ index, delta, finish_reason: null, logprobs: null }] };
  };
  for await (const chunk of chunks) {
    const choice = chunk.choices[0];
    if (!choice) {
      yield chunk;
      continue;
    }
    text += choice.delta.content ?? '';
    if (choice.finish_reason === null) {
      if (opening) {
        opening.push(chunk);
        if (mightBeToolCall(text)) continue;
        const at = markerStart(text);
        if (at < 0) {
          // Plain text after all: release the opening chunks as they came.
          for (const h of opening) yield h;
          sentRole = true;
          released = text.length;
        } else if (at > 0) {
          yield content(chunk, choice.index, text.slice(0, at));
          released = at;
        }
        if (at >= 0 && text.startsWith(MARKER, at)) holdFrom = at;
        opening = null;
        continue;
      }
      if (holdFrom >= 0) continue;
      // Release all but a marker (or the start of one) at the end.
      const at = markerStart(text.slice(released));
      const safe = at < 0 ? text.length : released + at;
      if (safe > released) yield content(chunk, choice.index, text.slice(released, safe));
      released = safe;
      if (at >= 0 && text.startsWith(MARKER, safe)) holdFrom = safe;
      continue;
    }
    // The choice ends: was the held text a call?
    const from = holdFrom >= 0 ? holdFrom : opening ? 0 : -1;
    const tail = from >= 0 ? text.slice(from) : '';
    const calls = tail !== '' && choice.finish_reason !== 'length' ? parseToolCalls(tail, setup) : null;
    const base = { ...chunk, choices: [] };
    if (calls) {
      const before = text.slice(released, from);
      if (before.trim() !== '') yield content(chunk, choice.index, before);
      yield { ...base, choices: [{ index: choice.index, delta: { role: 'assistant', content: sentRole ? undefined : null, tool_calls: calls.map((c, index) => ({ index, ...c })) }, finish_reason: null, logprobs: null }] };
      yield { ...base, choices: [{ index: choice.index, delta: {}, finish_reason: 'tool_calls', logprobs: null }] };
      continue;
    }
    if (opening && !looksLikeCall(text)) {
      for (const h of opening) yield h;
      sentRole = true;
    } else {
      // A cut-off call is dropped; text before it, or text that only looked like a call start, is kept.
      const keep = from >= 0 && looksLikeCall(tail) ? text.slice(released, from) : text.slice(released);
      if (keep !== '') yield content(chunk, choice.index, keep);
    }
    yield { ...chunk, choices: [{ ...choice, delta: sentRole ? { content: '' } : { role: 'assistant', content: '' } }] };
  }
}
