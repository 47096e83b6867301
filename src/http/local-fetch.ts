// The OpenAI HTTP dialect, served in the page: a function with fetch's
// signature that answers POST /v1/chat/completions (JSON, or Server-Sent
// Events ending in `data: [DONE]`) and GET /v1/models from the local engine.
// Code written for a hosted Mistral endpoint works with only the base URL changed:
//   new OpenAI({ baseURL: 'http://local/v1', apiKey: 'local', fetch: createLocalFetch(engine), dangerouslyAllowBrowser: true })
import type { ApiErrorBody, ChatCompletionChunk, ChatCompletionRequest } from '../../protocol/contract';
import type { EngineClient } from '../engine/client';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function errorResponse(status: number, error: Partial<ApiErrorBody> & { message: string }): Response {
  const body: ApiErrorBody = {
    message: error.message,
    type: error.type ?? (status === 404 ? 'not_found_error' : status >= 500 ? 'server_error' : 'invalid_request_error'),
    param: error.param ?? null,
    code: error.code ?? null,
  };
  return json(status, { error: body });
}

/** Any error from the client as OpenAI's status + error body (ApiErrors keep theirs). */
function toErrorResponse(error: unknown): Response {
  const e = error as { name?: string; message?: string; status?: number; type?: ApiErrorBody['type']; param?: string | null; code?: string | null };
  if (e?.name === 'ApiError' && typeof e.status === 'number') {
    return errorResponse(e.status, { message: e.message ?? 'Request failed.', type: e.type, param: e.param ?? null, code: e.code ?? null });
  }
  return errorResponse(500, { message: `The local engine failed: ${e?.message ?? String(error)}`, type: 'server_error', code: 'engine_error' });
}

function abortError(): DOMException {
  return new DOMException('The operation was aborted.', 'AbortError');
}

const encoder = new TextEncoder();

/**
 * Chunks as Server-Sent Events. Cancelling the body stops the generation; so
 * does the request's signal, which also errors the body with AbortError, as a
 * network fetch's body does.
 */
function sseBody(chunks: AsyncIterable<ChatCompletionChunk> & { abort(): void }, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      signal?.addEventListener(
        'abort',
        () => {
          chunks.abort();
          controller.error(abortError());
        },
        { once: true },
      );
    },
    async pull(controller) {
      try {
        const step = await iterator.next();
        if (step.done) {
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(step.value)}\n\n`));
      } catch (error) {
        // Mid-stream failures arrive as an error event, as OpenAI sends them.
        const body = (await toErrorResponse(error).json()) as unknown;
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(body)}\n\n`));
        controller.close();
      }
    },
    cancel() {
      chunks.abort();
    },
  });
}

/** Builds the fetch function over an engine client. Paths are matched by suffix, so any base URL ending in /v1 works. */
export function createLocalFetch(client: EngineClient): typeof fetch {
  async function localFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : String(input), 'http://local');
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const signal = init.signal ?? request?.signal ?? undefined;
    if (signal?.aborted) throw abortError();
    const path = url.pathname.replace(/\/+$/, '');

    if (path.endsWith('/models') || /\/models\/[^/]+$/.test(path)) {
      if (method !== 'GET') return errorResponse(405, { message: `Method ${method} is not allowed on ${path}.`, code: 'method_not_allowed' });
      const list = await client.models.list();
      const created = 0;
      const data = list.data.map((m) => ({ ...m, created }));
      if (path.endsWith('/models')) return json(200, { object: 'list', data });
      const id = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
      const model = data.find((m) => m.id === id);
      return model ? json(200, model) : errorResponse(404, { message: `The model '${id}' does not exist.`, param: 'model', code: 'model_not_found' });
    }

    if (!path.endsWith('/chat/completions')) {
      return errorResponse(404, { message: `Unknown endpoint ${method} ${path}. This local server offers POST /v1/chat/completions and GET /v1/models.`, code: 'unknown_url' });
    }
    if (method !== 'POST') return errorResponse(405, { message: `Use POST for ${path}.`, code: 'method_not_allowed' });

    let body: unknown;
    try {
      const text = init.body !== undefined && init.body !== null ? await new Response(init.body).text() : request ? await request.text() : '';
      body = JSON.parse(text);
    } catch {
      return errorResponse(400, { message: 'The request body is not valid JSON.', code: 'invalid_json' });
    }

    try {
      const result = await client.chat.completions.create(body as ChatCompletionRequest, { signal });
      if (Symbol.asyncIterator in result) {
        return new Response(sseBody(result, signal), {
          status: 200,
          headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
        });
      }
      return json(200, result);
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw abortError();
      return toErrorResponse(error);
    }
  }
  return localFetch as typeof fetch;
}
