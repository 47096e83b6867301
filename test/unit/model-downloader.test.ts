// The weight download against a real HTTP server (with injected faults) and
// a fresh fake IndexedDB per test, in WebLLM's own cache format.
import { hasModelInCache, prebuiltAppConfig } from '@mlc-ai/web-llm';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMonitoredFetch } from '../../worker/cache/download-monitor';
import { withRetry } from '../../worker/cache/fetch-retry';
import { downloadWeights, type DownloadOptions } from '../../worker/cache/model-downloader';
import { allCachedUrls, manifestUrl, readCached, writeCached } from '../../worker/cache/webllm-cache';
import { manifestFor, shardBytes, startModelServer, TINY_MODEL, type ModelServer } from '../support/synthetic-model';

const FAST = { retries: 3, baseDelayMs: 2, maxDelayMs: 10 };
let server: ModelServer;
let modelUrl: string;

beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  server = await startModelServer();
  modelUrl = `${server.url}/mlc-ai/Synthetic-7B-q4f32_1-MLC`;
});
afterEach(() => server.close());

function options(extra: Partial<DownloadOptions> = {}): DownloadOptions {
  return { modelId: 'Synthetic-7B-q4f32_1-MLC', modelUrl, fetch: withRetry(fetch, FAST), retry: FAST, estimate: async () => ({ usage: 0, quota: 1e9 }), ...extra };
}
const shardRequests = () => server.requests.filter((p) => p.includes('params_shard'));
const shardUrl = (i: number) => `${modelUrl}/resolve/main/params_shard_${i}.bin`;
/** A cached shard's bytes (stored as a Blob). */
async function storedBytes(i: number): Promise<Uint8Array> {
  const data = (await readCached('webllm/model', [shardUrl(i)])).get(shardUrl(i));
  return new Uint8Array(data instanceof Blob ? await data.arrayBuffer() : (data as ArrayBuffer));
}

