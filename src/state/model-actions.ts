// Starting the engine, choosing and loading a model.
import { isEngineStopped, isModelLoadError } from '../../protocol/errors';
import type { LoadProgress } from '../../protocol/contract';
import { engine, onEngineStopped, restartEngine } from '../engine/bridge';
import { getAutoLoad, getContextWindows, getLastModel, getSemanticSearch, saveAutoLoad, saveContextWindows, saveLastModel } from '../storage/conversations';
import { autoLoad, chatError, contextWindows, semanticSearch, engineFailure, gpu, loadState, models, selectedModelId, type LoadState } from './app-state';
import { refreshModels, requestPersistence } from './storage-actions';

/** The model to bring back after the engine restarts. */
let lastModelId: string | null = null;

onEngineStopped((message) => {
  engineFailure.value = message;
  const state = loadState.value;
  if (state.status === 'loading') lastModelId = state.modelId;
  loadState.value = { status: 'idle' };
});

/** One click after a crash: a fresh worker, then the model that was in use (from the cache, no download). */
export async function restartAndReload(): Promise<void> {
  restartEngine();
  engineFailure.value = null;
  // The stopped engine's alerts (a reply cut off, "did not answer") are over with it.
  chatError.value = null;
  loadState.value = { status: 'idle' };
  await initializeEngine();
  // This tab held the model: the lock may still be the dead worker's for a moment, so take it back.
  if (lastModelId) await loadModel(lastModelId, true);
}

/** Load or Retry from the model panel: through a fresh engine when the engine itself has stopped. */
export function retryLoad(modelId: string): Promise<void> {
  if (engineFailure.value) {
    lastModelId = modelId;
    return restartAndReload();
  }
  return loadModel(modelId);
}

/**
 * Asks the worker what this device can do and which models fit. On start-up
 * the model last used here loads by itself when it is fully cached (never a
 * download unasked), unless that setting is off; the decision is made in the
 * same tick the list arrives, so the picker never shows a moment of "idle".
 */
export async function initializeEngine(startUp = false): Promise<void> {
  const prefs = startUp ? Promise.all([getAutoLoad().catch(() => true), getLastModel().catch(() => undefined), getContextWindows().catch(() => ({})), getSemanticSearch().catch(() => false)]) : null;
  try {
    // Asked at once, not in turn: each is a round trip to a worker that is still starting.
    const [, report, list] = await Promise.all([
      engine.events((event) => {
        if (event.type === 'model-taken-over') {
          loadState.value = {
            status: 'error',
            modelId: event.modelId,
            kind: 'in-use-elsewhere',
            message: 'Another tab of this app took over the model (a GPU holds one at a time). Use it here again to take it back.',
          };
        }
      }),
      engine.gpu(),
      engine.models.list(),
    ]);
    gpu.value = report;
    const [auto, last, windows, semantic] = prefs ? await prefs : [false, undefined, null, null];
    if (windows) contextWindows.value = { ...windows, ...contextWindows.peek() };
    if (semantic !== null) semanticSearch.value = semantic;
    models.value = list.data;
    // The recommended model, else (a CPU adapter recommends none) the first Mistral variant that runs and fits.
    selectedModelId.value ??=
      list.data.find((m) => m.recommended && m.supported)?.id ??
      list.data.find((m) => m.preferredVariant && m.supported && m.owned_by === 'mistralai' && m.memoryWarning === null)?.id ??
      null;
    if (!prefs) return;
    autoLoad.value = auto;
    const entry = list.data.find((m) => m.id === last);
    // Not when the user started a load meanwhile.
    if (auto && entry?.supported && entry.cached === 'full' && loadState.peek().status === 'idle') void autoLoadModel(entry.id);
  } catch (error) {
    engineFailure.value = `The engine could not start: ${(error as Error).message}`;
    if (prefs) autoLoad.value = (await prefs)[0];
  }
}

async function autoLoadModel(modelId: string): Promise<void> {
  selectedModelId.value = modelId;
  await loadModel(modelId);
  // Another tab holds it: say nothing unasked (Load says so, and offers to take it over).
  const after: LoadState = loadState.peek();
  if (after.status === 'error' && after.kind === 'in-use-elsewhere' && after.modelId === modelId) loadState.value = { status: 'idle' };
}

