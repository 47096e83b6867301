// Runs one generation on the engine and yields OpenAI-shaped chunks. Both the
// streaming and the non-streaming API go through here, so abort, usage and
// timing behave the same for both.
import type { ChatCompletion, ChatCompletionChunk, FinishReason, GenerationStats, TokenLogprob, ToolCall, Usage } from '../../protocol/contract';
import type { ChatEngine } from '../engine/engine';
import type { Slot } from './request-queue';
import { StopGuard } from './stop-strings';

export const SYSTEM_FINGERPRINT = 'fp_webllm_0.2.86';

export function completionId(): string {
  return `chatcmpl-${crypto.randomUUID().replace(/-/g, '')}`;
}

/** WebLLM reports "abort" for interrupted generations; OpenAI has no such value. */
function mapFinishReason(reason: string | null | undefined): FinishReason | null {
  if (reason === null || reason === undefined) return null;
  if (reason === 'length' || reason === 'tool_calls') return reason;
  return 'stop';
}

export interface GenerationMeta {
  /** The model id the caller sent, echoed in every chunk. */
  model: string;
  loadedModelId: string;
  id: string;
  created: number;
  choiceIndex: number;
}

export interface GenerationResult {
  usage: Usage;
  stats: GenerationStats;
  aborted: boolean;
}

/** What the caller asked of the output that WebLLM does not do exactly as OpenAI does. */
export interface OutputRules {
  /** Stop strings, enforced on the streamed text (see stop-strings.ts). */
  stops: readonly string[];
  /** The top_logprobs the caller asked for; WebLLM was asked for at least 1 (it returns none with 0). */
  topLogprobs: number | null;
}

function trimTopLogprobs(tokens: TokenLogprob[], top: number | null): TokenLogprob[] {
  return top === null ? tokens : tokens.map((t) => ({ ...t, top_logprobs: t.top_logprobs.slice(0, top) }));
}

/** A streamed engine chunk: chat chunks carry `delta.content`, text-completion chunks `text`. */
export type RawChunk = {
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  choices: { delta?: { content?: string | null }; text?: string; finish_reason?: string | null; logprobs?: { content?: unknown } | null }[];
};

/**
 * Streams one choice. Abort (via the slot's signal) interrupts the engine at
 * once and again on every chunk, because WebLLM resets its interrupt flag when
 * a generation starts and would otherwise lose an abort sent during prefill.
 * The engine is always drained to its end, so its own lock is released. The
 * finishing chunk is held until the engine's usage has arrived, so `onDone`
 * has run (usage known) before the caller sees it.
 */
export async function* generateChoice(
  engine: ChatEngine,
  start: () => Promise<AsyncIterable<RawChunk>>,
  meta: GenerationMeta,
  slot: Slot,
  onDone: (result: GenerationResult) => void,
  output: OutputRules = { stops: [], topLogprobs: null },
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  const started = performance.now();
  let firstTokenAt: number | null = null;
  let usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let sentRole = false;
  let finishing: ChatCompletionChunk | null = null;
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    const totalMs = performance.now() - started;
    const decodeMs = firstTokenAt === null ? 0 : performance.now() - firstTokenAt;
    onDone({
      usage,
      aborted: slot.signal.aborted,
      stats: {
        requestId: slot.id,
        modelId: meta.loadedModelId,
        promptTokens: usage.prompt_tokens,
        completionTokens: usage.completion_tokens,
        timeToFirstTokenMs: firstTokenAt === null ? null : firstTokenAt - started,
        decodeTokensPerSecond: decodeMs > 0 && usage.completion_tokens > 1 ? ((usage.completion_tokens - 1) * 1000) / decodeMs : null,
        totalMs,
      },
    });
  };
  const interrupt = () => void engine.interruptGenerate();
  slot.signal.addEventListener('abort', interrupt);
  const guard = new StopGuard(output.stops);
  try {
    const stream = await start();
    for await (const raw of stream) {
      if (slot.signal.aborted) interrupt();
      if (raw.usage) {
        usage = { prompt_tokens: raw.usage.prompt_tokens, completion_tokens: raw.usage.completion_tokens, total_tokens: raw.usage.prompt_tokens + raw.usage.completion_tokens };
      }
      const choice = raw.choices[0];
      if (!choice || slot.signal.aborted) continue;
      const finish = mapFinishReason(choice.finish_reason);
      const content = guard.push(choice.delta?.content ?? choice.text ?? '') + (finish === null ? '' : guard.finish(finish));
      if (content === '' && finish === null && sentRole) continue;
      if (content !== '' && firstTokenAt === null) firstTokenAt = performance.now();
      const logprobs = choice.logprobs?.content ? { content: trimTopLogprobs(choice.logprobs.content as TokenLogprob[], output.topLogprobs), refusal: null } : null;
      const chunk: ChatCompletionChunk = {
        id: meta.id,
        object: 'chat.completion.chunk',
        created: meta.created,
        model: meta.model,
        system_fingerprint: SYSTEM_FINGERPRINT,
        choices: [{ index: meta.choiceIndex, delta: sentRole ? { content } : { role: 'assistant', content }, finish_reason: finish, logprobs }],
      };
      sentRole = true;
      if (finish !== null) finishing = chunk;
      else yield chunk;
    }
    report();
    if (finishing) yield finishing;
  } finally {
    slot.signal.removeEventListener('abort', interrupt);
    report();
  }
}

/** Folds a choice's chunks into a non-streaming completion choice. */
export function collectChoice(chunks: ChatCompletionChunk[], index: number): ChatCompletion['choices'][number] {
  let content = '';
  let finish: FinishReason = 'stop';
  const logprobs: TokenLogprob[] = [];
  const toolCalls: ToolCall[] = [];
  let sawLogprobs = false;
  for (const chunk of chunks) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    content += choice.delta.content ?? '';
    for (const { index: _, ...call } of choice.delta.tool_calls ?? []) toolCalls.push(call);
    if (choice.finish_reason) finish = choice.finish_reason;
    if (choice.logprobs?.content) {
      sawLogprobs = true;
      logprobs.push(...choice.logprobs.content);
    }
  }
  const message: ChatCompletion['choices'][number]['message'] =
    toolCalls.length > 0 ? { role: 'assistant', content: content === '' ? null : content, refusal: null, tool_calls: toolCalls } : { role: 'assistant', content, refusal: null };
  return { index, message, finish_reason: finish, logprobs: sawLogprobs ? { content: logprobs, refusal: null } : null };
}
