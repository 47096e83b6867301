// Follows one model load and reports it as numbers: weight bytes present and
// total (from the model's tensor-cache manifest), bytes downloaded, stage.
import type { LoadProgress, LoadStage } from '../../protocol/contract';
import type { FetchFailure, FetchObserver } from '../cache/download-monitor';
import type { InitProgressReport } from '../engine/engine';
import type { DownloadPlan } from '../cache/model-downloader';

/** At most this many progress messages per second cross the worker boundary. */
const EMIT_INTERVAL_MS = 100;

export class LoadTracker implements FetchObserver {
  private shardSizes = new Map<string, number>();
  /** Bytes received for each shard in its current attempt (a retry starts again at 0). */
  private received = new Map<string, number>();
  private bytesTotal = 0;
  private bytesCached = 0;
  private bytesDownloaded = 0;
  private stage: LoadStage = 'prepare';
  private fraction = 0;
  private lastEmit = 0;
  private readonly started = performance.now();
  /** The most recent failed fetch: it names the file when the load fails. */
  lastFailure: FetchFailure | null = null;

  constructor(
    readonly modelId: string,
    private readonly emit: (progress: LoadProgress) => void,
  ) {}

  /** The downloader's plan: what the model weighs and what the cache already holds. */
  setPlan(plan: DownloadPlan): void {
    this.shardSizes = new Map(plan.shards.filter((s) => !s.cached).map((s) => [s.url, s.nbytes]));
    this.bytesTotal = plan.bytesTotal;
    this.bytesCached = plan.bytesCached;
    this.stage = this.bytesCached >= this.bytesTotal ? 'gpu-upload' : 'download';
    this.report(true);
  }

  /** True when every weight shard was in the cache before the load started. */
  get fromCache(): boolean {
    return this.bytesTotal > 0 && this.bytesCached >= this.bytesTotal;
  }

  private get bytesDone(): number {
    let done = this.bytesCached;
    for (const [url, bytes] of this.received) done += Math.min(bytes, this.shardSizes.get(url) ?? 0);
    return Math.min(this.bytesTotal, done);
  }

  // ----- FetchObserver -----
  onStart(url: string): void {
    if (this.shardSizes.has(url)) this.received.set(url, 0);
  }
  onBytes(url: string, bytes: number): void {
    this.bytesDownloaded += bytes;
    if (this.shardSizes.has(url)) {
      this.received.set(url, (this.received.get(url) ?? 0) + bytes);
      this.report(false);
    }
  }
  onFailure(failure: FetchFailure): void {
    this.lastFailure = failure;
  }

  // ----- Engine reports -----
  /** WebLLM's callback while it loads the (now cached) weights onto the GPU; never parsed from its text. */
  onEngineReport(report: InitProgressReport): void {
    if (this.stage !== 'gpu-upload') {
      this.stage = 'gpu-upload';
      this.fraction = 0;
    } else {
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