export function setAutoLoad(on: boolean): void {
  autoLoad.value = on;
  void saveAutoLoad(on).catch(() => {});
}

/** Measures download speed from successive progress reports. */
function speedTracker(): (p: LoadProgress) => number | null {
  let last: { t: number; bytes: number } | null = null;
  let rate: number | null = null;
  return (p) => {
    const now = p.elapsedSeconds;
    if (last && now - last.t >= 0.5) {
      const instant = (p.bytesDownloaded - last.bytes) / (now - last.t);
      rate = rate === null ? instant : rate * 0.7 + instant * 0.3;
      last = { t: now, bytes: p.bytesDownloaded };
    } else if (!last) {
      last = { t: now, bytes: p.bytesDownloaded };
    }
    return rate;
  };
}

/** No downloaded byte for this long while downloading: say the download is stalled, not a frozen speed. */
const STALLED_AFTER_MS = 3000;

/** The window chosen for this model, when it is still one the model offers. */
function chosenWindow(modelId: string): { contextWindow?: number } {
  const tokens = contextWindows.peek()[modelId];
  const offered = models.peek().find((m) => m.id === modelId)?.contextWindowOptions ?? [];
  return tokens && offered.includes(tokens) ? { contextWindow: tokens } : {};
}

export async function loadModel(modelId: string, takeOver = false): Promise<void> {
  selectedModelId.value = modelId;
  lastModelId = modelId;
  loadState.value = { status: 'loading', modelId, progress: null, bytesPerSecond: null };
  const speed = speedTracker();
  let lastBytes = -1;
  let lastByteAt = performance.now();
  const stallCheck = setInterval(() => {
    const current = loadState.value;
    if (current.status !== 'loading' || current.modelId !== modelId || current.progress?.stage !== 'download') return;
    if (!current.stalled && performance.now() - lastByteAt > STALLED_AFTER_MS) loadState.value = { ...current, stalled: true, bytesPerSecond: null };
  }, 1000);
  try {
    const model = await engine.models.load(
      modelId,
      (progress) => {
        const current = loadState.value;
        if (current.status !== 'loading' || current.modelId !== modelId) return;
        if (progress.bytesDownloaded !== lastBytes) {
          lastBytes = progress.bytesDownloaded;
          lastByteAt = performance.now();
        }
        loadState.value = { status: 'loading', modelId, progress, bytesPerSecond: speed(progress), stalled: false };
      },
      { takeOver, ...chosenWindow(modelId) },
    );
    loadState.value = { status: 'ready', model };
    void saveLastModel(modelId).catch(() => {});
    // The first cached model is worth keeping: ask the browser not to evict it.
    void requestPersistence();
    void refreshModels();
  } catch (error) {
    if (isModelLoadError(error)) {
      loadState.value = error.kind === 'aborted' ? { status: 'idle' } : { status: 'error', modelId, kind: error.kind, message: error.message };
      // A partial download is kept: the picker shows it as partly cached.
      void refreshModels();
    } else if (isEngineStopped(error)) {
      // The engine notice offers the restart (and the load after it).
      lastModelId = modelId;
      loadState.value = { status: 'idle' };
    } else {
      loadState.value = { status: 'error', modelId, kind: 'unknown', message: (error as Error).message };
    }
  } finally {
    clearInterval(stallCheck);
  }
}

export function selectModel(modelId: string): void {
  selectedModelId.value = modelId;
}

/** The context window the next load of `modelId` asks for (kept for later visits). */
export function chooseContextWindow(modelId: string, tokens: number): void {
  const model = models.peek().find((m) => m.id === modelId);
  const next = { ...contextWindows.peek() };
  if (!model || tokens === model.contextWindowOptions[0]) delete next[modelId];
  else next[modelId] = tokens;
  contextWindows.value = next;
  void saveContextWindows(next).catch(() => {});
}

/** The GPU lost the model mid-reply: the model panel offers to load it again. */
export function modelLost(modelId: string, message: string): void {
  loadState.value = { status: 'error', modelId, kind: 'device-lost', message };
}

export async function cancelLoad(): Promise<void> {
  await engine.models.cancelLoad();
}

export function dismissLoadError(): void {
  loadState.value = { status: 'idle' };
}
