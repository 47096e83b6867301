// Loading, the storage report, deletion and custom models through the real
// worker API over a MessageChannel (synthetic model files, fake IndexedDB).
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../protocol/contract';
import { sleep } from '../../worker/cache/fetch-retry';
import { allCachedUrls } from '../../worker/cache/webllm-cache';
import { createHarness, F16_GPU, Q4F32, type Harness } from '../support/api-harness';
import { startModelServer, syntheticFetch, TINY_MODEL, type ModelServer } from '../support/synthetic-model';

let h: Harness;
let server: ModelServer | undefined;
afterEach(async () => {
  h?.close();
  await server?.close();
  server = undefined;
});

describe('loading', () => {
  it('reports the download in bytes, then the GPU upload, and a second load comes from the cache', async () => {
    const network = syntheticFetch({ shards: 4, shardBytes: 64 * 1024 });
    h = createHarness({ fetch: network });
    const progress: LoadProgress[] = [];
    const first = await h.client.models.load(Q4F32, (p) => progress.push(p));
    await new Promise((r) => setTimeout(r, 10));
    expect(first.fromCache).toBe(false);
    const downloads = progress.filter((p) => p.stage === 'download');
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.every((p) => p.bytesTotal === 4 * 64 * 1024)).toBe(true);
    expect(progress.some((p) => p.stage === 'gpu-upload')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ stage: 'ready', fraction: 1, bytesDone: 4 * 64 * 1024 });
    expect(progress.at(-1)!.bytesDownloaded).toBeGreaterThanOrEqual(4 * 64 * 1024);

    const before = network.requests.length;
    const second = await h.client.models.load(Q4F32);
    expect(second.fromCache).toBe(true);
    expect(network.requests.slice(before).filter((u) => u.includes('params_shard'))).toEqual([]);
  });

  it('refuses a download the storage cannot hold, with the numbers, and writes nothing', async () => {
    h = createHarness({ estimate: async () => ({ usage: 100, quota: 1000 }) });
    const error = await h.client.models.load(Q4F32).catch((e) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', kind: 'storage-full', bytesNeeded: TINY_MODEL.shards * TINY_MODEL.shardBytes, bytesFree: 900 });
    expect(await allCachedUrls('webllm/model')).toEqual([]);
  });

  it('a cancelled download resumes where it stopped', async () => {
    const slow = syntheticFetch({ shards: 6, shardBytes: 1024 });
    // Four shards download at a time; the fifth is asked for only once one is stored.
    // That is when the user cancels: the request hangs until the abort reaches it.
    let cancelled = false;
    const gate = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!cancelled && /params_shard_[45]/.test(String(input))) {
        cancelled = true;
        void h.client.models.cancelLoad();
        await sleep(60_000, init?.signal);
      }
      await sleep(5, init?.signal);
      return slow(input, init);
    };
    h = createHarness({ fetch: gate as typeof fetch });
    await expect(h.client.models.load(Q4F32)).rejects.toMatchObject({ kind: 'aborted' });
    const kept = (await allCachedUrls('webllm/model')).filter((u) => u.includes('params_shard'));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(6);
    const before = slow.requests.length;
    await h.client.models.load(Q4F32);
    const refetched = slow.requests.slice(before).filter((u) => u.includes('params_shard'));
    expect(refetched).toHaveLength(6 - kept.length);
  });

  it('models.list shows cached state and exact size once the manifest is cached', async () => {
    h = createHarness();
    const before = (await h.client.models.list()).data.find((m) => m.id === Q4F32)!;
    expect(before).toMatchObject({ cached: 'none', downloadBytesExact: false });
    await h.client.models.load(Q4F32);
    const after = (await h.client.models.list()).data.find((m) => m.id === Q4F32)!;
    expect(after).toMatchObject({ cached: 'full', downloadBytesExact: true, downloadBytes: TINY_MODEL.shards * TINY_MODEL.shardBytes });
  });
});

