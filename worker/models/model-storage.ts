// What WebLLM's caches hold for each model record: cached state and exact
// sizes for the catalog, the storage report, and deleting a model's files.
import type { CachedModel, DeleteResult, ModelInfo, StorageEstimate, StorageReport } from '../../protocol/contract';
import { defaultEstimate, forgetVerified, recordBytes } from '../cache/model-downloader';
import { allCachedUrls, cachedKeys, deleteCached, manifestUrl, modelBaseUrl, parseManifest, readCached, shardUrls, storedSize } from '../cache/webllm-cache';
import type { AppConfig, ModelRecord } from '../engine/engine';

/** WebLLM's cache helpers (injected so storage can be tested without the engine bundle). */
export interface WebLLMCacheHelpers {
  hasModelInCache(modelId: string, appConfig: AppConfig): Promise<boolean>;
}

export interface ModelStorageDeps {
  webllm: WebLLMCacheHelpers;
  estimateStorage?: () => Promise<StorageEstimate | null>;
  persisted?: () => Promise<boolean | null>;
}

export type CacheInfo = Map<string, { cached: ModelInfo['cached']; downloadBytes: number | null }>;

const configUrl = (record: ModelRecord) => new URL('mlc-chat-config.json', modelBaseUrl(record.model)).href;

export class ModelStorage {
  constructor(private readonly deps: ModelStorageDeps) {}

  estimate(): Promise<StorageEstimate | null> {
    return (this.deps.estimateStorage ?? defaultEstimate)();
  }

  /** Per model: cached state and exact size when its manifest is in the cache. */
  async cacheInfo(records: ModelRecord[]): Promise<CacheInfo> {
    const info: CacheInfo = new Map();
    const manifests = await readCached('webllm/model', records.map((r) => manifestUrl(r.model)));
    for (const record of records) {
      const manifest = parseManifest(manifests.get(manifestUrl(record.model)));
      if (!manifest) {
        info.set(record.model_id, { cached: 'none', downloadBytes: null });
        continue;
      }
      const shards = shardUrls(record.model, manifest);
      const present = await cachedKeys('webllm/model', shards.map((s) => s.url));
      info.set(record.model_id, {
        cached: present.size === shards.length ? 'full' : present.size > 0 ? 'partial' : 'none',
        downloadBytes: shards.reduce((n, s) => n + s.nbytes, 0),
      });
    }
    return info;
  }

  /** Every cache URL that belongs to a record: manifest, shards, tokenizer, config, model library. */
  private async filesOf(record: ModelRecord, cachedModelUrls: string[]): Promise<{ model: string[]; config: string[]; wasm: string[]; shards: { url: string; nbytes: number }[] }> {
    const base = modelBaseUrl(record.model);
    const manifest = parseManifest((await readCached('webllm/model', [manifestUrl(record.model)])).get(manifestUrl(record.model)));
    const shards = manifest ? shardUrls(record.model, manifest) : [];
    // Tokenizer files live beside the weights; WebLLM caches whichever the model uses.
    const tokenizer = cachedModelUrls.filter((u) => u.startsWith(base) && /\/tokenizer[^/]*$/.test(u));
    return { model: [manifestUrl(record.model), ...shards.map((s) => s.url), ...tokenizer], config: [configUrl(record)], wasm: [record.model_lib], shards };
  }

  /** Records with anything in the cache (manifest, config or a tokenizer under their folder). */
  private async cachedRecords(config: AppConfig): Promise<{ records: ModelRecord[]; modelUrls: string[] }> {
    const modelUrls = await allCachedUrls('webllm/model');
    const configUrls = new Set(await allCachedUrls('webllm/config'));
    const records = config.model_list.filter((r) => configUrls.has(configUrl(r)) || modelUrls.some((u) => u.startsWith(modelBaseUrl(r.model))));
    return { records, modelUrls };
  }

