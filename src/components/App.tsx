import {
  chatError,
  conversation,
  engineFailure,
  generating,
  gpu,
  loadState,
  models,
  readyModel,
  selectedModelId,
  streamingReply,
  webgpuUsable,
} from '../state/app-state';
import { sendMessage, startNewConversation, stopGeneration } from '../state/chat-actions';
import { cancelLoad, dismissLoadError, loadModel } from '../state/model-actions';
import {
  addCustomModel,
  customModelError,
  deleteCachedModel,
  lastDelete,
  refreshStorage,
  removeCustomModel,
  requestPersistence,
  storageError,
  storageReport,
} from '../state/storage-actions';
import { CustomModelForm } from './CustomModelForm';
import { StoragePanel } from './StoragePanel';
import { Composer } from './Composer';
import { GpuNotice } from './GpuNotice';
import { LoadError } from './LoadError';
import { LoadProgress } from './LoadProgress';
import { MessageList } from './MessageList';
import { ModelPicker } from './ModelPicker';

/** The chat screen: model controls on top, the conversation, the input. */
export function App() {
  const load = loadState.value;
  const ready = readyModel.value;
  const detected = gpu.value;
  return (
    <div class="app">
      <header class="app-header">
        <h1>Mistral, in your browser</h1>
        <p class="status" data-testid="engine-status">
          {engineFailure.value ?? (detected === null ? 'Checking WebGPU…' : ready ? `Ready: ${ready.modelId}` : webgpuUsable.value ? 'No model loaded' : 'WebGPU unavailable')}
        </p>
        <button type="button" onClick={startNewConversation} disabled={generating.value}>
          New chat
        </button>
      </header>

      {detected && <GpuNotice gpu={detected} />}

      {webgpuUsable.value && (
        <section class="model-panel" aria-label="Model">
          <ModelPicker
            models={models.value}
            selectedId={selectedModelId.value}
            loadedId={ready?.modelId ?? null}
            disabled={load.status === 'loading' || generating.value}
            onSelect={(id) => (selectedModelId.value = id)}
            onLoad={(id) => void loadModel(id)}
          />
          {load.status === 'loading' && <LoadProgress modelId={load.modelId} progress={load.progress} bytesPerSecond={load.bytesPerSecond} onCancel={() => void cancelLoad()} />}
          {load.status === 'error' && (
            <LoadError modelId={load.modelId} kind={load.kind} message={load.message} onRetry={() => void loadModel(load.modelId)} onDismiss={dismissLoadError} />
          )}
          {load.status === 'ready' && (
            <p class="hint" data-testid="load-done">
              {load.model.modelId} loaded in {load.model.loadSeconds.toFixed(1)} s{load.model.fromCache ? ' from this browser’s cache (no download)' : ''}.
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
              lastDelete={lastDelete.value}
              error={storageError.value}
              onDelete={(id) => void deleteCachedModel(id)}
              onPersist={() => void requestPersistence()}
            />
          </details>
          <details class="panel-section">
            <summary>Custom models</summary>
            <CustomModelForm
              customModels={models.value.filter((m) => m.owned_by === 'custom')}
              error={customModelError.value}
              onAdd={addCustomModel}
              onRemove={(id) => void removeCustomModel(id)}
            />
          </details>
        </section>
      )}

      <main class="chat" aria-label="Conversation">
        <MessageList messages={conversation.value.messages} streaming={streamingReply.value} />
        {chatError.value && (
          <p class="notice notice-error" role="alert">
            {chatError.value}
          </p>
        )}
      </main>

      <Composer
        canSend={ready !== null}
        generating={generating.value}
        placeholder={ready ? 'Message Mistral (Enter to send, Shift+Enter for a new line)' : 'Load a model to start chatting'}
        onSend={(text) => void sendMessage(text)}
        onStop={stopGeneration}
      />
    </div>
  );
}
