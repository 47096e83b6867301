// What we rely on inside WebLLM 0.2.86, checked on the installed package: the
// private parts worker/engine/logit-processor.ts uses (an upgrade that renames
// them fails here rather than silently turning top_k / min_p off), and our
// patch of its IndexedDB cache (patches/), which must survive every install.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hasModelInCache, MLCEngine, prebuiltAppConfig } from '@mlc-ai/web-llm';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { manifestUrl, writeCached } from '../../worker/cache/webllm-cache';

const source = readFileSync(createRequire(import.meta.url).resolve('@mlc-ai/web-llm'), 'utf8');

describe('WebLLM internals used by the per-request logit processor', () => {
  it('the engine keeps its loaded pipelines in loadedModelIdToPipeline, a Map', () => {
    const engine = new MLCEngine();
    expect((engine as unknown as { loadedModelIdToPipeline: unknown }).loadedModelIdToPipeline).toBeInstanceOf(Map);
    expect(source).toContain('this.loadedModelIdToPipeline.set(modelId, newPipeline)');
  });

  it('the pipeline reads its logitProcessor field on every sampled token, and only copies logits to the CPU when it is set', () => {
    const sampling = source.slice(source.indexOf('// 1. Apply logitProcessor on CPU'), source.indexOf('// 2. Apply logit_bias on GPU'));
    expect(sampling.length).toBeGreaterThan(0);
    expect(sampling).toContain('if (this.logitProcessor !== undefined) {');
    expect(sampling).toContain('this.updateLogitsOnCPU(logitsOnGPU)');
    expect(sampling).toContain('this.logitProcessor.processLogits(logitsOnCPUArray)');
    expect(source).toContain('this.logitProcessor = logitProcessor;');
  });
});

describe('our patch of WebLLM 0.2.86 (patches/, applied by patch-package at install)', () => {
  const modelUrl = 'https://huggingface.co/mistral-local-tests/patched-model';
  const shards = [0, 1, 2].map((i) => `${modelUrl}/resolve/main/params_shard_${i}.bin`);
  const appConfig = { ...prebuiltAppConfig, cacheBackend: 'indexeddb' as const, model_list: [{ model: modelUrl, model_id: 'patched-model', model_lib: 'https://example.com/lib.wasm' }] };

  it('a presence check (hasModelInCache: the storage view, the model picker) reads no shard, only keys', async () => {
    globalThis.indexedDB = new IDBFactory();
    const manifest = { metadata: {}, records: shards.map((_, i) => ({ dataPath: `params_shard_${i}.bin`, format: 'raw-shard', nbytes: 1024, records: [] })) };
    await writeCached('webllm/model', manifestUrl(modelUrl), manifest);
    for (const url of shards) await writeCached('webllm/model', url, new ArrayBuffer(1024));
    const read: string[] = [];
    const original = IDBObjectStore.prototype.get;
    IDBObjectStore.prototype.get = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      read.push(String(key));
      return original.call(this, key);
    };
    try {
      expect(await hasModelInCache('patched-model', appConfig)).toBe(true);
    } finally {
      IDBObjectStore.prototype.get = original;
    }
    // The manifest is read (to list the shards); no shard's bytes are.
    expect(read).toEqual([manifestUrl(modelUrl)]);
  });

  it('the source carries the patch (an upgrade of WebLLM must bring it along or drop it on purpose)', () => {
    expect(source.match(/mistral-local patch: a presence check reads the key/g)).toHaveLength(2);
    // The cached load reads the next shard while the current one is uploaded.
    expect(source.match(/mistral-local patch: the next shard is read while this one is uploaded/g)).toHaveLength(1);
    expect(source).toContain('buffer = yield nextRead;');
  });
});
