// Follows one model load and reports it as numbers: weight bytes present and
// total (from the model's tensor-cache manifest), bytes downloaded, stage.
import type { LoadProgress, LoadStage } from './contract';
import type { FetchFailure, FetchObserver } from './download-monitor';
import type { InitProgressReport } from './engine';
import { cachedKeys, manifestUrl, parseManifest, readCached, type TensorManifest } from './webllm-cache';

/** At most this many progress messages per second cross the worker boundary. */
const EMIT_INTERVAL_MS = 100;

export class LoadTracker implements FetchObserver {
  private readonly manifestUrl: string;
  private shardSizes = new Map<string, number>();
  private bytesTotal = 0;
  private bytesCached = 0;
  private shardBytesReceived = 0;
  private bytesDownloaded = 0;
  private stage: LoadStage = 'prepare';
  private fraction = 0;
  private lastEmit = 0;
  private readonly started = performance.now();
  /** The most recent failed fetch: it names the file when the load fails. */
  lastFailure: FetchFailure | null = null;

  constructor(
    readonly modelId: string,
    modelUrl: string,
    private readonly emit: (progress: LoadProgress) => void,
  ) {
    this.manifestUrl = manifestUrl(modelUrl);
  }

  /** Reads what the cache already holds, so a resumed or cached load starts from the right numbers. */
  async inspectCache(): Promise<void> {
    const cached = await readCached('webllm/model', [this.manifestUrl]);
    const manifest = parseManifest(cached.get(this.manifestUrl));
    if (!manifest) return;
    this.setManifest(manifest);
    const present = await cachedKeys('webllm/model', [...this.shardSizes.keys()]);
    for (const url of present) this.bytesCached += this.shardSizes.get(url) ?? 0;
    if (this.bytesCached >= this.bytesTotal && this.bytesTotal > 0) this.stage = 'gpu-upload';
    this.report(true);
  }

  /** True when every weight shard was in the cache before the load started. */
  get fromCache(): boolean {
    return this.bytesTotal > 0 && this.bytesCached >= this.bytesTotal && this.shardBytesReceived === 0;
  }

  private setManifest(manifest: TensorManifest): void {
    this.shardSizes = new Map(manifest.records.map((r) => [new URL(r.dataPath, this.manifestUrl).href, r.nbytes]));
    this.bytesTotal = manifest.records.reduce((sum, r) => sum + r.nbytes, 0);
  }

  private get bytesDone(): number {
    return Math.min(this.bytesTotal, this.bytesCached + this.shardBytesReceived);
  }

  // ----- FetchObserver -----
  wantsBody(url: string): boolean {
    return url === this.manifestUrl;
  }
  onBody(url: string, text: string): void {
    const manifest = parseManifest(text);
    if (url === this.manifestUrl && manifest) {
      this.setManifest(manifest);
      this.stage = 'download';
      this.report(true);
    }
  }
  onBytes(url: string, bytes: number): void {
    this.bytesDownloaded += bytes;
    if (this.shardSizes.has(url)) {
      this.shardBytesReceived += bytes;
      if (this.stage === 'prepare') this.stage = 'download';
      this.report(false);
    }
  }
  onFailure(failure: FetchFailure): void {
    this.lastFailure = failure;
  }

  // ----- Engine reports -----
  /** WebLLM's callback: its `progress` is per phase (download, then GPU upload), never parsed from text. */
  onEngineReport(report: InitProgressReport): void {
    const weightsPresent = this.bytesTotal > 0 && this.bytesDone >= this.bytesTotal;
    if (weightsPresent && this.stage !== 'gpu-upload') {
      // The download phase's final report (progress 1) is not upload progress.
      this.stage = 'gpu-upload';
      this.fraction = 0;
    } else if (this.stage === 'gpu-upload' || this.bytesTotal === 0) {
      // No manifest seen (e.g. an engine that does not fetch): its fraction is all we have.
      this.fraction = Math.max(0, Math.min(1, report.progress));
    }
    this.report(true);
  }

  finish(): void {
    this.stage = 'ready';
    this.fraction = 1;
    this.report(true);
  }

  snapshot(): LoadProgress {
    const fraction = this.stage === 'download' && this.bytesTotal > 0 ? this.bytesDone / this.bytesTotal : this.fraction;
    return {
      modelId: this.modelId,
      stage: this.stage,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      bytesDownloaded: this.bytesDownloaded,
      fraction,
      elapsedSeconds: (performance.now() - this.started) / 1000,
    };
  }

  private report(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < EMIT_INTERVAL_MS) return;
    this.lastEmit = now;
    this.emit(this.snapshot());
  }
}
