// The OpenAI / Mistral HTTP dialect, served in the page: a function with
// fetch's signature that answers POST /v1/chat/completions and
// POST /v1/completions (JSON, or Server-Sent Events ending in `data: [DONE]`),
// POST /v1/embeddings and GET /v1/models[/{id}] from the local engine. Code written for a hosted
// Mistral endpoint works with only the base URL changed:
//   new OpenAI({ baseURL: 'http://local/v1', apiKey: 'local', fetch: createLocalFetch(engine), dangerouslyAllowBrowser: true })
//   new Mistral({ serverURL: 'http://local', httpClient: new HTTPClient({ fetcher: createLocalFetch(engine) }) })
import type { EngineClient } from '../engine/client';
import { aliasCard, modelCards } from './model-cards';
import { errorResponse, json, toErrorResponse } from './responses';
import { sseBody } from './sse';

function abortError(): DOMException {
  return new DOMException('The operation was aborted.', 'AbortError');
}

async function readJson(input: RequestInfo | URL, init: RequestInit): Promise<{ ok: true; body: unknown } | { ok: false }> {
  try {
    const request = input instanceof Request ? input : null;
    const text = init.body !== undefined && init.body !== null ? await new Response(init.body).text() : request ? await request.text() : '';
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

async function models(client: EngineClient, path: string): Promise<Response> {
  const cards = modelCards((await client.models.list()).data);
  if (path.endsWith('/models')) return json(200, { object: 'list', data: cards });
  const id = decodeURIComponent(path.slice(path.indexOf('/models/') + '/models/'.length));
  const known = cards.find((m) => m.id === id);
  if (known) return json(200, known);
  // Any other name the chat endpoint would accept (case, a ":free" suffix, a family name).
  try {
    return json(200, aliasCard(id, await client.models.resolve(id)));
  } catch (error) {
    return toErrorResponse(error);
  }
}

/** Builds the fetch function over an engine client. Paths are matched by suffix, so any base URL (with or without /v1) works. */
export function createLocalFetch(client: EngineClient): typeof fetch {
  async function localFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : String(input), 'http://local');
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const signal = init.signal ?? request?.signal ?? undefined;
    if (signal?.aborted) throw abortError();
    const path = url.pathname.replace(/\/+$/, '');

    if (/\/models(\/.+)?$/.test(path) && !path.includes('/chat/')) {
      if (method !== 'GET') return errorResponse(405, { message: `Method ${method} is not allowed on ${path}.`, code: 'method_not_allowed' });
      return models(client, path);
    }
    const chat = path.endsWith('/chat/completions');
    const embeddings = path.endsWith('/embeddings');
    if (!chat && !embeddings && !path.endsWith('/completions')) {
      return errorResponse(404, {
        message: `Unknown endpoint ${method} ${path}. This local server offers POST /v1/chat/completions, POST /v1/completions, POST /v1/embeddings and GET /v1/models.`,
        code: 'unknown_url',
      });
    }
    if (method !== 'POST') return errorResponse(405, { message: `Use POST for ${path}.`, code: 'method_not_allowed' });

    const parsed = await readJson(input, init);
    if (!parsed.ok) return errorResponse(400, { message: 'The request body is not valid JSON.', code: 'invalid_json' });

    try {
      if (embeddings) return json(200, await client.embeddings.create(parsed.body as Parameters<EngineClient['embeddings']['create']>[0]));
      const result = chat
        ? await client.chat.completions.create(parsed.body as Parameters<EngineClient['chat']['completions']['create']>[0], { signal })
        : await client.completions.create(parsed.body as Parameters<EngineClient['completions']['create']>[0], { signal });
      if (Symbol.asyncIterator in result) {
        return new Response(sseBody(result, signal), { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } });
      }
      return json(200, result);
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw abortError();
      return toErrorResponse(error);
    }
  }
  return localFetch as typeof fetch;
}
