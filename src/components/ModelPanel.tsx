import { useEffect, useState } from 'preact/hooks';
import { autoLoad, contextWindows, semanticSearch, generating, gpu, loadState, models, readyModel, readyModelName, selectedModelId, webgpuUsable } from '../state/app-state';
import { cancelLoad, chooseContextWindow, dismissLoadError, loadModel, retryLoad, selectModel, setAutoLoad } from '../state/model-actions';
import { addCustomModel, customModelError, documentsStored, deleteCachedModel, lastDelete, modelInUse, refreshStorage, removeCustomModel, requestPersistence, storageError, storageReport } from '../state/storage-actions';
import { setSemanticSearch } from '../state/embedding-model';
import { CustomModelForm } from './CustomModelForm';
import { LoadError } from './LoadError';
import { LoadProgress } from './LoadProgress';
import { ModelPicker } from './ModelPicker';
import { StoragePanel } from './StoragePanel';
import { formatCount } from '../format';

/** Choosing and loading a model, its progress or failure, the storage view and custom models. */
export function ModelPanel() {
  const load = loadState.value;
  const ready = readyModel.value;
  // Open while there is something to do (choose, load, a failure); folded to one line once a model is
  // ready, so the conversation gets the screen. The user can open it any time.
  const [open, setOpen] = useState(ready === null);
  useEffect(() => setOpen(ready === null), [ready?.modelId ?? null]);
  if (!webgpuUsable.value) return null;
  const name = readyModelName.value;
  return (
    <details class="model-panel" id="model-panel" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary class="model-summary">{name ? <>Model: {name}</> : 'Model'}</summary>
      <ModelPicker
        models={models.value}
        selectedId={selectedModelId.value}
        loadedId={ready?.modelId ?? null}
        loadedWindow={ready?.contextWindow ?? null}
        chosenWindow={selectedModelId.value ? (contextWindows.value[selectedModelId.value] ?? null) : null}
        deviceMemoryGB={gpu.value?.status === 'ok' ? gpu.value.deviceMemoryGB : null}
        onContextWindow={chooseContextWindow}
        disabled={load.status === 'loading' || generating.value}
        onSelect={selectModel}
        onLoad={(id) => void retryLoad(id)}
      />
      <label class="auto-load">
        <input type="checkbox" checked={autoLoad.value} onChange={(e) => setAutoLoad((e.target as HTMLInputElement).checked)} /> Load the last model by itself on start (when it is in this browser’s cache)
      </label>
      <label class="auto-load">
        <input type="checkbox" checked={semanticSearch.value} onChange={(e) => setSemanticSearch((e.target as HTMLInputElement).checked)} /> Search attached documents by meaning too, not only by their words (downloads
        the snowflake-arctic-embed-s embedding model once, about 130 MB; it takes about 240 MB of GPU memory beside the chat model; files attached from then on)
      </label>
      {load.status === 'loading' && <LoadProgress modelId={load.modelId} progress={load.progress} bytesPerSecond={load.bytesPerSecond} stalled={load.stalled} onCancel={() => void cancelLoad()} />}
      {load.status === 'error' && (
        <LoadError
          modelId={load.modelId}
          kind={load.kind}
          message={load.message}
          onRetry={() => void retryLoad(load.modelId)}
          onTakeOver={() => void loadModel(load.modelId, true)}
          onDismiss={dismissLoadError}
        />
      )}
      {load.status === 'ready' && (
        <p class="hint" data-testid="load-done">
          {load.model.modelId} loaded in {load.model.loadSeconds.toFixed(1)} s{load.model.fromCache ? ' from this browser’s cache (no download)' : ''}
          {load.model.contextWindow ? `, with a ${formatCount(load.model.contextWindow)}-token context window` : ''}.
        </p>
      )}
      <details
        class="panel-section"
        onToggle={(e) => {
          if ((e.target as HTMLDetailsElement).open) void refreshStorage();
        }}
      >
        <summary>Storage</summary>
        <StoragePanel
          report={storageReport.value}
          documents={documentsStored.value}
          lastDelete={lastDelete.value}
          error={storageError.value}
          inUse={modelInUse()}
          onDelete={(id) => void deleteCachedModel(id)}
          onPersist={() => void requestPersistence()}
        />
      </details>
      <details class="panel-section" id="custom-models">
        <summary>Custom models</summary>
        <CustomModelForm
          customModels={models.value.filter((m) => m.owned_by === 'custom')}
          error={customModelError.value}
          onAdd={addCustomModel}
          onRemove={(id) => void removeCustomModel(id)}
        />
      </details>
    </details>
  );
}
