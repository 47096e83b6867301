// The main-thread side of the worker boundary: wraps the comlink remote in an
// OpenAI-style client. Streams arrive as a transferred ReadableStream and are
// handed to callers as async iterables; an AbortSignal cancels at any moment
// (queued, during prefill, or mid-stream).
import type * as Comlink from 'comlink';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, EngineApi, GenerationStats, StreamItem } from '../../protocol/contract';
import { ApiError, installTransferHandlers, RequestAbortedError } from '../../protocol/errors';

installTransferHandlers();

export interface RequestOptions {
  signal?: AbortSignal;
}

/** A streamed completion: iterate it with `for await`, or `abort()` it. */
export class ChunkStream implements AsyncIterable<ChatCompletionChunk> {
  private readonly reader: ReadableStreamDefaultReader<StreamItem>;
  private aborted = false;
  /** What the generation measured (time to first token, tokens/s); set when the stream has ended. */
  stats: GenerationStats | null = null;

  constructor(
    stream: ReadableStream<StreamItem>,
    signal?: AbortSignal,
    /** Rejects when the worker dies: a dead worker never ends its stream. */
    private readonly stopped?: Promise<never>,
  ) {
    this.reader = stream.getReader();
    signal?.addEventListener('abort', () => this.abort(), { once: true });
  }

  /** Stops the generation; the iteration then ends without error. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    void this.reader.cancel('aborted by the caller').catch(() => {});
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    try {
      while (true) {
        let step: ReadableStreamReadResult<StreamItem>;
        try {
          step = await (this.stopped ? Promise.race([this.reader.read(), this.stopped]) : this.reader.read());
        } catch (error) {
          if (this.aborted) return;
          throw reviveError(error);
        }
        if (step.done) return;
        if (step.value.object === 'engine.stats') this.stats = step.value.stats;
        else yield step.value;
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
export type EngineClient = Omit<NestedRemote<EngineApi>, 'chat'> & {
  chat: {
    completions: {
      create(request: ChatCompletionRequest & { stream: true }, options?: RequestOptions): Promise<ChunkStream>;
      create(request: ChatCompletionRequest & { stream?: false | null }, options?: RequestOptions): Promise<ChatCompletion>;
      create(request: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion | ChunkStream>;
    };
  };
};

/** Deeper than this, structured cloning (postMessage) itself overflows the stack. */
const MAX_REQUEST_DEPTH = 64;

/** The top-level parameter whose value nests deeper than `max`, found without recursion. */
export function tooDeepParam(request: object, max = MAX_REQUEST_DEPTH): string | null {
  for (const [key, value] of Object.entries(request)) {
    const stack: [unknown, number][] = [[value, 1]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (depth > max) return key;
      if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) stack.push([child, depth + 1]);
    }
  }
  return null;
}

/**
 * Builds the client over a comlink remote of the engine API (over a Worker's
 * connection, or a MessagePort in tests). Everything but `create` is the
 * remote itself; function arguments (progress, events) are proxied by the
 * transfer handler installed above. `stopped` rejects when the worker dies.
 */
export function createEngineClient(endpoint: Comlink.Remote<EngineApi>, stopped?: () => Promise<never>): EngineClient {
  const remote = endpoint as unknown as NestedRemote<EngineApi>;
  async function create(request: ChatCompletionRequest, options: RequestOptions = {}): Promise<ChatCompletion | ChunkStream> {
    const { signal } = options;
    if (signal?.aborted) throw new RequestAbortedError();
    const deep = typeof request === 'object' && request !== null ? tooDeepParam(request) : null;
    if (deep) throw new ApiError(`'${deep}' is nested more than ${MAX_REQUEST_DEPTH} levels deep.`, 400, deep, 'request_too_deep');
    const requestId = crypto.randomUUID();
    const onAbort = () => void remote.abort(requestId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await remote.chat.completions.create(request, { requestId });
      if (result instanceof ReadableStream) {
        const stream = new ChunkStream(result, signal, stopped?.());
        if (signal?.aborted) stream.abort();
        return stream;
      }
      return result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
  const { models, storage, gpu, events, abort, stats, ping } = remote;
  return { chat: { completions: { create: create as EngineClient['chat']['completions']['create'] } }, models, storage, gpu, events, abort, stats, ping };
}
