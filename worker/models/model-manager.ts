// Which models exist and which one is loaded: the catalog (prebuilt +
// custom), loading with progress (download, then WebLLM), cancel, unload,
// custom-model registration. It owns the loaded state and announces every
// change as an event; the chat service and the API subscribe. (Past 200
// lines: the load sequence and the state it guards are kept in one place.)
import type { CatalogEntry } from './catalog';
import { buildCatalog, catalogRecords, resolveModel } from './catalog';
import type { CustomModelInput, DeleteResult, GpuReport, LoadedModel, LoadProgress, ModelInfo, StorageEstimate, StorageReport } from '../../protocol/contract';
import { buildCustomRecord, deleteCustomRecord, listCustomRecords, saveCustomRecord } from './custom-models';
import type { FetchObserver } from '../cache/download-monitor';
import type { AppConfig, ChatEngine, ModelRecord } from '../engine/engine';
import { ApiError, ModelLoadError } from '../../protocol/errors';
import { classifyLoadError } from './load-errors';
import { LoadTracker } from './load-progress';
import { ModelLock } from './model-lock';
import { defaultEstimate, downloadWeights } from '../cache/model-downloader';
import { ModelStorage, type WebLLMCacheHelpers } from './model-storage';

export type { WebLLMCacheHelpers } from './model-storage';

/** What happens to the loaded model. Everything but "loaded" means: what ran on the old model is over. */
export type ModelEvent =
  | { type: 'loading'; modelId: string }
  | { type: 'loaded'; modelId: string }
  | { type: 'unloaded' }
  | { type: 'lost'; modelId: string }
  | { type: 'taken-over'; modelId: string };

export interface ModelManagerDeps {
  baseAppConfig: AppConfig;
  detectGpu: () => Promise<GpuReport>;
  getEngine: () => ChatEngine;
  /** The fetch model files go through (the worker's monitored, retrying fetch). */
  fetch: typeof fetch;
  /** The same fetch, its bodies not counted as they arrive (download-monitor.ts). */
  fetchWhole?: typeof fetch;
  observeFetches?: (observer: FetchObserver | null) => void;
  estimateStorage?: () => Promise<StorageEstimate | null>;
  persisted?: () => Promise<boolean | null>;
  webllm: WebLLMCacheHelpers;
  lock?: ModelLock;
}

export class ModelManager {
  private gpuReport: Promise<GpuReport> | null = null;
  private customRecords: Promise<ModelRecord[]> | null = null;
  private current: CatalogEntry | null = null;
  private loading: { tracker: LoadTracker; controller: AbortController; cancelled: boolean } | null = null;
  private readonly listeners = new Set<(event: ModelEvent) => void>();
  private readonly lock: ModelLock;
  private readonly storage: ModelStorage;

  constructor(private readonly deps: ModelManagerDeps) {
    this.lock = deps.lock ?? new ModelLock();
    this.storage = new ModelStorage(deps);
  }

