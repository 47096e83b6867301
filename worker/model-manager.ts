// Which models exist, which one is loaded, and what the cache holds: the
// catalog (prebuilt + custom), loading with progress (download, then WebLLM),
// cancel, unload, custom-model registration, the storage report and deletion.
import type { CatalogEntry } from './catalog';
import { buildCatalog, resolveModel } from './catalog';
import type { CachedModel, CustomModelInput, DeleteResult, GpuReport, LoadedModel, LoadProgress, ModelInfo, StorageEstimate, StorageReport } from './contract';
import { buildCustomRecord, deleteCustomRecord, listCustomRecords, saveCustomRecord } from './custom-models';
import type { FetchObserver } from './download-monitor';
import type { AppConfig, ChatEngine, ModelRecord } from './engine';
import { ApiError, ModelLoadError } from './errors';
import { classifyLoadError } from './error-mapping';
import { LoadTracker } from './load-progress';
import { ModelLock } from './model-lock';
import { defaultEstimate, downloadWeights, forgetVerified } from './model-downloader';
import { allCachedUrls, cachedKeys, deleteCached, manifestUrl, modelBaseUrl, parseManifest, readCached, shardUrls, storedSize } from './webllm-cache';

/** WebLLM's cache helpers (injected so the manager can be tested without the engine bundle). */
export interface WebLLMCacheHelpers {
  hasModelInCache(modelId: string, appConfig: AppConfig): Promise<boolean>;
}

export interface ModelManagerDeps {
  baseAppConfig: AppConfig;
  detectGpu: () => Promise<GpuReport>;
  getEngine: () => ChatEngine;
  /** The fetch model files go through (the worker's monitored, retrying fetch). */
  fetch: typeof fetch;
  observeFetches?: (observer: FetchObserver | null) => void;
  estimateStorage?: () => Promise<StorageEstimate | null>;
  persisted?: () => Promise<boolean | null>;
  webllm: WebLLMCacheHelpers;
  /** Called when another tab takes the GPU model over. */
  onTakenOver?: (modelId: string) => void;
  lock?: ModelLock;
}

export class ModelManager {
  private gpuReport: Promise<GpuReport> | null = null;
  private customRecords: ModelRecord[] | null = null;
  loaded: CatalogEntry | null = null;
  private loading: { tracker: LoadTracker; controller: AbortController; cancelled: boolean } | null = null;

  private readonly lock: ModelLock;

  constructor(private readonly deps: ModelManagerDeps) {
    this.lock = deps.lock ?? new ModelLock();
  }

  gpu(): Promise<GpuReport> {
    return (this.gpuReport ??= this.deps.detectGpu());
  }

  get loadingModelId(): string | null {
    return this.loading?.tracker.modelId ?? null;
  }

  private async customs(): Promise<ModelRecord[]> {
    return (this.customRecords ??= await listCustomRecords());
  }

  /** Prebuilt records plus the user's custom ones: what the engine can load. */
  async appConfig(): Promise<AppConfig> {
    return { ...this.deps.baseAppConfig, model_list: [...this.deps.baseAppConfig.model_list, ...(await this.customs())] };
  }

