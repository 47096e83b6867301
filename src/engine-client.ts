// The main-thread side of the worker boundary: wraps the comlink remote in an
// OpenAI-style client. Streams arrive as a transferred ReadableStream and are
// handed to callers as async iterables; an AbortSignal cancels at any moment
// (queued, during prefill, or mid-stream).
import * as Comlink from 'comlink';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, EngineApi } from '../worker/contract';
import { ApiError, installErrorTransfer, RequestAbortedError } from '../worker/errors';

installErrorTransfer();

export interface RequestOptions {
  signal?: AbortSignal;
}

/** A streamed completion: iterate it with `for await`, or `abort()` it. */
export class ChunkStream implements AsyncIterable<ChatCompletionChunk> {
  private readonly reader: ReadableStreamDefaultReader<ChatCompletionChunk>;
  private aborted = false;

  constructor(
    stream: ReadableStream<ChatCompletionChunk>,
    signal?: AbortSignal,
    private readonly guard: <T>(p: Promise<T>) => Promise<T> = (p) => p,
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
        let step: ReadableStreamReadResult<ChatCompletionChunk>;
        try {
          // A dead worker never ends its stream: the guard rejects instead.
          step = await this.guard(this.reader.read());
        } catch (error) {
          if (this.aborted) return;
          throw reviveError(error);
        }
        if (step.done) return;
        yield step.value;
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

/** The engine API as callers use it: the worker's API, with streams as async iterables. */
export type EngineClient = Omit<EngineApi, 'chat' | 'ping'> & {
  chat: {
    completions: {
      create(request: ChatCompletionRequest & { stream: true }, options?: RequestOptions): Promise<ChunkStream>;
      create(request: ChatCompletionRequest & { stream?: false | null }, options?: RequestOptions): Promise<ChatCompletion>;
      create(request: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion | ChunkStream>;
    };
  };
};

/** The comlink remote with every call's promise passed through `guard` (at any depth, as comlink paths go). */
function guarded<T>(remote: T, guard: <R>(p: Promise<R>) => Promise<R>): T {
  return new Proxy(function () {}, {
    // Not a thenable: `await guarded(...)` must not call through.
    get: (_, key) => (key === 'then' ? undefined : guarded((remote as Record<PropertyKey, unknown>)[key], guard)),
    apply: (_, __, args) => guard((remote as (...a: unknown[]) => Promise<unknown>)(...args)),
  }) as T;
}

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

/** comlink proxies nested objects at run time (`remote.chat.completions.create()`), but types them as promises. */
type NestedRemote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : NestedRemote<T[K]>;
};

/**
 * Builds the client over any comlink endpoint to the engine API (a Worker, or
 * a MessagePort in tests). `stopped` rejects when the worker dies: comlink's
 * promises would otherwise stay pending forever, so every call races it.
 */
export function createEngineClient(endpoint: Comlink.Remote<EngineApi>, stopped?: Promise<never>): EngineClient {
  const raw = endpoint as unknown as NestedRemote<EngineApi>;
  stopped?.catch(() => {});
  const guard = <T>(p: Promise<T>): Promise<T> => (stopped ? Promise.race([p, stopped]) : p);
  const remote = guarded(raw, guard);
  async function create(request: ChatCompletionRequest, options: RequestOptions = {}): Promise<ChatCompletion | ChunkStream> {
    const { signal } = options;
    if (signal?.aborted) throw new RequestAbortedError();
    const deep = typeof request === 'object' && request !== null ? tooDeepParam(request) : null;
    if (deep) throw new ApiError(`'${deep}' is nested more than ${MAX_REQUEST_DEPTH} levels deep.`, 400, deep, 'request_too_deep');
    const requestId = crypto.randomUUID();
    const onAbort = () => void remote.abort(requestId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = (await remote.chat.completions.create(request, { requestId })) as ChatCompletion | ReadableStream<ChatCompletionChunk>;
      if (result instanceof ReadableStream) {
        const stream = new ChunkStream(result, signal, guard);
        if (signal?.aborted) stream.abort();
        return stream;
      }
      return result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    chat: { completions: { create: create as EngineClient['chat']['completions']['create'] } },
    models: {
      list: () => remote.models.list(),
      load: (modelId, onProgress, options) => remote.models.load(modelId, onProgress ? Comlink.proxy(onProgress) : undefined, options),
      unload: () => remote.models.unload(),
      cancelLoad: () => remote.models.cancelLoad(),
      addCustom: (input) => remote.models.addCustom(input),
      removeCustom: (modelId) => remote.models.removeCustom(modelId),
    },
    storage: {
      report: () => remote.storage.report(),
      isCached: (modelId) => remote.storage.isCached(modelId),
      deleteModel: (modelId) => remote.storage.deleteModel(modelId),
    },
    gpu: () => remote.gpu(),
    events: (listener) => remote.events(Comlink.proxy(listener)),
    stats: () => remote.stats(),
    abort: (requestId) => remote.abort(requestId),
  };
}