  /** Subscribes to model events; returns the unsubscribe function. */
  on(listener: (event: ModelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private announce(event: ModelEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** The model ready for requests, or null. */
  get loaded(): CatalogEntry | null {
    return this.current;
  }

  get loadingModelId(): string | null {
    return this.loading?.tracker.modelId ?? null;
  }

  gpu(): Promise<GpuReport> {
    return (this.gpuReport ??= this.deps.detectGpu());
  }

  private async customs(): Promise<ModelRecord[]> {
    // The promise is kept, so that calls made at once (the catalog and the app config) read once;
    // a failed read is not: the next call reads again.
    return (this.customRecords ??= listCustomRecords().catch((error: unknown) => {
      this.customRecords = null;
      throw error;
    }));
  }

  /** Prebuilt records plus the user's custom ones: what the engine can load. */
  async appConfig(): Promise<AppConfig> {
    return { ...this.deps.baseAppConfig, model_list: [...this.deps.baseAppConfig.model_list, ...(await this.customs())] };
  }

  async catalog(withCache = false): Promise<CatalogEntry[]> {
    const [customRecords, config] = await Promise.all([this.customs(), this.appConfig()]);
    // The cache is looked up while the adapter is asked for: which records it covers does not depend on the GPU.
    const [gpu, cache] = await Promise.all([this.gpu(), withCache ? this.storage.cacheInfo(catalogRecords(config, customRecords)) : undefined]);
    const entries = buildCatalog({ appConfig: config, gpu, customRecords, cache });
    // The loaded model reports the window it was loaded with (/v1/models, context fitting).
    const loaded = this.current;
    return loaded ? entries.map((e) => (e.info.id === loaded.info.id ? { ...e, info: { ...e.info, contextWindow: loaded.info.contextWindow } } : e)) : entries;
  }

  async resolve(requested: string): Promise<CatalogEntry> {
    return resolveModel(requested, await this.catalog());
  }

  async load(modelId: string, onProgress: (progress: LoadProgress) => void, takeOver = false, contextWindow?: number): Promise<LoadedModel> {
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
    const id = entry.info.id;
    const options = entry.info.contextWindowOptions;
    const window = contextWindow ?? options[0] ?? entry.info.contextWindow;
    if (contextWindow !== undefined && !options.includes(contextWindow)) {
      throw new ModelLoadError(
        options.length > 0
          ? `${id} can be loaded with a context window of ${options.join(', ')} tokens, not ${contextWindow}.`
          : `${id} has no known context window, so none can be chosen.`,
        'invalid-option',
        id,
      );
    }
    if (this.loading) await this.cancelLoad();
    const granted = await this.lock.acquire(takeOver, () => void this.lostToAnotherTab(id));
    if (!granted) {
      throw new ModelLoadError(
        'The model is in use in another tab of this app, and a GPU holds one at a time. Use it here (the other tab lets it go), or close the other tab.',
        'in-use-elsewhere',
        id,
      );
    }
    const tracker = new LoadTracker(id, onProgress);
    const current = { tracker, controller: new AbortController(), cancelled: false };
    this.loading = current;
    this.current = null;
    this.announce({ type: 'loading', modelId: id });
    const started = performance.now();
    const engine = this.deps.getEngine();
    const cancelled = (detail = '') => new ModelLoadError(`Loading ${id} was cancelled.${detail}`, 'aborted', id);
    try {
      this.deps.observeFetches?.(tracker);
      engine.setAppConfig(await this.appConfig());
      // Our download first (resume, integrity, storage check), so WebLLM then finds every shard cached.
      await downloadWeights({
        modelId: id,
        modelUrl: entry.record.model,
        fetch: this.deps.fetch,
        fetchWhole: this.deps.fetchWhole,
        onShardFetched: (url, nbytes) => tracker.onBytes(url, nbytes),
        signal: current.controller.signal,
        estimate: this.deps.estimateStorage ?? defaultEstimate,
        onPlan: (plan) => tracker.setPlan(plan),
      });
      if (current.cancelled) throw cancelled();
      engine.setInitProgressCallback((r) => tracker.onEngineReport(r));
      // The KV cache is allocated for this many tokens (WebLLM's chat option); the record's own is the default.
      await engine.reload(id, window && window !== entry.info.contextWindow ? { context_window_size: window } : undefined);
      // WebLLM's reload resolves (not rejects) when unload() cancels it.
      if (current.cancelled) throw cancelled();
      tracker.finish();
      this.current = { ...entry, info: { ...entry.info, contextWindow: window } };
      this.announce({ type: 'loaded', modelId: id });
      return { modelId: id, contextWindow: window, loadSeconds: (performance.now() - started) / 1000, fromCache: tracker.fromCache };
    } catch (error) {
      this.lock.releaseLock();
      if (current.cancelled) throw cancelled(' Files already downloaded are kept.');
      if (error instanceof ModelLoadError) throw error;
      throw classifyLoadError(error, id, tracker.lastFailure);
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
    this.current = null;
    this.announce({ type: 'unloaded' });
    await this.deps.getEngine().unload();
    this.lock.releaseLock();
  }

  /** The chat side saw the GPU device go (WebLLM unloaded the model): forget it and say so. */
  reportDeviceLost(): void {
    const lost = this.current;
    if (!lost) return;
    this.current = null;
    this.announce({ type: 'lost', modelId: lost.info.id });
  }

  /** Another tab took the GPU model: free it here at once and say so. */
  private async lostToAnotherTab(modelId: string): Promise<void> {
    if (this.loading) {
      this.loading.cancelled = true;
      this.loading.controller.abort();
    }
    this.current = null;
    this.announce({ type: 'taken-over', modelId });
    await this.deps.getEngine().unload();
  }

  async addCustom(input: CustomModelInput): Promise<ModelInfo> {
    const existing = new Set((await this.appConfig()).model_list.map((r) => r.model_id));
    const record = await buildCustomRecord(input, this.deps.fetch, existing);
    await saveCustomRecord(record);
    this.customRecords = Promise.resolve([...(await this.customs()), record]);
    const entry = (await this.catalog()).find((e) => e.info.id === record.model_id)!;
    return entry.info;
  }

  async removeCustom(modelId: string): Promise<void> {
    const record = (await this.customs()).find((r) => r.model_id === modelId);
    if (!record) throw new ApiError(`No custom model '${modelId}'.`, 404, 'model', 'model_not_found');
    if (this.loaded?.info.id === modelId) await this.unload();
    await this.deleteModel(modelId).catch(() => undefined);
    await deleteCustomRecord(modelId);
    this.customRecords = Promise.resolve((await this.customs()).filter((r) => r.model_id !== modelId));
  }

  private async record(modelId: string): Promise<{ record: ModelRecord; config: AppConfig }> {
    const config = await this.appConfig();
    const record = config.model_list.find((r) => r.model_id === modelId);
    if (!record) throw new ApiError(`The model '${modelId}' does not exist here.`, 404, 'model', 'model_not_found');
    return { record, config };
  }

  /** The loaded model's conversation template, as its cached mlc-chat-config.json gives it. */
  async convTemplate(): Promise<Record<string, unknown> | null> {
    const loaded = this.current;
    if (!loaded) return null;
    const config = await this.storage.chatConfig(loaded.record);
    const template = config?.conv_template;
    return typeof template === 'object' && template !== null ? (template as Record<string, unknown>) : null;
  }

  async isCached(modelId: string): Promise<boolean> {
    const { config } = await this.record(modelId);
    return this.storage.isCached(modelId, config);
  }

  async storageReport(): Promise<StorageReport> {
    const names = new Map((await this.catalog()).map((e) => [e.info.id, e.info.displayName]));
    return this.storage.report(await this.appConfig(), names);
  }

  /** Deletes a model's cached files (unloading it first if it is in use). */
  async deleteModel(modelId: string): Promise<DeleteResult> {
    const { record, config } = await this.record(modelId);
    if (this.current?.info.id === modelId || this.loadingModelId === modelId) await this.unload();
    return this.storage.delete(record, config);
  }
}