describe('storage', () => {
  it('reports each cached model with its size, and Delete removes every record (WebLLM agrees)', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    const report = await h.client.storage.report();
    const model = report.models.find((m) => m.id === Q4F32)!;
    expect(model).toMatchObject({ shardsCached: 3, shardsTotal: 3, complete: true });
    expect(await h.client.storage.isCached(Q4F32)).toBe(true);
    // Shards plus the stored manifest.
    expect(model.bytesOnDisk).toBeGreaterThan(3 * 2048);
    expect(report.persisted).toBe(false);
    const result = await h.client.storage.deleteModel(Q4F32);
    expect(result).toMatchObject({ removedFiles: 4, cachedAfter: false });
    expect(await allCachedUrls('webllm/model')).toEqual([]);
    const after = await h.client.storage.report();
    expect(after.models).toEqual([]);
    expect(await h.client.storage.isCached(Q4F32)).toBe(false);
    // The deleted model was loaded: it is unloaded, requests say so.
    expect((await h.client.stats()).loadedModel).toBeNull();
  });
});

describe('custom models', () => {
  it('validates URLs and the fetched mlc-chat-config.json', async () => {
    server = await startModelServer();
    h = createHarness({ fetch });
    const add = (modelUrl: string, modelLibUrl: string) => h.client.models.addCustom({ modelUrl, modelLibUrl });
    await expect(add('ftp://x/y', 'https://x/y.wasm')).rejects.toMatchObject({ name: 'ApiError', param: 'modelUrl' });
    await expect(add('http://example.org/m', 'https://x/y.wasm')).rejects.toMatchObject({ param: 'modelUrl', message: expect.stringMatching(/https/) });
    await expect(add('https://user:pw@example.org/m', 'https://x/y.wasm')).rejects.toMatchObject({ param: 'modelUrl', message: expect.stringMatching(/credentials/) });
    await expect(add(`${server.url}/m`, `${server.url}/lib.js`)).rejects.toMatchObject({ param: 'modelLibUrl' });
    server.fault('mlc-chat-config.json', { kind: 'status', status: 404 });
    await expect(add(`${server.url}/u/Nemo-q4f16_1-MLC`, `${server.url}/nemo.wasm`)).rejects.toMatchObject({ param: 'modelUrl', message: expect.stringMatching(/HTTP 404/) });
    server.fault('mlc-chat-config.json', { kind: 'html' });
    await expect(add(`${server.url}/u/Nemo-q4f16_1-MLC`, `${server.url}/nemo.wasm`)).rejects.toMatchObject({ param: 'modelUrl', message: expect.stringMatching(/not valid JSON/) });
    // Ids become object keys: Object's own names are refused, not stored.
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty']) {
      await expect(add(`${server.url}/u/${name}`, `${server.url}/nemo.wasm`)).rejects.toMatchObject({ param: 'id', message: expect.stringMatching(/reserved name/) });
    }
    expect((await h.client.models.list()).data.filter((m) => m.owned_by === 'custom')).toEqual([]);
  });

  it('registers a user-compiled Nemo build: listed, answers for mistralai/mistral-nemo, persists, and can be removed', async () => {
    server = await startModelServer();
    h = createHarness({ fetch, gpu: F16_GPU });
    const info = await h.client.models.addCustom({ modelUrl: `${server.url}/me/Mistral-Nemo-Instruct-2407-q4f16_1-MLC`, modelLibUrl: `${server.url}/libs/nemo-webgpu.wasm` });
    expect(info).toMatchObject({ id: 'Mistral-Nemo-Instruct-2407-q4f16_1-MLC', owned_by: 'custom', contextWindow: 4096, requiredFeatures: ['shader-f16'] });
    await expect(h.client.models.addCustom({ modelUrl: `${server.url}/me/Mistral-Nemo-Instruct-2407-q4f16_1-MLC`, modelLibUrl: `${server.url}/x.wasm` })).rejects.toMatchObject({ param: 'id' });

    await h.client.models.load('mistralai/mistral-nemo');
    const res = await h.client.chat.completions.create({ model: 'mistralai/mistral-nemo', messages: [{ role: 'user', content: 'Salut' }] });
    expect(res.choices[0]!.message.content).toMatch(/^Echo: Salut/);
    expect((await h.client.stats()).loadedModel).toBe('Mistral-Nemo-Instruct-2407-q4f16_1-MLC');

    // A new worker (fresh harness) still has it: it is stored in IndexedDB.
    h.close();
    h = createHarness({ fetch, gpu: F16_GPU });
    expect((await h.client.models.list()).data.map((m) => m.id)).toContain('Mistral-Nemo-Instruct-2407-q4f16_1-MLC');
    await h.client.models.removeCustom('Mistral-Nemo-Instruct-2407-q4f16_1-MLC');
    expect((await h.client.models.list()).data.map((m) => m.id)).not.toContain('Mistral-Nemo-Instruct-2407-q4f16_1-MLC');
  });
});