describe('downloadWeights', () => {
  it('stores the manifest and every shard in WebLLM format, so WebLLM sees the model as cached', async () => {
    const plan = await downloadWeights(options());
    expect(plan.bytesTotal).toBe(TINY_MODEL.shards * TINY_MODEL.shardBytes);
    expect(shardRequests()).toHaveLength(TINY_MODEL.shards);
    const stored = await readCached('webllm/model', [manifestUrl(modelUrl), shardUrl(0)]);
    expect(stored.get(manifestUrl(modelUrl))).toEqual(manifestFor(TINY_MODEL));
    // Shards are Blobs: their size is known without reading them; WebLLM (patched) reads the bytes at load.
    expect(stored.get(shardUrl(0))).toBeInstanceOf(Blob);
    expect(await storedBytes(0)).toEqual(shardBytes(0, TINY_MODEL.shardBytes));
    const appConfig = { ...prebuiltAppConfig, cacheBackend: 'indexeddb' as const, model_list: [{ model: modelUrl, model_id: 'Synthetic-7B-q4f32_1-MLC', model_lib: `${server.url}/lib.wasm` }] };
    expect(await hasModelInCache('Synthetic-7B-q4f32_1-MLC', appConfig)).toBe(true);
  });

  it('resumes: shards finished before an interruption are not fetched again', async () => {
    const controller = new AbortController();
    const stored: string[] = [];
    await expect(
      downloadWeights(
        options({
          signal: controller.signal,
          concurrency: 1,
          onShardStored: (url) => {
            stored.push(url);
            controller.abort();
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(stored).toEqual([shardUrl(0)]);
    server.requests.length = 0;
    const plan = await downloadWeights(options());
    expect(plan.bytesCached).toBe(TINY_MODEL.shardBytes);
    expect(shardRequests().map((p) => p.split('/').pop())).toEqual(['params_shard_1.bin', 'params_shard_2.bin']);
    // The manifest came from the cache this time.
    expect(server.requests.some((p) => p.endsWith('tensor-cache.json'))).toBe(false);
  });

  it('retries transient failures: connection resets, 503s and bodies cut short', async () => {
    server.fault('params_shard_0.bin', { kind: 'reset' }, 2);
    server.fault('params_shard_1.bin', { kind: 'status', status: 503 }, 2);
    server.fault('params_shard_2.bin', { kind: 'drop' }, 1);
    await downloadWeights(options());
    expect(shardRequests().filter((p) => p.endsWith('params_shard_0.bin'))).toHaveLength(3);
    expect(shardRequests().filter((p) => p.endsWith('params_shard_1.bin'))).toHaveLength(3);
    expect(shardRequests().filter((p) => p.endsWith('params_shard_2.bin'))).toHaveLength(2);
    expect((await allCachedUrls('webllm/model')).filter((u) => u.includes('params_shard'))).toHaveLength(3);
  });

  it('on a fast host, shards after the first are fetched whole (not counted chunk by chunk) and their bytes reported once complete; a body cut short is still retried', async () => {
    const monitor = createMonitoredFetch(withRetry(fetch, FAST));
    const counted = new Map<string, number>();
    const started: string[] = [];
    monitor.observe({ onStart: (url) => started.push(url), onBytes: (url, n) => counted.set(url, (counted.get(url) ?? 0) + n), onFailure: () => {} });
    const whole: [string, number][] = [];
    server.fault('params_shard_2.bin', { kind: 'drop' }, 1);
    await downloadWeights(options({ fetch: monitor.fetch, fetchWhole: monitor.fetchWhole, onShardFetched: (url, n) => whole.push([url, n]), concurrency: 1 }));
    // The first shard is counted as it arrives (no rate known yet); the local host is fast, so the rest come whole.
    expect(counted.get(shardUrl(0))).toBe(TINY_MODEL.shardBytes);
    expect(counted.has(shardUrl(1)) || counted.has(shardUrl(2))).toBe(false);
    expect(whole).toEqual([
      [shardUrl(1), TINY_MODEL.shardBytes],
      [shardUrl(2), TINY_MODEL.shardBytes],
    ]);
    // Fetched whole, the monitor still sees every start (the cut-short shard twice).
    expect(started.filter((u) => u === shardUrl(2))).toHaveLength(2);
    expect(await storedBytes(2)).toEqual(shardBytes(2, TINY_MODEL.shardBytes));
  });

  it('an HTML page answered with 200 is never cached as a shard; it is fetched again', async () => {
    server.fault('params_shard_1.bin', { kind: 'html' }, 1);
    await downloadWeights(options());
    expect(await storedBytes(1)).toEqual(shardBytes(1, TINY_MODEL.shardBytes));
  });

  it('a file that keeps failing its check fails the load naming it, and leaves no bad record', async () => {
    server.fault('params_shard_2.bin', { kind: 'truncate' }, 99);
    const error = await downloadWeights(options()).catch((e) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', kind: 'corrupt-file', url: shardUrl(2) });
    expect(error.message).toMatch(/params_shard_2\.bin .* 1024 bytes where the manifest says 2048/);
    expect(await allCachedUrls('webllm/model')).not.toContain(shardUrl(2));
  });

  it('a truncated entry already in the cache is detected, dropped and fetched again', async () => {
    await writeCached('webllm/model', manifestUrl(modelUrl), manifestFor(TINY_MODEL));
    await writeCached('webllm/model', shardUrl(0), new ArrayBuffer(100));
    await writeCached('webllm/model', shardUrl(1), shardBytes(1, TINY_MODEL.shardBytes).buffer);
    const plan = await downloadWeights(options());
    expect(plan.shards.map((s) => s.url.split('/').pop())).toEqual(['params_shard_0.bin', 'params_shard_1.bin', 'params_shard_2.bin']);
    expect(plan.bytesCached).toBe(TINY_MODEL.shardBytes); // only shard 1 was good
    expect(shardRequests().map((p) => p.split('/').pop())).toEqual(['params_shard_0.bin', 'params_shard_2.bin']);
    expect((await storedBytes(0)).byteLength).toBe(TINY_MODEL.shardBytes);
  });

  it('refuses before writing anything when the storage cannot hold the model, with the numbers', async () => {
    const error = await downloadWeights(options({ estimate: async () => ({ usage: 9000, quota: 10_000 }) })).catch((e) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', kind: 'storage-full', bytesNeeded: 3 * 2048, bytesFree: 1000 });
    expect(error.message).toMatch(/needs 6\.00 KB more, and this browser allows 1000 B more/);
    expect(await allCachedUrls('webllm/model')).toEqual([]);
    expect(shardRequests()).toHaveLength(0);
  });

  it('a missing manifest is a file-missing error naming the file', async () => {
    server.fault('tensor-cache.json', { kind: 'status', status: 404 });
    const error = await downloadWeights(options()).catch((e) => e);
    expect(error).toMatchObject({ kind: 'file-missing' });
    expect(error.url).toMatch(/tensor-cache\.json$/);
  });

  it('an unreachable host is a network error naming the host and file', async () => {
    const url = `${server.url}/mlc-ai/X`;
    await server.close();
    const error = await downloadWeights(options({ modelUrl: url })).catch((e) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', kind: 'network', url: `${url}/resolve/main/tensor-cache.json` });
    expect(error.message).toMatch(/Could not reach 127\.0\.0\.1:\d+ to download tensor-cache\.json/);
  });
});

describe('parseManifest', () => {
  it('accepts shard paths beside the manifest only', async () => {
    const { parseManifest } = await import('../../worker/cache/webllm-cache');
    const ok = { records: [{ dataPath: 'params_shard_0.bin', nbytes: 10 }] };
    expect(parseManifest(JSON.stringify(ok))).toEqual(ok);
    for (const dataPath of ['https://attacker.example/x.bin', '/etc/passwd', '../other-model/params_shard_0.bin', 'javascript:alert(1)']) {
      expect(parseManifest({ records: [{ dataPath, nbytes: 10 }] }), dataPath).toBeNull();
    }
    expect(parseManifest({ records: [{ dataPath: 'a.bin', nbytes: -1 }] })).toBeNull();
    expect(parseManifest('<!doctype html>')).toBeNull();
  });
});
