// Binds the engine seam to WebLLM. (The e2e test build swaps this module for
// a deterministic test engine under test/support; see vite.config.ts.)
// The MLCEngine is created when the first call that needs it arrives, after
// WebLLM itself is imported (see webllm.ts).
import type { MLCEngine } from '@mlc-ai/web-llm';
import type { AppConfig, ChatEngine, CreateEngine, InitProgressReport } from './engine';
import { loadWebLLM } from './webllm';

/** An MLCEngine created when the first call that needs one arrives. */
class LazyEngine implements ChatEngine {
  private engine: MLCEngine | null = null;
  private creating: Promise<MLCEngine> | null = null;
  private progress: ((report: InitProgressReport) => void) | undefined;

  constructor(private appConfig: AppConfig) {}

  private get(): Promise<MLCEngine> {
    return (this.creating ??= loadWebLLM().then(({ MLCEngine }) => {
      const engine = new MLCEngine({ appConfig: this.appConfig, logLevel: 'WARN' });
      if (this.progress) engine.setInitProgressCallback(this.progress);
      return (this.engine = engine);
    }));
  }

  /** What worker/engine/logit-processor.ts reaches: the loaded engine's pipelines (none before the first load). */
  get loadedModelIdToPipeline(): unknown {
    return (this.engine as unknown as { loadedModelIdToPipeline?: unknown } | null)?.loadedModelIdToPipeline ?? new Map();
  }

  reload: ChatEngine['reload'] = async (...args) => (await this.get()).reload(...args);
  unload: ChatEngine['unload'] = async () => {
    // Nothing is loaded before WebLLM is: nothing to unload.
    if (this.creating) await (await this.get()).unload();
  };
  chatCompletion = (async (request: Parameters<ChatEngine['chatCompletion']>[0]) => (await this.get()).chatCompletion(request as never)) as ChatEngine['chatCompletion'];
  completion = (async (request: Parameters<ChatEngine['completion']>[0]) => (await this.get()).completion(request as never)) as ChatEngine['completion'];
  embedding: ChatEngine['embedding'] = async (request) => (await this.get()).embedding(request);
  interruptGenerate: ChatEngine['interruptGenerate'] = () => this.engine?.interruptGenerate();
  runtimeStatsText: ChatEngine['runtimeStatsText'] = async (...args) => (await this.get()).runtimeStatsText(...args);
  setInitProgressCallback: ChatEngine['setInitProgressCallback'] = (callback) => {
    this.progress = callback;
    this.engine?.setInitProgressCallback(callback);
  };
  setAppConfig: ChatEngine['setAppConfig'] = (config) => {
    this.appConfig = config;
    this.engine?.setAppConfig(config);
  };
}

export const createEngine: CreateEngine = (appConfig) => new LazyEngine(appConfig);
