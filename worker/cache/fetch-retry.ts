// Retries transient network failures with exponential backoff. WebLLM's shard
// fetch has no retry: one dropped request fails a multi-gigabyte load.
// Only idempotent GETs are retried; 4xx answers (a missing file) are final.

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 500, maxDelayMs: 8000 };

const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export function isTransient(error: unknown, response?: Response): boolean {
  if (response) return TRANSIENT_STATUS.has(response.status);
  return error instanceof TypeError; // fetch's network failure
}

/** Waits `ms`, or rejects at once with the signal's AbortError. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
      },
      { once: true },
    );
  });
}

export function backoff(attempt: number, policy: RetryPolicy): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return exp / 2 + Math.random() * (exp / 2); // jitter: many tabs must not retry in lockstep
}

export function withRetry(fetchImpl: typeof fetch, policy: RetryPolicy = DEFAULT_RETRY): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method !== 'GET') return fetchImpl(input, init);
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetchImpl(input, init);
        if (attempt >= policy.retries || !isTransient(null, response)) return response;
        const retryAfter = Number(response.headers.get('retry-after'));
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, policy.maxDelayMs) : backoff(attempt, policy), init?.signal);
      } catch (error) {
        if (attempt >= policy.retries || !isTransient(error)) throw error;
        await sleep(backoff(attempt, policy), init?.signal);
      }
    }
  }) as typeof fetch;
}
