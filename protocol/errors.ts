// Typed errors that cross the worker boundary. Callers branch on `name`
// (and on `kind` / `code`), never on message text.
import * as Comlink from 'comlink';
import type { ApiErrorBody, LoadFailureKind } from './contract';

/** OpenAI's error `type` for an HTTP status: the one table both the API and the fetch adapter use. */
export function errorTypeFor(status: number): ApiErrorBody['type'] {
  if (status === 404) return 'not_found_error';
  if (status === 503) return 'service_unavailable';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** A request the API refuses, shaped like OpenAI's error object. */
export class ApiError extends Error {
  override name = 'ApiError' as const;
  constructor(
    message: string,
    readonly status: number,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type: ApiErrorBody['type'] = errorTypeFor(status),
  ) {
    super(message);
  }

  toJSON(): { error: ApiErrorBody } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** Shorthand for a 400 naming the offending parameter. */
export function invalidParam(param: string, message: string, code = 'invalid_value'): ApiError {
  return new ApiError(message, 400, param, code);
}

/** A model load that failed, with a kind the UI can act on and the file involved. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError' as const;
  constructor(
    message: string,
    readonly kind: LoadFailureKind,
    readonly modelId: string,
    readonly url: string | null = null,
    /** For "storage-full": bytes the download needs and bytes the browser allows. */
    readonly bytesNeeded: number | null = null,
    readonly bytesFree: number | null = null,
  ) {
    super(message);
  }
}

/** The engine worker died (crashed, killed, or stopped answering); what was pending fails with this. */
export class EngineStoppedError extends Error {
  override name = 'EngineStoppedError' as const;
  constructor(message = 'The engine stopped unexpectedly (the worker crashed or stopped answering). Restart it to continue.') {
    super(message);
  }
}

/** The caller aborted the request (same name as DOM's AbortError, so fetch-style code works). */
export class RequestAbortedError extends Error {
  override name = 'AbortError' as const;
  constructor(message = 'The request was aborted.') {
    super(message);
  }
}

const ERROR_FIELDS = ['status', 'param', 'code', 'type', 'kind', 'modelId', 'url', 'bytesNeeded', 'bytesFree'] as const;

/**
 * An error as a plain, structured-cloneable object with our typed fields:
 * structured clone (postMessage, a stream's error) keeps none of them on an Error.
 */
export function toPlainError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const plain: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  for (const key of ERROR_FIELDS) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined) plain[key] = value;
  }
  return plain;
}

/**
 * comlink's transfer handlers, installed on both sides of the boundary:
 * - "throw": comlink's default keeps only name, message and stack, which
 *   would drop `param`, `code` and `kind`; this one keeps our typed fields.
 * - "callback": a function passed as an argument (load progress, event
 *   listeners) crosses as a comlink proxy, so callers pass plain functions.
 */
export function installTransferHandlers(): void {
  const original = Comlink.transferHandlers.get('throw')!;
  Comlink.transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize(thrown: unknown) {
      const value = (thrown as { value: unknown }).value;
      if (value instanceof Error) return [{ isError: true, value: toPlainError(value) }, []];
      return original.serialize(thrown);
    },
    // The default deserializer already copies every field back onto an Error.
    deserialize: original.deserialize,
  });
  const proxy = Comlink.transferHandlers.get('proxy')!;
  Comlink.transferHandlers.set('callback', {
    canHandle: (value: unknown): value is (...args: unknown[]) => unknown => typeof value === 'function' && !(Comlink.proxyMarker in value),
    serialize: (fn: (...args: unknown[]) => unknown) => proxy.serialize(Comlink.proxy(fn)),
    deserialize: proxy.deserialize,
  });
}

/** The sentence every "host unreachable" failure uses, so the user reads one wording. */
export function unreachableMessage(url: string, what: string, advice = 'Check your connection and retry; finished files are kept.'): string {
  let host = 'the model host';
  try {
    host = new URL(url).host;
  } catch {
    // Not a URL: keep the generic name.
  }
  return `Could not reach ${host} to ${what}. ${advice}`;
}

/** True for an error (local or deserialized) whose name marks it as one of ours. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === 'ApiError';
}
export function isModelLoadError(error: unknown): error is ModelLoadError {
  return error instanceof Error && error.name === 'ModelLoadError';
}
export function isEngineStopped(error: unknown): boolean {
  return error instanceof Error && error.name === 'EngineStoppedError';
}
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
