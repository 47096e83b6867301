// A deterministic stand-in for WebLLM's MLCEngine, for tests that need tokens
// on machines without a GPU or model weights. It implements the same ChatEngine
// interface and copies the WebLLM behaviours our API layer has to cope with:
// an interrupt flag reset when a generation starts, "abort" finish reasons,
// a role on every delta, usage chunks only on request, errors named like
// WebLLM's, and reload() resolving (not rejecting) when unload() cancels it.
// It never ships: only the e2e test build aliases worker/create-engine.ts to it.
import type { LogitProcessor } from '@mlc-ai/web-llm';
import type { AppConfig, ChatEngine, EngineChunk, EngineCompletion, EngineEmbeddingRequest, EngineEmbeddingResponse, EngineNonStreamingRequest, EngineRequest, EngineStreamingRequest, EngineTextCompletion, EngineTextNonStreamingRequest, EngineTextRequest, EngineTextStreamingRequest, InitProgressReport } from '../../worker/engine/engine';
import { TITLE_INSTRUCTION } from '../../src/state/title-prompt';

export interface ScriptedEngineOptions {
  /** Milliseconds between tokens (0: as fast as the event loop allows). */
  tokenDelayMs?: number;
  /** Milliseconds the simulated prefill takes. */
  prefillDelayMs?: number;
  /** Number of progress steps reload() reports, and the delay between them. */
  loadSteps?: number;
  loadStepDelayMs?: number;
  /** Tokens in a reply when the prompt does not ask for a length. */
  defaultReplyTokens?: number;
  /** Context window in tokens (words here). */
  contextWindow?: number;
  /** Makes reload() fail with this error (after its progress steps). */
  failLoadWith?: () => Error;
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small seeded PRNG (mulberry32): same seed, same reply. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The scripted model's vocabulary: token id i is the word VOCAB[i] (decoded with a leading space). */
export const VOCAB = ['the', 'wind', 'carries', 'quiet', 'notes', 'over', 'old', 'stone', 'bridges', 'while', 'rivers', 'keep', 'time', 'and', 'light', 'falls', 'softly', 'on', 'green', 'hills'];

function lastUserText(request: EngineRequest): string {
  const last = [...request.messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
}

/** What the user wrote, without the tool definitions the API layer put in front of it. */
function promptText(request: EngineRequest): string {
  return lastUserText(request).replace(/\[AVAILABLE_TOOLS\][\s\S]*?\[\/AVAILABLE_TOOLS\]/, '');
}

/** A value that matches a (simple) JSON schema; `hint` picks among anyOf branches by tool name. */
export function exampleFor(schema: unknown, hint = ''): unknown {
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Record<string, unknown>;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const branches = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches)) {
    const named = branches.find((b) => {
      const name = (b as { properties?: { name?: { const?: string } } }).properties?.name?.const;
      return name !== undefined && hint.includes(name);
    });
    return exampleFor(named ?? branches[0], hint);
  }
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries((s.properties as Record<string, unknown>) ?? {})) out[key] = exampleFor(sub, hint);
      return out;
    }
    case 'array':
      return [exampleFor(s.items, hint)];
    case 'string':
      return 'Paris';
    case 'integer':
      return typeof s.minimum === 'number' ? s.minimum : 42;
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 21.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

/** Splits text into pieces of a few characters, as a tokenizer would stream them. */
function pieces(text: string, size = 6): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A reply with the shapes chat output takes: prose, a list, code, a table. */
export const MARKDOWN_REPLY = `Here is a small **TypeScript** helper that retries a request with *exponential backoff*:

\`\`\`ts
export async function retry<T>(task: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await task();
    } catch (error) {
      if (i + 1 >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 2 ** i * 250));
    }
  }
}
\`\`\`

Why it helps:

1. Transient failures (a dropped connection, a 503) often succeed on the next try.
2. Waiting longer each time avoids hammering a struggling server.
3. A cap on attempts keeps a real outage from hanging forever.

| attempt | wait |
|---:|---:|
| 1 | 250 ms |
| 2 | 500 ms |
| 3 | 1 s |

Use \`retry(() => fetch(url))\` wherever a request may fail for a moment.

`;

/**
 * "[long-list]", "[long-paragraph]", "[long-code]": the blocks a naive
 * streaming renderer chokes on (one block that keeps growing): a 500-item
 * list, a 300-line paragraph, a 400-line code block, each under 3,000 tokens.
 */
