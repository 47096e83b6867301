// Downloads a model's weight shards into WebLLM's IndexedDB cache before
// WebLLM loads it, so that WebLLM then finds every shard cached. Doing the
// download ourselves adds what WebLLM's own fetch lacks:
//   - resume: shards already cached are skipped (an interrupted load continues);
//   - integrity: each shard's byte length must match the tensor-cache manifest and
//     its content type must not be HTML (a static host's index.html fallback or a
//     captive portal answers 200 with a page; WebLLM would cache it as a shard);
//     a bad or truncated cached entry is dropped and fetched again;
//   - a storage check before the first byte is written;
//   - retries of transient failures (by the fetch passed in, and per shard).
import { del, set } from 'idb-keyval';
import type { StorageEstimate } from '../../protocol/contract';
import { ModelLoadError, unreachableMessage } from '../../protocol/errors';
import { backoff, DEFAULT_RETRY, sleep, type RetryPolicy } from './fetch-retry';
import { formatBytes } from '../../protocol/units';
import { cachedKeys, deleteCached, manifestUrl, parseManifest, readCached, shardUrls, writeCached, type TensorManifest } from './webllm-cache';
import { createRepairingStore } from '../../protocol/idb-store';

/** Shards we wrote (or checked) and found the right size, so later loads need not read them again. */
const verified = createRepairingStore('mistral-local-cache-meta', 'verified-shards');

export interface DownloadPlan {
  manifest: TensorManifest;
  shards: { url: string; nbytes: number; cached: boolean }[];
  bytesTotal: number;
  bytesCached: number;
}

export interface DownloadOptions {
  modelId: string;
  /** The model record's `model` URL (its weight folder). */
  modelUrl: string;
  fetch: typeof fetch;
  /**
   * The same fetch with the body's bytes not counted as they arrive (see
   * download-monitor.ts); used once shards arrive fast enough, and their bytes
   * are then reported by `onShardFetched`.
   */
  fetchWhole?: typeof fetch;
  onShardFetched?: (url: string, nbytes: number) => void;
  signal?: AbortSignal;
  estimate?: () => Promise<StorageEstimate | null>;
  /** Called once the plan is known (manifest read, cache checked). */
  onPlan?: (plan: DownloadPlan) => void;
  /** Called when a shard is stored (its bytes now count as present). */
  onShardStored?: (url: string, nbytes: number) => void;
  retry?: RetryPolicy;
  concurrency?: number;
}

function fileName(url: string): string {
  return new URL(url).pathname.split('/').pop() ?? url;
}

export function defaultEstimate(): Promise<StorageEstimate | null> {
  const storage = (globalThis.navigator as (Navigator & { storage?: StorageManager }) | undefined)?.storage;
  if (!storage?.estimate) return Promise.resolve(null);
  return storage.estimate().then((e: { usage?: number; quota?: number }) => ({ usage: e.usage ?? 0, quota: e.quota ?? Infinity }));
}

/** Fetches a model file; an unreachable host or an HTTP error ends the load with its kind. */
async function fetchOk(url: string, options: DownloadOptions, httpMessage: (status: number) => string, whole = false): Promise<Response> {
  let response: Response;
  try {
    response = await (whole ? options.fetchWhole! : options.fetch)(url, { signal: options.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ModelLoadError(unreachableMessage(url, `download ${fileName(url)}`), 'network', options.modelId, url);
  }
  if (!response.ok) throw new ModelLoadError(httpMessage(response.status), response.status === 404 ? 'file-missing' : 'http-error', options.modelId, url);
  return response;
}

/** Reads the manifest from the cache, or fetches it (not yet stored: nothing is written before the storage check). */
async function getManifest(options: DownloadOptions): Promise<{ manifest: TensorManifest; raw: unknown; fromCache: boolean }> {
  const url = manifestUrl(options.modelUrl);
  const cached = (await readCached('webllm/model', [url])).get(url);
  const fromCache = parseManifest(cached);
  if (fromCache) return { manifest: fromCache, raw: cached, fromCache: true };
  if (cached !== undefined) await deleteCached('webllm/model', [url]); // a broken manifest in the cache
  const response = await fetchOk(url, options, (status) => `${fileName(url)} for ${options.modelId} could not be downloaded (HTTP ${status}).`);
  const text = await response.text();
  const manifest = parseManifest(text);
  if (!manifest) {
    throw new ModelLoadError(`${fileName(url)} for ${options.modelId} is not a valid tensor-cache manifest (the host answered something else).`, 'corrupt-file', options.modelId, url);
  }
  return { manifest, raw: JSON.parse(text), fromCache: false };
}

/** The byte length of a cached record's data, or -1 when it is not binary (an HTML page stored as a shard). */
export function recordBytes(data: unknown): number {
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  return data instanceof ArrayBuffer ? data.byteLength : ArrayBuffer.isView(data) ? data.byteLength : -1;
}

/**
 * Which shards are really present. Every cached shard's length is checked
 * against the manifest before a load, whatever an earlier check found: a
 * record truncated or replaced since (by another app version, a damaged
 * profile, a hand edit) is dropped and fetched again. Shards are stored as
 * Blobs, so this reads no shard bytes: a Blob's size is known without reading
 * it (records an older version stored as ArrayBuffers are read once for it).
 */
async function planShards(modelUrl: string, manifest: TensorManifest): Promise<DownloadPlan['shards']> {
  const shards = shardUrls(modelUrl, manifest);
  const present = await cachedKeys('webllm/model', shards.map((s) => s.url));
  const out: DownloadPlan['shards'] = [];
  for (const shard of shards) {
    let cached = present.has(shard.url);
    if (cached) {
      const size = recordBytes((await readCached('webllm/model', [shard.url])).get(shard.url));
      if (size === shard.nbytes) await set(shard.url, shard.nbytes, verified);
      else {
        // Truncated, or an HTML page cached as a shard: drop it, fetch it again.
        await deleteCached('webllm/model', [shard.url]);
        await del(shard.url, verified);
        cached = false;
      }
    }
    out.push({ ...shard, cached });
  }
  return out;
}

/**
 * Fetches one shard and checks it; transient failures (including a body cut
 * short) are retried. The body is taken as a Blob: stored as it is, with no
 * copy into an ArrayBuffer and back, and its size is known without reading it.
 */
async function fetchShard(url: string, nbytes: number, options: DownloadOptions, whole: boolean): Promise<Blob> {
  const policy = options.retry ?? DEFAULT_RETRY;
  let lastProblem = '';
  let dropped = false;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) await sleep(backoff(attempt - 1, policy), options.signal);
    const response = await fetchOk(url, options, (status) => `${new URL(url).host} answered HTTP ${status} for ${fileName(url)}.`, whole);
    const type = response.headers.get('content-type') ?? '';
    if (/text\/html/i.test(type)) {
      await response.body?.cancel();
      lastProblem = `the host sent a web page (${type.split(';')[0]}) instead of model data`;
      dropped = false;
      continue;
    }
    let body: Blob;
    try {
      body = await response.blob();
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      lastProblem = 'the connection dropped mid-file';
      dropped = true;
      continue;
    }
    if (body.size === nbytes) {
      if (whole) options.onShardFetched?.(url, nbytes);
      return body;
    }
    lastProblem = `it has ${body.size} bytes where the manifest says ${nbytes}`;
    dropped = false;
  }
  // A connection that kept dropping is the network's fault, not the file's.
  if (dropped) throw new ModelLoadError(unreachableMessage(url, `finish downloading ${fileName(url)} (the connection dropped mid-file)`), 'network', options.modelId, url);
  throw new ModelLoadError(`${fileName(url)} of ${options.modelId} failed its integrity check: ${lastProblem}. Nothing bad was cached; retry later.`, 'corrupt-file', options.modelId, url);
}

