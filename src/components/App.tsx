import { signal } from '@preact/signals';
import {
  announcement,
  chatError,
  conversation,

  draft,
  engineFailure,
  generating,
  gpu,
  liveReply,
  loadState,
  models,
  readyModel,
  searchQuery,
  selectedModelId,
  visibleConversations,
  webgpuUsable,
} from '../state/app-state';
import { continueReply, deleteMessage, editAndResend, regenerate, sendMessage, stopGeneration } from '../state/chat-actions';
import {
  deleteConversation,
  exportConversation,
  importConversation,
  renameConversation,
  selectConversation,
  setDraft,
  startNewConversation,
  updateSettings,
} from '../state/conversation-actions';
import { cancelLoad, dismissLoadError, loadModel, restartAndReload } from '../state/model-actions';
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
import { applyUpdate, updateReady } from '../state/app-update';
import { setTheme, theme } from '../state/theme';
import { Composer } from './Composer';
import { ConversationList } from './ConversationList';
import { CustomModelForm } from './CustomModelForm';
import { GpuNotice } from './GpuNotice';
import { LiveAnnouncer } from './LiveAnnouncer';
import { LoadError } from './LoadError';
import { LoadProgress } from './LoadProgress';
import { MessageList } from './MessageList';
import { ModelPicker } from './ModelPicker';
import { SettingsPanel } from './SettingsPanel';
import { StoragePanel } from './StoragePanel';
import { ThemeToggle } from './ThemeToggle';

/** Set once highlight.js has loaded (it is fetched after first paint). */
export const highlightReady = signal(false);
const sidebarOpen = signal(false);
const importError = signal<string | null>(null);

function copy(text: string): void {
  void navigator.clipboard?.writeText(text).catch(() => {});
}

/** The chat screen: conversations beside, model controls on top, the conversation, the input. */
export function App() {
  const load = loadState.value;
  const ready = readyModel.value;
  const detected = gpu.value;
  const current = conversation.value;
  const busy = generating.value;
  return (
    <div class="app">
      <header class="app-header">
        <button type="button" class="sidebar-toggle" aria-expanded={sidebarOpen.value} aria-controls="sidebar" onClick={() => (sidebarOpen.value = !sidebarOpen.value)}>
          Chats
        </button>
        <h1>Mistral, in your browser</h1>
        <p class="status" data-testid="engine-status">
          {engineFailure.value ? 'Engine stopped' : (detected === null ? 'Checking WebGPU…' : ready ? `Ready: ${ready.modelId}` : webgpuUsable.value ? 'No model loaded' : 'WebGPU unavailable')}
        </p>
        <ThemeToggle theme={theme.value} onChange={setTheme} />
      </header>

      <div class="layout">
        <aside id="sidebar" class="sidebar" data-open={sidebarOpen.value ? 'true' : 'false'}>
          <ConversationList
            conversations={visibleConversations.value}
            currentId={current.id}
            query={searchQuery.value}
            busy={busy}
            onQuery={(q) => (searchQuery.value = q)}
            onSelect={(id) => {
              sidebarOpen.value = false;
              void selectConversation(id);
            }}
            onNew={() => {
              sidebarOpen.value = false;
              startNewConversation();
            }}
            onRename={renameConversation}
            onDelete={(id) => void deleteConversation(id)}
            onImport={async (file) => {
              importError.value = await importConversation(file);
            }}
          />
          {importError.value && (
            <p class="notice notice-error" role="alert">
              {importError.value}
            </p>
          )}
        </aside>

        <div class="main-column">
          {updateReady.value && (
            <p class="notice notice-warn" role="status" data-testid="update-ready">
              A new version of the app is ready.{' '}
              <button type="button" onClick={applyUpdate} disabled={busy}>
                Reload to update
              </button>
            </p>
          )}
          {engineFailure.value && (
            <section class="notice notice-error" role="alert" data-testid="engine-stopped">
              <h2>The engine stopped</h2>
              <p>{engineFailure.value} Your conversations and the reply so far are kept.</p>
              <button type="button" onClick={() => void restartAndReload()}>
                Restart engine
              </button>
            </section>
          )}
          {detected && <GpuNotice gpu={detected} />}

          {webgpuUsable.value && (
            <section class="model-panel" aria-label="Model">
              <ModelPicker
                models={models.value}
                selectedId={selectedModelId.value}
                loadedId={ready?.modelId ?? null}
                disabled={load.status === 'loading' || busy}
                onSelect={(id) => (selectedModelId.value = id)}
                onLoad={(id) => void loadModel(id)}
              />
              {load.status === 'loading' && <LoadProgress modelId={load.modelId} progress={load.progress} bytesPerSecond={load.bytesPerSecond} onCancel={() => void cancelLoad()} />}
              {load.status === 'error' && (
                <LoadError
                  modelId={load.modelId}
                  kind={load.kind}
                  message={load.message}
                  onRetry={() => void loadModel(load.modelId)}
                  onTakeOver={() => void loadModel(load.modelId, true)}
                  onDismiss={dismissLoadError}
                />
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

          <div class="chat-head">
            <h2 class="chat-title">{current.title}</h2>
            <div class="actions">
              <button type="button" disabled={current.messages.length === 0} onClick={() => exportConversation('markdown')}>
                Export Markdown
              </button>
              <button type="button" disabled={current.messages.length === 0} onClick={() => exportConversation('json')}>
                Export JSON
              </button>
            </div>
          </div>
          <details class="panel-section settings-section">
            <summary>Settings for this chat</summary>
            <SettingsPanel settings={current.settings} onChange={updateSettings} />
          </details>

          <main class="chat" aria-label="Conversation">
            <MessageList
              messages={current.messages}
              live={liveReply.value?.conversationId === current.id ? liveReply.value : null}
              busy={busy}
              canGenerate={ready !== null}
              highlight={highlightReady.value}
              onCopy={copy}
              onEdit={(id, text) => void editAndResend(id, text)}
              onRegenerate={(id) => void regenerate(id)}
              onContinue={(id) => void continueReply(id)}
              onDelete={deleteMessage}
            />
            {chatError.value && (
              <p class="notice notice-error" role="alert">
                {chatError.value}
              </p>
            )}
          </main>

          <Composer
            text={draft.value}
            canSend={ready !== null}
            generating={busy}
            placeholder={ready ? 'Message Mistral (Enter to send, Shift+Enter for a new line)' : 'Load a model to start chatting'}
            onInput={setDraft}
            onSend={(text) => void sendMessage(text)}
            onStop={stopGeneration}
          />
        </div>
      </div>
      <LiveAnnouncer message={announcement.value} />
    </div>
  );
}