  /** Per model: cached state and exact size when its manifest is in the cache. */
  private async cacheInfo(records: ModelRecord[]): Promise<Map<string, { cached: ModelInfo['cached']; downloadBytes: number | null }>> {
    const info = new Map<string, { cached: ModelInfo['cached']; downloadBytes: number | null }>();
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

  async catalog(withCache = false): Promise<CatalogEntry[]> {
    const [gpu, customRecords, config] = await Promise.all([this.gpu(), this.customs(), this.appConfig()]);
    const first = buildCatalog({ appConfig: config, gpu, customRecords });
    if (!withCache) return first;
    return buildCatalog({ appConfig: config, gpu, customRecords, cache: await this.cacheInfo(first.map((e) => e.record)) });
  }

  async resolve(requested: string): Promise<CatalogEntry> {
    return resolveModel(requested, await this.catalog());
  }

  async load(modelId: string, onProgress: (progress: LoadProgress) => void, beforeReload: (modelId: string) => void, takeOver = false): Promise<LoadedModel> {
    const report = await this.gpu();
    let entry: CatalogEntry;
    try {
      entry = await this.resolve(modelId);
    } catch (error) {
      throw new ModelLoadError((error as Error).message, report.status === 'ok' ? 'unsupported-model' : 'no-webgpu', modelId);
    }
    if (report.status !== 'ok') {
      throw new ModelLoadError('WebGPU is not available in this browser, so no model can run here.', 'no-webgpu', entry.info.id);
    }
    if (this.loading) await this.cancelLoad();
    const id = entry.info.id;
    const granted = await this.lock.acquire(takeOver, () => void this.lostToAnotherTab(id));
    if (!granted) {
      throw new ModelLoadError(
        'The model is in use in another tab of this app, and a GPU holds one at a time. Use it here (the other tab lets it go), or close the other tab.',
        'in-use-elsewhere',
        id,
      );
    }
    beforeReload(entry.info.id);
    const tracker = new LoadTracker(entry.info.id, onProgress);
    const current = { tracker, controller: new AbortController(), cancelled: false };
    this.loading = current;
    this.loaded = null;
    const started = performance.now();
    const engine = this.deps.getEngine();
    try {
      this.deps.observeFetches?.(tracker);
      engine.setAppConfig(await this.appConfig());
      // Our download first (resume, integrity, storage check), so WebLLM then finds every shard cached.
      await downloadWeights({
        modelId: entry.info.id,
        modelUrl: entry.record.model,
        fetch: this.deps.fetch,
        signal: current.controller.signal,
        estimate: this.deps.estimateStorage ?? defaultEstimate,
        onPlan: (plan) => tracker.setPlan(plan),
      });
      if (current.cancelled) throw new ModelLoadError(`Loading ${entry.info.id} was cancelled.`, 'aborted', entry.info.id);
      engine.setInitProgressCallback((r) => tracker.onEngineReport(r));
      await engine.reload(entry.info.id);
      // WebLLM's reload resolves (not rejects) when unload() cancels it.
      if (current.cancelled) throw new ModelLoadError(`Loading ${entry.info.id} was cancelled.`, 'aborted', entry.info.id);
      tracker.finish();
      this.loaded = entry;
      return { modelId: entry.info.id, contextWindow: entry.info.contextWindow, loadSeconds: (performance.now() - started) / 1000, fromCache: tracker.fromCache };
    } catch (error) {
      this.lock.releaseLock();
      if (current.cancelled) throw new ModelLoadError(`Loading ${entry.info.id} was cancelled. Files already downloaded are kept.`, 'aborted', entry.info.id);
      if (error instanceof ModelLoadError) throw error;
      throw classifyLoadError(error, entry.info.id, tracker.lastFailure);
    } finally {
      this.deps.observeFetches?.(null);
      if (this.loading === current) this.loading = null;
    }
  }

  async cancelLoad(): Promise<void> {
    const current = this.loading;
    if (!current) return;
    current.cancelled = true;
    current.controller.abort();
    await this.deps.getEngine().unload();
  }

  async unload(): Promise<void> {
    if (this.loading) await this.cancelLoad();
    this.loaded = null;
    await this.deps.getEngine().unload();
    this.lock.releaseLock();
  }

  /** Another tab took the GPU model: free it here at once and say so. */
  private async lostToAnotherTab(modelId: string): Promise<void> {
    if (this.loading) {
      this.loading.cancelled = true;
      this.loading.controller.abort();
    }
    this.loaded = null;
    await this.deps.getEngine().unload();
    this.deps.onTakenOver?.(modelId);
  }

  async addCustom(input: CustomModelInput): Promise<ModelInfo> {
    const existing = new Set((await this.appConfig()).model_list.map((r) => r.model_id));
    const record = await buildCustomRecord(input, this.deps.fetch, existing);
    await saveCustomRecord(record);
    this.customRecords = [...(await this.customs()), record];
    const entry = (await this.catalog()).find((e) => e.info.id === record.model_id)!;
    return entry.info;
  }

  async removeCustom(modelId: string): Promise<void> {
    const record = (await this.customs()).find((r) => r.model_id === modelId);
    if (!record) throw new ApiError(`No custom model '${modelId}'.`, 404, 'model', 'model_not_found');
    if (this.loaded?.info.id === modelId) await this.unload();
    await this.deleteModel(modelId).catch(() => undefined);
    await deleteCustomRecord(modelId);
    this.customRecords = (await this.customs()).filter((r) => r.model_id !== modelId);
  }

  /** Every cache URL that belongs to a record: manifest, shards, tokenizer, config, model library. */
  private async filesOf(record: ModelRecord, cachedModelUrls: string[]): Promise<{ model: string[]; config: string[]; wasm: string[]; shards: { url: string; nbytes: number }[] }> {
    const base = modelBaseUrl(record.model);
    const manifest = parseManifest((await readCached('webllm/model', [manifestUrl(record.model)])).get(manifestUrl(record.model)));
    const shards = manifest ? shardUrls(record.model, manifest) : [];
    // Tokenizer files live beside the weights; WebLLM caches whichever the model uses.
    const tokenizer = cachedModelUrls.filter((u) => u.startsWith(base) && /\/tokenizer[^/]*$/.test(u));
    return {
      model: [manifestUrl(record.model), ...shards.map((s) => s.url), ...tokenizer],
      config: [new URL('mlc-chat-config.json', base).href],
      wasm: [record.model_lib],
      shards,
    };
  }

  /** Records with anything in the cache (manifest, config or a tokenizer under their folder). */
  private async cachedRecords(config: AppConfig): Promise<{ records: ModelRecord[]; modelUrls: string[] }> {
    const modelUrls = await allCachedUrls('webllm/model');
    const configUrls = new Set(await allCachedUrls('webllm/config'));
    const records = config.model_list.filter((r) => {
      const base = modelBaseUrl(r.model);
      return configUrls.has(new URL('mlc-chat-config.json', base).href) || modelUrls.some((u) => u.startsWith(base));
    });
    return { records, modelUrls };
  }

  async isCached(modelId: string): Promise<boolean> {
    const config = await this.appConfig();
    if (!config.model_list.some((r) => r.model_id === modelId)) throw new ApiError(`The model '${modelId}' does not exist here.`, 404, 'model', 'model_not_found');
    return this.deps.webllm.hasModelInCache(modelId, config);
  }

  async storageReport(): Promise<StorageReport> {
    const config = await this.appConfig();
    const names = new Map((await this.catalog()).map((e) => [e.info.id, e.info.displayName]));
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
      let bytes = files.shards.filter((s) => shardsPresent.has(s.url)).reduce((n, s) => n + s.nbytes, 0);
      for (const data of [...model.values(), ...cfg.values(), ...wasm.values()]) bytes += storedSize(data);
      models.push({
        id: record.model_id,
        displayName: names.get(record.model_id) ?? record.model_id,
        bytesOnDisk: bytes,
        shardsCached: shardsPresent.size,
        shardsTotal: files.shards.length,
        complete: await this.deps.webllm.hasModelInCache(record.model_id, config).catch(() => false),
        sharesLibrary: false,
        lib: wasm.size > 0 ? record.model_lib : '',
      });
    }
    const libs = models.map((m) => m.lib).filter(Boolean);
    const report: CachedModel[] = models.map(({ lib, ...m }) => ({ ...m, sharesLibrary: lib !== '' && libs.filter((l) => l === lib).length > 1 }));
    return { models: report, estimate: await (this.deps.estimateStorage ?? defaultEstimate)(), persisted: (await this.deps.persisted?.()) ?? null };
  }

