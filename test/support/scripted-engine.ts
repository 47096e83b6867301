// A deterministic stand-in for WebLLM's MLCEngine, for tests that need tokens
// on machines without a GPU or model weights. It implements the same ChatEngine
// interface and copies the WebLLM behaviours our API layer has to cope with:
// an interrupt flag reset when a generation starts, "abort" finish reasons,
// a role on every delta, usage chunks only on request, errors named like
// WebLLM's, and reload() resolving (not rejecting) when unload() cancels it.
// It never ships: only the e2e test build aliases worker/create-engine.ts to it.
import type { AppConfig, ChatEngine, EngineChunk, EngineCompletion, EngineRequest, EngineStreamingRequest, EngineNonStreamingRequest, InitProgressReport } from '../../worker/engine';

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

const WORDS = ['the', 'wind', 'carries', 'quiet', 'notes', 'over', 'old', 'stone', 'bridges', 'while', 'rivers', 'keep', 'time', 'and', 'light', 'falls', 'softly', 'on', 'green', 'hills'];

/**
 * The scripted reply: "Echo: <last user message>" then seeded filler words.
 * A prompt containing "[tokens=N]" asks for N tokens in all.
 */
export function scriptedReply(request: EngineRequest): string[] {
  const last = [...request.messages].reverse().find((m) => m.role === 'user');
  const prompt = typeof last?.content === 'string' ? last.content : '';
  const asked = /\[tokens=(\d+)\]/.exec(prompt);
  const seed = request.seed ?? hash(JSON.stringify(request.messages));
  const random = prng(Number(seed) + Math.round((request.temperature ?? 1) * 1000));
  const tokens = ['Echo:', ...prompt.split(/\s+/).filter(Boolean).map((w) => ` ${w}`)];
  const target = asked ? Number(asked[1]) : tokens.length + 24;
  while (tokens.length < target) tokens.push(` ${WORDS[Math.floor(random() * WORDS.length)]}`);
  return tokens.slice(0, Math.max(1, target));
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

  async reload(modelId: string | string[]): Promise<void> {
    await this.unload();
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
    this.loadedModel = id;
  }

  async unload(): Promise<void> {
    this.reloadCancelled = true;
    this.loadedModel = null;
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
    if (promptTokens > this.options.contextWindow) {
      throw namedError('ContextWindowSizeExceededError', `Prompt tokens exceed context window size: number of prompt tokens: ${promptTokens}; context window size: ${this.options.contextWindow}`);
    }
    const stream = this.generate(request, promptTokens, this.loadedModel);
    if (request.stream) return stream;
    let content = '';
    let finish: EngineChunk['choices'][number]['finish_reason'] = 'stop';
    let usage: EngineCompletion['usage'];
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice) {
        content += choice.delta.content ?? '';
        finish = choice.finish_reason ?? finish;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    return {
      id: crypto.randomUUID(),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: this.loadedModel,
      choices: [{ index: 0, finish_reason: finish ?? 'stop', logprobs: null, message: { role: 'assistant', content } }],
      usage,
    };
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
      const tokens = scriptedReply(request);
      const limit = request.max_tokens ?? Infinity;
      const stops = request.stop === undefined || request.stop === null ? [] : Array.isArray(request.stop) ? request.stop : [request.stop];
      let text = '';
      let emitted = 0;
      let finish: 'stop' | 'length' | 'abort' = 'stop';
      for (const token of tokens) {
        if (this.interruptSignal) {
          finish = 'abort';
          break;
        }
        if (emitted >= limit) {
          finish = 'length';
          break;
        }
        await sleep(this.options.tokenDelayMs);
        const next = text + token;
        const stopAt = stops.map((s) => next.indexOf(s)).filter((i) => i >= 0).sort((a, b) => a - b)[0];
        emitted++;
        if (stopAt !== undefined) {
          const delta = next.slice(text.length, stopAt);
          text = next.slice(0, stopAt);
          if (delta) yield this.chunk(id, created, model, delta, null, request);
          break;
        }
        text = next;
        yield this.chunk(id, created, model, token, null, request);
      }
      yield this.chunk(id, created, model, '', finish, request);
      if (request.stream_options?.include_usage) {
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

  private chunk(id: string, created: number, model: string, content: string, finish: 'stop' | 'length' | 'abort' | null, request: EngineRequest): EngineChunk {
    return {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: finish, logprobs: request.logprobs ? { content: [] } : null }],
    };
  }
}
