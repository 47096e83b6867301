// The module Web Worker that owns the engine and exposes one API object.
import * as Comlink from 'comlink';
import { appConfig } from './engine/app-config';
import type { EngineApi } from '../protocol/contract';
import { createEngine } from './engine/create-engine';
import { loadWebLLM } from './engine/webllm';
import { createMonitoredFetch } from './cache/download-monitor';
import { createEngineApi } from './engine-api';
import { installTransferHandlers } from '../protocol/errors';
import { withRetry } from './cache/fetch-retry';
import { detectGpu } from './models/gpu-detect';

installTransferHandlers();

// WebLLM fetches with the global fetch, without retries; route it (and our own
// downloads) through one fetch that retries transient failures and reports
// bytes and the failing file to the current load.
const monitor = createMonitoredFetch(withRetry(globalThis.fetch.bind(globalThis)));
globalThis.fetch = monitor.fetch;

const api: EngineApi = createEngineApi({
  createEngine,
  appConfig,
  detectGpu: () => detectGpu(),
  fetch: monitor.fetch,
  fetchWhole: monitor.fetchWhole,
  observeFetches: monitor.observe,
  // persist() is window-only; the worker can only read whether it was granted.
  persisted: async () => (navigator.storage?.persisted ? navigator.storage.persisted() : null),
  // Asked at load time only (WebLLM is being loaded then anyway); the storage view checks keys itself.
  webllm: { hasModelInCache: async (modelId, config) => (await loadWebLLM()).hasModelInCache(modelId, config) },
});
Comlink.expose(api);

// The page's first questions are the GPU facts and the catalog; both start now, while the page's
// own script is still arriving (the built page starts this worker first thing). The adapter and
// the saved custom models are read once and kept for the page's call; the cache is not (the
// page's call looks it up again, a few ms, so it never lists a state from before it asked).
void api.models.list().catch(() => {});
// With a usable GPU, fetch WebLLM once the model picker is up, so the first Load does not wait
// for it; without one it is never fetched.
void api.gpu().then((gpu) => {
  if (gpu.status === 'ok') setTimeout(() => void loadWebLLM().catch(() => {}), 1500);
});