  /** The record's mlc-chat-config.json as WebLLM cached it at load (null when not cached or unreadable). */
  async chatConfig(record: ModelRecord): Promise<Record<string, unknown> | null> {
    const data = (await readCached('webllm/config', [configUrl(record)])).get(configUrl(record));
    try {
      const value = typeof data === 'string' ? JSON.parse(data) : data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? JSON.parse(new TextDecoder().decode(data as ArrayBuffer)) : data;
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  isCached(modelId: string, config: AppConfig): Promise<boolean> {
    return this.deps.webllm.hasModelInCache(modelId, config);
  }

  async report(config: AppConfig, names: Map<string, string>): Promise<StorageReport> {
    const { records, modelUrls } = await this.cachedRecords(config);
    const models: (CachedModel & { lib: string })[] = [];
    for (const record of records) {
      const files = await this.filesOf(record, modelUrls);
      const shardSet = new Set(files.shards.map((s) => s.url));
      const [model, cfg, wasm, shardsPresent] = await Promise.all([
        readCached('webllm/model', files.model.filter((u) => !shardSet.has(u))),
        readCached('webllm/config', files.config),
        readCached('webllm/wasm', files.wasm),
        cachedKeys('webllm/model', [...shardSet]),
      ]);
      // A present shard of the wrong length (truncated, or a page stored in its place) is not counted.
      let damaged = 0;
      for (const shard of files.shards.filter((s) => shardsPresent.has(s.url))) {
        if (recordBytes((await readCached('webllm/model', [shard.url])).get(shard.url)) !== shard.nbytes) {
          damaged++;
          shardsPresent.delete(shard.url);
        }
      }
      let bytes = files.shards.filter((s) => shardsPresent.has(s.url)).reduce((n, s) => n + s.nbytes, 0);
      for (const data of [...model.values(), ...cfg.values(), ...wasm.values()]) bytes += storedSize(data);
      models.push({
        id: record.model_id,
        displayName: names.get(record.model_id) ?? record.model_id,
        bytesOnDisk: bytes,
        shardsCached: shardsPresent.size,
        shardsTotal: files.shards.length,
        damagedShards: damaged,
        // What WebLLM's hasModelInCache checks (the manifest and every shard present), without loading WebLLM.
        complete: damaged === 0 && shardsPresent.size === files.shards.length && files.shards.length > 0 && (await cachedKeys('webllm/model', [manifestUrl(record.model)])).size === 1,
        sharesLibrary: false,
        lib: wasm.size > 0 ? record.model_lib : '',
      });
    }
    const libs = models.map((m) => m.lib).filter(Boolean);
    const report: CachedModel[] = models.map(({ lib, ...m }) => ({ ...m, sharesLibrary: lib !== '' && libs.filter((l) => l === lib).length > 1 }));
    return { models: report, estimate: await this.estimate(), persisted: (await this.deps.persisted?.()) ?? null };
  }

  /** Deletes a record's cached files; the model library stays while another cached model uses it. */
  async delete(record: ModelRecord, config: AppConfig): Promise<DeleteResult> {
    const before = await this.estimate();
    const files = await this.filesOf(record, await allCachedUrls('webllm/model'));
    // The model library is shared between some records (v0.2 uses v0.3's).
    const others = config.model_list.filter((r) => r.model_id !== record.model_id && r.model_lib === record.model_lib);
    const othersCached = (await cachedKeys('webllm/config', others.map(configUrl))).size > 0;
    const present = [
      ...(await cachedKeys('webllm/model', files.model)),
      ...(await cachedKeys('webllm/config', files.config)),
      ...(othersCached ? [] : await cachedKeys('webllm/wasm', files.wasm)),
    ];
    await deleteCached('webllm/model', files.model);
    await deleteCached('webllm/config', files.config);
    if (!othersCached) await deleteCached('webllm/wasm', files.wasm);
    await forgetVerified(files.shards.map((s) => s.url));
    const cachedAfter = (await cachedKeys('webllm/model', [manifestUrl(record.model), ...files.shards.map((s) => s.url)])).size > 0;
    return { modelId: record.model_id, before, after: await this.estimate(), removedFiles: present.length, cachedAfter };
  }
}
