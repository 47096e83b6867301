// The main-thread side of the worker boundary: wraps the comlink remote in an
// OpenAI-style client. Streams arrive as a transferred ReadableStream and are
// handed to callers as async iterables; an AbortSignal cancels at any moment
// (queued, during prefill, or mid-stream).
import type * as Comlink from 'comlink';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, Completion, CompletionRequest, EmbeddingRequest, EngineApi, EngineStatsItem, GenerationStats } from '../../protocol/contract';
import { installTransferHandlers, RequestAbortedError } from '../../protocol/errors';
import { checkTransferable } from './request-check';

installTransferHandlers();

export interface RequestOptions {
  signal?: AbortSignal;
}

/** A streamed completion: iterate it with `for await`, or `abort()` it. */
export class ChunkStream<T = ChatCompletionChunk> implements AsyncIterable<T> {
  private readonly reader: ReadableStreamDefaultReader<T | EngineStatsItem>;
  private aborted = false;
  /** Why the worker stopped, if it stopped while this stream was open. */
  private stoppedBy: unknown = null;
  /** What `stopped`'s one handler reaches; let go when the stream ends (see the constructor). */
  private readonly link: { stream: ChunkStream<T> | null } = { stream: this };
  private readonly forgetSignal: () => void;
  /** What the generation measured (time to first token, tokens/s); set when the stream has ended. */
  stats: GenerationStats | null = null;

  constructor(
    stream: ReadableStream<T | EngineStatsItem>,
    signal?: AbortSignal,
    /** Rejects when the worker dies: a dead worker never ends its stream. */
    stopped?: Promise<never>,
  ) {
    this.reader = stream.getReader();
    // Taken off when the stream ends: a caller's signal may outlive many streams.
    const onAbort = () => this.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.forgetSignal = () => signal?.removeEventListener('abort', onAbort);
    // One handler per stream, not a Promise.race per read: `stopped` lives as long as the worker
    // and keeps every handler given to it (a race per read kept about 120 bytes a token in
    // Chromium 156, and in Node 20 the chunk too). This one reaches the stream only through
    // `link`, which abort() clears (the iteration's end calls it).
    const link = this.link;
    stopped?.catch((error: unknown) => link.stream?.stop(error));
  }

  /** The worker stopped: end the pending read, which then throws `error`. */
  private stop(error: unknown): void {
    this.stoppedBy = error;
    void this.reader.cancel('the engine stopped').catch(() => {});
  }

  /** Stops the generation; the iteration then ends without error. */
  abort(): void {
    this.link.stream = null;
    this.forgetSignal();
    if (this.aborted) return;
    this.aborted = true;
    void this.reader.cancel('aborted by the caller').catch(() => {});
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      while (true) {
        let step: ReadableStreamReadResult<T | EngineStatsItem>;
        try {
          step = await this.reader.read();
        } catch (error) {
          if (this.aborted) return;
          throw reviveError(error);
        }
        if (step.done) {
          if (this.stoppedBy !== null && !this.aborted) throw reviveError(this.stoppedBy);
          return;
        }
        const item = step.value as T | EngineStatsItem;
        if ((item as EngineStatsItem).object === 'engine.stats') this.stats = (item as EngineStatsItem).stats;
        else yield item as T;
      }
    } finally {
      // Leaving the loop early (break / return) cancels the generation too.
      this.abort();
    }
  }
}

/** Errors on a stream arrive as plain objects (structured clone); make them Errors again. */
export function reviveError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'object' && value !== null && 'message' in value) {
    return Object.assign(new Error(String((value as { message: unknown }).message)), value);
  }
  return new Error(String(value));
}

/** comlink proxies nested objects at run time (`remote.chat.completions.create()`), but types them as promises. */
type NestedRemote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : NestedRemote<T[K]>;
};

/** The engine API as callers use it: the worker's API, with streams as async iterables. */
export type EngineClient = Omit<NestedRemote<EngineApi>, 'chat' | 'completions'> & {
  chat: {
    completions: {
      create(request: ChatCompletionRequest & { stream: true }, options?: RequestOptions): Promise<ChunkStream>;
      create(request: ChatCompletionRequest & { stream?: false | null }, options?: RequestOptions): Promise<ChatCompletion>;
      create(request: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion | ChunkStream>;
    };
  };
  completions: {
    create(request: CompletionRequest & { stream: true }, options?: RequestOptions): Promise<ChunkStream<Completion>>;
    create(request: CompletionRequest & { stream?: false | null }, options?: RequestOptions): Promise<Completion>;
    create(request: CompletionRequest, options?: RequestOptions): Promise<Completion | ChunkStream<Completion>>;
  };
};

/**
 * Builds the client over a comlink remote of the engine API (over a Worker's
 * connection, or a MessagePort in tests). Everything but `create` is the
 * remote itself; function arguments (progress, events) are proxied by the
 * transfer handler installed above. `stopped` rejects when the worker dies.
 */
export function createEngineClient(endpoint: Comlink.Remote<EngineApi>, stopped?: () => Promise<never>): EngineClient {
  const remote = endpoint as unknown as NestedRemote<EngineApi>;
  /** One call that may stream: checked before it crosses, abortable by signal at any moment. */
  async function call<R, C>(send: (requestId: string) => Promise<R | ReadableStream<C | EngineStatsItem>>, request: unknown, options: RequestOptions): Promise<R | ChunkStream<C>> {
    const { signal } = options;
    if (signal?.aborted) throw new RequestAbortedError();
    checkTransferable(request);
    const requestId = crypto.randomUUID();
    const onAbort = () => void remote.abort(requestId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await send(requestId);
      if (result instanceof ReadableStream) {
        const stream = new ChunkStream<C>(result, signal, stopped?.());
        if (signal?.aborted) stream.abort();
        return stream;
      }
      return result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
  const chat = (request: ChatCompletionRequest, options: RequestOptions = {}) => call((requestId) => remote.chat.completions.create(request, { requestId }), request, options);
  const text = (request: CompletionRequest, options: RequestOptions = {}) => call((requestId) => remote.completions.create(request, { requestId }), request, options);
  const { models, storage, gpu, events, abort, stats, ping } = remote;
  const embeddings = {
    create: (request: EmbeddingRequest) => {
      checkTransferable(request);
      return remote.embeddings.create(request);
    },
  };
  return {
    chat: { completions: { create: chat as EngineClient['chat']['completions']['create'] } },
    completions: { create: text as EngineClient['completions']['create'] },
    embeddings,
    models,
    storage,
    gpu,
    events,
    abort,
    stats,
    ping,
  };
}