export const LONG_BLOCKS: Record<'list' | 'paragraph' | 'code', string> = {
  list: `A checklist:\n\n${Array.from({ length: 500 }, (_, i) => `- item ${i + 1}: **${['cache', 'queue', 'retry', 'index'][i % 4]}** \`s${i}\``).join('\n')}\n\nDone.`,
  paragraph: `${Array.from({ length: 300 }, (_, i) => `Line ${i + 1} goes on with *emphasis* and [a link](https://example.com/${i})`).join('\n')}\n\nDone.`,
  code: `The module:\n\n${['```ts', ...Array.from({ length: 400 }, (_, i) => `export const v${i} = compute(${i}, "item-${i}");`), '```'].join('\n')}\n\nDone.`,
};

interface Step {
  text: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

export class ScriptedEngine implements ChatEngine {
  private appConfig: AppConfig;
  private loadedModel: string | null = null;
  private progressCallback: ((report: InitProgressReport) => void) | undefined;
  private interruptSignal = false;
  private reloadCancelled = false;
  private lock: Promise<void> = Promise.resolve();
  private readonly options: Required<Omit<ScriptedEngineOptions, 'failLoadWith'>> & Pick<ScriptedEngineOptions, 'failLoadWith'>;
  /** Every request the engine received, for assertions. */
  readonly requests: EngineRequest[] = [];
  /** For each token the engine generated, the first word of its request's prompt: what ran when, at the engine. */
  readonly emissions: string[] = [];
  /** Every text-completion prompt the engine received (WebLLM's `completion`), for assertions. */
  readonly prompts: EngineTextRequest[] = [];

  /**
   * As in WebLLM: the loaded model's pipeline, whose `logitProcessor` (set
   * from outside, see worker/engine/logit-processor.ts) runs on each token.
   */
  readonly loadedModelIdToPipeline = new Map<string, { logitProcessor?: LogitProcessor }>();
  /** How many times a logit processor ran, for assertions. */
  logitProcessorCalls = 0;

  constructor(appConfig: AppConfig, options: ScriptedEngineOptions = {}) {
    this.appConfig = appConfig;
    this.options = {
      tokenDelayMs: options.tokenDelayMs ?? 0,
      prefillDelayMs: options.prefillDelayMs ?? 0,
      loadSteps: options.loadSteps ?? 4,
      loadStepDelayMs: options.loadStepDelayMs ?? 0,
      defaultReplyTokens: options.defaultReplyTokens ?? 24,
      contextWindow: options.contextWindow ?? 4096,
      failLoadWith: options.failLoadWith,
    };
  }

  setAppConfig(appConfig: AppConfig): void {
    this.appConfig = appConfig;
  }

  setInitProgressCallback(callback: (report: InitProgressReport) => void): void {
    this.progressCallback = callback;
  }

  /** The window the loaded model's KV cache has: the chat option (as WebLLM's), else `contextWindow`. */
  private window = 4096;
  /** The chat options of the last reload (tests check what reached WebLLM). */
  lastChatOpts: { context_window_size?: number } | undefined;

  async reload(modelId: string | string[], chatOpts?: { context_window_size?: number } | { context_window_size?: number }[]): Promise<void> {
    await this.unload();
    this.lastChatOpts = Array.isArray(chatOpts) ? chatOpts[0] : chatOpts;
    this.reloadCancelled = false;
    const id = Array.isArray(modelId) ? modelId[0]! : modelId;
    if (!this.appConfig.model_list.some((r) => r.model_id === id)) {
      throw namedError('ModelNotFoundError', `Cannot find model record in appConfig for ${id}.`);
    }
    const steps = this.options.loadSteps;
    for (let i = 1; i <= steps; i++) {
      await sleep(this.options.loadStepDelayMs);
      if (this.reloadCancelled) return; // WebLLM's reload() also resolves when unload() aborts it.
      this.progressCallback?.({ progress: i / steps, timeElapsed: 0, text: `Loading scripted model [${i}/${steps}]` });
    }
    if (this.options.failLoadWith) throw this.options.failLoadWith();
    // Browser tests inject a load failure from outside the worker (Playwright's worker.evaluate).
    const injected = (globalThis as { __scriptedLoadFault?: string }).__scriptedLoadFault;
    if (injected) throw namedError(injected, `Injected load failure: ${injected}`);
    this.loadedModelIdToPipeline.clear();
    this.loadedModel = id;
    this.loadedModelIdToPipeline.set(id, {});
    this.window = this.lastChatOpts?.context_window_size ?? this.options.contextWindow;
  }

  /**
   * A deterministic embedder in WebLLM's shape (the real one is a BERT-style
   * model): each word (lower-cased, a plural "s" dropped) adds to two hashed
   * dimensions, so texts sharing words point the same way. Unnormalised, as
   * WebLLM returns them; 384 dimensions for the "-s-" model, 768 for "-m-".
   */
  async embedding(request: EngineEmbeddingRequest): Promise<EngineEmbeddingResponse> {
    const id = request.model ?? this.loadedModel;
    if (!id || id !== this.loadedModel) throw namedError('ModelNotLoadedError', `Model not loaded before calling embedding: ${id}.`);
    const dims = id.includes('-m-') ? 768 : 384;
    const raw = request.input;
    const items: (string | number[])[] = typeof raw === 'string' ? [raw] : raw.length > 0 && typeof raw[0] === 'number' ? [raw as number[]] : (raw as (string | number[])[]);
    let tokens = 0;
    const data = items.map((item, index) => {
      const words = typeof item === 'string' ? item.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [] : item.map(String);
      if (words.length + 2 > 512) throw namedError('EmbeddingExceedContextWindowSizeError', `The embedding model's context window size is 512, but the input has ${words.length + 2} tokens.`);
      tokens += words.length + 2;
      const vector = new Array<number>(dims).fill(0);
      for (const w of words.map((x) => (x.length > 3 ? x.replace(/s$/, '') : x))) {
        vector[hash(w) % dims]! += 1;
        vector[hash(`${w}#`) % dims]! += 0.5;
      }
      vector[0]! += 0.01; // never all zeros
      return { object: 'embedding' as const, index, embedding: vector };
    });
    return { object: 'list', data, model: id, usage: { prompt_tokens: tokens, total_tokens: tokens, extra: { prefill_tokens_per_s: 1000 } } };
  }

  async unload(): Promise<void> {
    this.reloadCancelled = true;
    this.loadedModel = null;
    this.loadedModelIdToPipeline.clear();
  }

  interruptGenerate(): void {
    this.interruptSignal = true;
  }

  async runtimeStatsText(): Promise<string> {
    if (!this.loadedModel) throw namedError('ModelNotLoadedError', 'Model not loaded before calling runtimeStatsText.');
    return 'prefill: 100.0 tok/s, decode: 50.0 tok/s';
  }

  chatCompletion(request: EngineNonStreamingRequest): Promise<EngineCompletion>;
  chatCompletion(request: EngineStreamingRequest): Promise<AsyncIterable<EngineChunk>>;
  chatCompletion(request: EngineRequest): Promise<AsyncIterable<EngineChunk> | EngineCompletion>;
  async chatCompletion(request: EngineRequest): Promise<AsyncIterable<EngineChunk> | EngineCompletion> {
    if (!this.loadedModel) throw namedError('ModelNotLoadedError', 'Model not loaded before trying to complete ChatCompletionRequest.');
    this.requests.push(structuredClone(request));
    const promptTokens = request.messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.split(/\s+/).filter(Boolean).length : 0), 0) + 8;
    if (promptTokens > this.window) {
      throw namedError('ContextWindowSizeExceededError', `Prompt tokens exceed context window size: number of prompt tokens: ${promptTokens}; context window size: ${this.window}`);
    }
    const stream = this.generate(request, promptTokens, this.loadedModel);
    if (request.stream) return stream;
    let content = '';
    let finish: EngineChunk['choices'][number]['finish_reason'] = 'stop';
    let usage: EngineCompletion['usage'];
    const logprobs: NonNullable<NonNullable<EngineChunk['choices'][number]['logprobs']>['content']> = [];
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice) {
        content += choice.delta.content ?? '';
        finish = choice.finish_reason ?? finish;
        logprobs.push(...(choice.logprobs?.content ?? []));
      }
      if (chunk.usage) usage = chunk.usage;
    }
    return {
      id: crypto.randomUUID(),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: this.loadedModel,
      // As WebLLM's whole reply: every token's logprobs.
      choices: [{ index: 0, finish_reason: finish ?? 'stop', logprobs: request.logprobs ? { content: logprobs } : null, message: { role: 'assistant', content } }],
      usage,
    };
  }

  /**
   * WebLLM's text completion: the prompt is read as a chat whose user turn is
   * the text between the last [INST] and [/INST] (or the whole prompt), and the
   * reply streams as `text` chunks.
   */
  completion(request: EngineTextNonStreamingRequest): Promise<EngineTextCompletion>;
  completion(request: EngineTextStreamingRequest): Promise<AsyncIterable<EngineTextCompletion>>;
  completion(request: EngineTextRequest): Promise<AsyncIterable<EngineTextCompletion> | EngineTextCompletion>;
  async completion(request: EngineTextRequest): Promise<AsyncIterable<EngineTextCompletion> | EngineTextCompletion> {
    if (!this.loadedModel) throw namedError('ModelNotLoadedError', 'Model not loaded before trying to complete CompletionCreateParams.');
    this.prompts.push(structuredClone(request));
    const { prompt, ...sampling } = request;
    const turn = /\[INST\]((?:(?!\[INST\])[\s\S])*)\[\/INST\][^]*$/.exec(prompt)?.[1] ?? prompt;
    const chat = { ...sampling, messages: [{ role: 'user' as const, content: turn.trim() }] } as EngineRequest;
    const promptTokens = prompt.split(/\s+/).filter(Boolean).length;
    const model = this.loadedModel;
    const chunks = this.generate(chat, promptTokens, model);
    async function* asText(): AsyncGenerator<EngineTextCompletion> {
      for await (const chunk of chunks) {
        const choice = chunk.choices[0];
        yield {
          id: chunk.id,
          object: 'text_completion',
          created: chunk.created,
          model,
          choices: choice ? [{ index: 0, text: choice.delta.content ?? '', finish_reason: choice.finish_reason, logprobs: choice.logprobs }] : [],
          ...(chunk.usage ? { usage: chunk.usage } : {}),
        } as EngineTextCompletion;
      }
    }
    if (request.stream) return asText();
    let text = '';
    let last: EngineTextCompletion | undefined;
    for await (const c of asText()) {
      text += c.choices[0]?.text ?? '';
      last = c;
    }
    return { ...last!, choices: [{ index: 0, text, finish_reason: 'stop', logprobs: null }] } as EngineTextCompletion;
  }

  private async *generate(request: EngineRequest, promptTokens: number, model: string): AsyncGenerator<EngineChunk, void, undefined> {
    // Like WebLLM: one generation at a time, and the interrupt flag is reset once it starts.
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      this.interruptSignal = false;
      const id = crypto.randomUUID();
      const created = Math.floor(Date.now() / 1000);
      const started = Date.now();
      await sleep(this.options.prefillDelayMs);
      const decodeStart = Date.now();
      const steps = this.script(request, model);
      // "[delay=N]" in the prompt sets the milliseconds per token for this request.
      const askedDelay = /\[delay=(\d+(?:\.\d+)?)\]/.exec(lastUserText(request))?.[1];
      const tokenDelay = askedDelay === undefined ? this.options.tokenDelayMs : Number(askedDelay);
      const limit = request.max_tokens ?? Infinity;
      const stops = request.stop === undefined || request.stop === null ? [] : Array.isArray(request.stop) ? request.stop : [request.stop];
      let text = '';
      let emitted = 0;
      let finish: 'stop' | 'length' | 'abort' = 'stop';
      for (const step of steps) {
        if (this.interruptSignal) {
          finish = 'abort';
          break;
        }
        // "[device-lost]": as WebLLM on a lost GPU: the model is unloaded and the generation fails.
        if (emitted === 5 && lastUserText(request).includes('[device-lost]')) {
          this.loadedModel = null;
          this.loadedModelIdToPipeline.clear();
          throw namedError('Error', 'GPUBuffer used in submit while destroyed (device lost).');
        }
        if (emitted >= limit) {
          finish = 'length';
          break;
        }
        // Paced by schedule, not by one timer per token: timers are clamped to
        // >= 4 ms, and a fast stream (2,000 tokens/s) must still keep its rate.
        const due = decodeStart + (emitted + 1) * tokenDelay;
        const wait = due - Date.now();
        if (tokenDelay > 0 && wait >= 1) await sleep(wait);
        else if (tokenDelay > 0 && emitted % 32 === 0) await sleep(0);
        const next = text + step.text;
        this.emissions.push(promptText(request).trim().split(/\s+/)[0] ?? '');
        // As WebLLM 0.2.86: the decoded text is cut at the stop string (lastIndexOf), and
        // what was already streamed of it is not taken back.
        const stopAt = stops.map((s) => next.lastIndexOf(s)).find((i) => i >= 0);
        emitted++;
        if (stopAt !== undefined) {
          const delta = next.slice(0, stopAt).slice(text.length);
          if (delta) yield this.chunk(id, created, model, delta, null, request, step);
          break;
        }
        text = next;
        yield this.chunk(id, created, model, step.text, null, request, step);
      }
      yield this.chunk(id, created, model, '', finish, request);
      // Streams report usage when asked; a whole reply always carries it (as WebLLM).
      if (request.stream_options?.include_usage || !request.stream) {
        const seconds = Math.max(0.001, (Date.now() - started) / 1000);
        yield {
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: emitted,
            total_tokens: promptTokens + emitted,
            extra: { e2e_latency_s: seconds, prefill_tokens_per_s: 100, decode_tokens_per_s: emitted / seconds, time_to_first_token_s: 0, time_per_output_token_s: 0 },
          },
        };
      }
    } finally {
      release();
    }
  }

  private chunk(id: string, created: number, model: string, content: string, finish: 'stop' | 'length' | 'abort' | null, request: EngineRequest, step?: Step): EngineChunk {
    const bytes = (t: string) => Array.from(new TextEncoder().encode(t));
    // As WebLLM 0.2.86: per-token logprobs only when top_logprobs > 0, else an empty list.
    const logprobs = !request.logprobs
      ? null
      : !step || !((request.top_logprobs ?? 0) > 0)
        ? { content: [] }
        : {
            content: [
              {
                token: step.text,
                logprob: step.logprob,
                bytes: bytes(step.text),
                top_logprobs: step.top.slice(0, request.top_logprobs ?? 0).map((t) => ({ token: t.token, logprob: t.logprob, bytes: bytes(t.token) })),
              },
            ],
          };
    return {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: finish, logprobs }],
    };
  }

  /**
   * The reply, token by token. JSON mode and tool prompts get JSON; otherwise
   * "Echo: <prompt>" (forced) followed by words sampled from a seeded
   * distribution with the request's sampling parameters, the registered
   * logit processor (top_k / min_p) included. "[tokens=N]" in the prompt sets the length.
   */
  private *script(request: EngineRequest, model: string): Generator<Step> {
    const forced = (text: string): Step => ({ text, logprob: 0, top: [{ token: text, logprob: 0 }] });
    const prompt = promptText(request);
    // The app asking for a chat title: "[title=…]" in the question gives one; otherwise nothing
    // (the app then keeps the question's first line, so other tests see their titles unchanged).
    if (prompt.startsWith(TITLE_INSTRUCTION)) {
      const title = /\[title=([^\]]+)\]/.exec(prompt)?.[1];
      if (title) for (const p of pieces(title)) yield forced(p);
      return;
    }
    const schema = request.response_format?.type === 'json_object' ? request.response_format.schema : undefined;
    const toolsOffered = /\[AVAILABLE_TOOLS\]/.test(lastUserText(request));
    // JSON mode (any object, as the API maps it): an object about the prompt, as a model would write.
    const anyObject = schema === '{"type":"object"}';
    if (schema !== undefined && schema !== null && !anyObject) {
      for (const p of pieces(JSON.stringify(exampleFor(JSON.parse(schema), prompt)))) yield forced(p);
      return;
    }
    if (request.response_format?.type === 'json_object') {
      for (const p of pieces(JSON.stringify({ echo: prompt.trim() }))) yield forced(p);
      return;
    }
    // "[say]text[/say]": reply with exactly this text (to feed hostile output to the UI).
    const said = /\[say\]([\s\S]*)\[\/say\]/.exec(prompt);
    if (said) {
      for (const p of pieces(said[1]!, 3)) yield forced(p);
      return;
    }
    if (toolsOffered) {
      const defs = JSON.parse(/\[AVAILABLE_TOOLS\]([\s\S]*?)\[\/AVAILABLE_TOOLS\]/.exec(lastUserText(request))![1]!) as { function: { name: string; parameters: unknown } }[];
      const wanted = defs.find((d) => prompt.includes(d.function.name));
      if (wanted) {
        const call = [{ name: wanted.function.name, arguments: exampleFor(wanted.function.parameters, prompt) }];
        for (const p of pieces(`[TOOL_CALLS] ${JSON.stringify(call)}`)) yield forced(p);
        return;
      }
    }
    // "[params]": report what reached the engine (to check that settings are sent).
    if (prompt.includes('[params]')) {
      // The system prompt, as Mistral's template places it: at the start of the last user turn.
      const user = lastUserText(request);
      const system = user.includes('\n\n') ? user.slice(0, user.lastIndexOf('\n\n')) : '';
      const report = `temperature=${request.temperature} top_p=${request.top_p} max_tokens=${request.max_tokens} seed=${request.seed ?? 'none'} messages=${request.messages.length} system=${JSON.stringify(system)}`;
      for (const p of pieces(report)) yield forced(p);
      return;
    }
    // "[markdown]": a formatted reply (paragraphs, list, code, table), repeated up to [tokens=N].
    const long = /\[long-(list|paragraph|code)\]/.exec(prompt)?.[1] as keyof typeof LONG_BLOCKS | undefined;
    if (prompt.includes('[markdown]') || long) {
      const tokens = (long ? LONG_BLOCKS[long] : MARKDOWN_REPLY).match(/\s*\S+|\s+/g)!;
      const wanted = Number(/\[tokens=(\d+)\]/.exec(prompt)?.[1] ?? tokens.length);
      for (let i = 0; i < wanted; i++) yield forced(tokens[i % tokens.length]!);
      return;
    }
    const echo = ['Echo:', ...prompt.split(/\s+/).filter(Boolean).map((w) => ` ${w}`)];
    const asked = /\[tokens=(\d+)\]/.exec(prompt);
    const total = asked ? Number(asked[1]) : echo.length + this.options.defaultReplyTokens;
    for (const word of echo.slice(0, total)) yield forced(word);
    const random = prng(request.seed ?? hash(JSON.stringify(request.messages)));
    const counts = new Map<number, number>();
    const processor = this.loadedModelIdToPipeline.get(model)?.logitProcessor;
    processor?.resetState();
    for (let position = echo.length; position < total; position++) {
      let logits: Float32Array = new Float32Array(VOCAB.length);
      for (let v = 0; v < VOCAB.length; v++) logits[v] = (hash(`${prompt}|${position}|${v}`) / 2 ** 32) * 4;
      if (processor) {
        this.logitProcessorCalls++;
        logits = processor.processLogits(logits);
      }
      for (const [token, bias] of Object.entries(request.logit_bias ?? {})) if (Number(token) < VOCAB.length) logits[Number(token)]! += bias;
      for (const [token, count] of counts) {
        logits[token]! -= (request.frequency_penalty ?? 0) * count + (request.presence_penalty ?? 0);
        const rp = request.repetition_penalty ?? 1;
        logits[token] = logits[token]! > 0 ? logits[token]! / rp : logits[token]! * rp;
      }
      const temperature = request.temperature ?? 1;
      const scaled = Array.from(logits, (l) => l / Math.max(temperature, 1e-6));
      const max = Math.max(...scaled);
      const exps = scaled.map((l) => Math.exp(l - max));
      const sum = exps.reduce((a, b) => a + b, 0);
      const probs = exps.map((e) => e / sum);
      const order = probs.map((p, v) => [p, v] as const).sort((a, b) => b[0] - a[0]);
      let chosen = order[0]![1];
      if (temperature > 0) {
        // Nucleus: the smallest set of most likely tokens whose mass reaches top_p.
        const nucleus: (readonly [number, number])[] = [];
        let mass = 0;
        for (const entry of order) {
          if (entry[0] === 0) break;
          nucleus.push(entry);
          mass += entry[0];
          if (mass >= (request.top_p ?? 1)) break;
        }
        let r = random() * mass;
        chosen = nucleus[nucleus.length - 1]![1];
        for (const [p, v] of nucleus) {
          r -= p;
          if (r <= 0) {
            chosen = v;
            break;
          }
        }
      }
      counts.set(chosen, (counts.get(chosen) ?? 0) + 1);
      processor?.processSampledToken(chosen);
      yield {
        text: ` ${VOCAB[chosen]}`,
        logprob: Math.log(probs[chosen]!),
        top: order.filter(([p]) => p > 0).map(([p, v]) => ({ token: ` ${VOCAB[v]}`, logprob: Math.log(p) })),
      };
    }
  }
}
