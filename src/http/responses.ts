// JSON and error responses in a shape every client reads: OpenAI's clients
// (openai, the AI SDK, LangChain) take the error from `error`, Mistral's
// (@mistralai/mistralai, @ai-sdk/mistral, @langchain/mistralai) from the top
// level (`object: "error"`, `message`, `type`, `param`, `code`); the body has both.
import type { ApiErrorBody } from '../../protocol/contract';
import { errorTypeFor } from '../../protocol/errors';

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** The error body both dialects read. */
export function errorBody(status: number, error: Partial<ApiErrorBody> & { message: string }): { error: ApiErrorBody } & ApiErrorBody & { object: 'error' } {
  const body: ApiErrorBody = { message: error.message, type: error.type ?? errorTypeFor(status), param: error.param ?? null, code: error.code ?? null };
  return { object: 'error', ...body, error: body };
}

export function errorResponse(status: number, error: Partial<ApiErrorBody> & { message: string }): Response {
  return json(status, errorBody(status, error));
}

type ErrorLike = { name?: string; message?: string; status?: number; type?: ApiErrorBody['type']; param?: string | null; code?: string | null };

/** Any error from the client as a status and error body (ApiErrors keep theirs). */
export function statusAndBody(error: unknown): { status: number; body: ReturnType<typeof errorBody> } {
  const e = error as ErrorLike | undefined;
  if (e?.name === 'ApiError' && typeof e.status === 'number') {
    return { status: e.status, body: errorBody(e.status, { message: e.message ?? 'Request failed.', type: e.type, param: e.param ?? null, code: e.code ?? null }) };
  }
  if (e?.name === 'EngineStoppedError') return { status: 503, body: errorBody(503, { message: e.message ?? 'The engine stopped.', code: 'engine_stopped' }) };
  return { status: 500, body: errorBody(500, { message: `The local engine failed: ${e?.message ?? String(error)}`, type: 'server_error', code: 'engine_error' }) };
}

export function toErrorResponse(error: unknown): Response {
  const { status, body } = statusAndBody(error);
  return json(status, body);
}