/**
 * Makes sure every weight shard of the model is in WebLLM's cache, verified.
 * Resolves with the plan it carried out.
 */
export async function downloadWeights(options: DownloadOptions): Promise<DownloadPlan> {
  const { manifest, raw, fromCache } = await getManifest(options);
  const shards = await planShards(options.modelUrl, manifest);
  const bytesTotal = shards.reduce((n, s) => n + s.nbytes, 0);
  const bytesCached = shards.filter((s) => s.cached).reduce((n, s) => n + s.nbytes, 0);
  const plan: DownloadPlan = { manifest, shards, bytesTotal, bytesCached };
  const missing = shards.filter((s) => !s.cached);

  const needed = missing.reduce((n, s) => n + s.nbytes, 0);
  const estimate = needed > 0 ? await (options.estimate ?? defaultEstimate)() : null;
  if (estimate && needed > estimate.quota - estimate.usage) {
    throw new ModelLoadError(
        `Not enough storage for ${options.modelId}: it needs ${formatBytes(needed)} more, and this browser allows ${formatBytes(Math.max(0, estimate.quota - estimate.usage))} more ` +
          `(${formatBytes(estimate.usage)} of ${formatBytes(estimate.quota)} used). Free space (delete cached models or other site data) and retry. Nothing was written.`,
      'storage-full',
      options.modelId,
      null,
      needed,
      Math.max(0, estimate.quota - estimate.usage),
    );
  }
  /** Writes one file; running out of space is said with what is still needed. */
  const store = async (url: string, data: unknown) => {
    try {
      await writeCached('webllm/model', url, data);
    } catch (error) {
      if ((error as Error).name !== 'QuotaExceededError') throw error;
      // The browser's estimate was optimistic; say what is still needed.
      const left = missing.filter((m) => !m.cached).reduce((n, m) => n + m.nbytes, 0);
      throw new ModelLoadError(
        `Storage ran out while saving ${fileName(url)} of ${options.modelId}: ${formatBytes(left)} of weights still need space. ` +
          'Free space (delete cached models or other site data) and retry; finished files are kept.',
        'storage-full',
        options.modelId,
        url,
        left,
      );
    }
  };
  if (!fromCache) await store(manifestUrl(options.modelUrl), raw);
  options.onPlan?.(plan);

  let next = 0;
  const started = performance.now();
  let fetched = 0;
  // Bodies are counted as they arrive until shards are seen to arrive about once a second or
  // faster; from then on they are fetched whole (progress still moves every second), which on
  // a fast host is where the throughput was going (157 → 168–187 MB/s in bench:storage).
  const fetchWhole = (nbytes: number) => options.fetchWhole !== undefined && fetched > 0 && nbytes / (fetched / ((performance.now() - started) / 1000)) <= 1;
  const worker = async () => {
    while (next < missing.length) {
      const shard = missing[next++]!;
      options.signal?.throwIfAborted();
      const data = await fetchShard(shard.url, shard.nbytes, options, fetchWhole(shard.nbytes));
      fetched += shard.nbytes;
      // A Blob: its size can be checked without reading it, and WebLLM (patched) reads its bytes once, at load.
      await store(shard.url, data);
      await set(shard.url, shard.nbytes, verified);
      shard.cached = true;
      options.onShardStored?.(shard.url, shard.nbytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, missing.length) }, worker));
  return plan;
}

/** Forgets verification marks (when a model's files are deleted). */
export async function forgetVerified(urls: string[]): Promise<void> {
  await Promise.all(urls.map((url) => del(url, verified)));
}
