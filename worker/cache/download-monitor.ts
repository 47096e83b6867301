// Wraps the worker's fetch so a model load can be followed in bytes and its
// failures named by file. WebLLM offers no fetch hook and reports progress per
// finished shard (and stringifies fetch errors), so the worker's global fetch
// is the one place where live byte counts and the failing URL are visible.

export type FetchFailureKind = 'network' | 'file-missing' | 'http-error';

export interface FetchFailure {
  url: string;
  kind: FetchFailureKind;
  status: number | null;
}

export interface FetchObserver {
  /** Called when a request for `url` starts (again, on a retry). */
  onStart(url: string): void;
  /** Called as body bytes arrive. */
  onBytes(url: string, bytes: number): void;
  onFailure(failure: FetchFailure): void;
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return new URL(input, globalThis.location?.href).href;
  if (input instanceof URL) return input.href;
  return input.url;
}

/**
 * Returns a fetch that reports to whichever observer is current (none: plain
 * pass-through), and `fetchWhole`, which reports the start and failures of a
 * request but leaves its body alone: counting bytes as they arrive passes
 * every chunk through script, which on a fast connection costs throughput
 * (the caller then reports the bytes when the body is complete).
 */
export function createMonitoredFetch(baseFetch: typeof fetch): {
  fetch: typeof fetch;
  fetchWhole: typeof fetch;
  observe(observer: FetchObserver | null): void;
} {
  let observer: FetchObserver | null = null;

  const monitor = (countBody: boolean) => async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const current = observer;
    if (!current) return baseFetch(input, init);
    const url = urlOf(input);
    current.onStart(url);
    let response: Response;
    try {
      response = await baseFetch(input, init);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'AbortError')) {
        current.onFailure({ url, kind: 'network', status: null });
      }
      throw error;
    }
    if (!response.ok) {
      current.onFailure({ url, kind: response.status === 404 ? 'file-missing' : 'http-error', status: response.status });
      return response;
    }
    if (!response.body || !countBody) return response;
    const reader = response.body.getReader();
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          current.onBytes(url, value.byteLength);
          controller.enqueue(value);
        } catch (error) {
          // The connection dropped mid-body: name the file, then fail the read as before.
          if (!(error instanceof DOMException && error.name === 'AbortError')) current.onFailure({ url, kind: 'network', status: null });
          controller.error(error);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  return {
    fetch: monitor(true) as typeof fetch,
    fetchWhole: monitor(false) as typeof fetch,
    observe(next) {
      observer = next;
    },
  };
}