  async deleteModel(modelId: string): Promise<DeleteResult> {
    const config = await this.appConfig();
    const record = config.model_list.find((r) => r.model_id === modelId);
    if (!record) throw new ApiError(`The model '${modelId}' does not exist here.`, 404, 'model', 'model_not_found');
    if (this.loaded?.info.id === modelId || this.loadingModelId === modelId) await this.unload();
    const estimate = this.deps.estimateStorage ?? defaultEstimate;
    const before = await estimate();
    const files = await this.filesOf(record, await allCachedUrls('webllm/model'));
    // The model library is shared between some records (v0.2 uses v0.3's): keep it while another cached model needs it.
    const others = config.model_list.filter((r) => r.model_id !== modelId && r.model_lib === record.model_lib);
    const othersCached = (await cachedKeys('webllm/config', others.map((r) => new URL('mlc-chat-config.json', modelBaseUrl(r.model)).href))).size > 0;
    const present = [
      ...(await cachedKeys('webllm/model', files.model)),
      ...(await cachedKeys('webllm/config', files.config)),
      ...(othersCached ? [] : await cachedKeys('webllm/wasm', files.wasm)),
    ];
    await deleteCached('webllm/model', files.model);
    await deleteCached('webllm/config', files.config);
    if (!othersCached) await deleteCached('webllm/wasm', files.wasm);
    await forgetVerified(files.shards.map((s) => s.url));
    const cachedAfter = await this.deps.webllm.hasModelInCache(modelId, config).catch(() => false);
    return { modelId, before, after: await estimate(), removedFiles: present.length, cachedAfter };
  }
}
