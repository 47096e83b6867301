import { chatError, conversation, draft, engineFailure, generating, liveReply, pendingAttachments, readyModel } from '../state/app-state';
import { continueReply, deleteMessage, editAndResend, regenerate, sendMessage, showVersion, stopGeneration } from '../state/chat-actions';
import { exportDamagedMessages, setDraft } from '../state/conversation-actions';
import { loadMessageList } from '../state/render-actions';
import { PendingChips } from './Attachments';
import { ChatMenu } from './ChatMenu';
import { EmptyChat } from './EmptyChat';
import { Composer } from './Composer';
import { lazy, Suspense } from 'preact/compat';
import type { MessageActions } from './MessageView';
import { SettingsDialog } from './SettingsDialog';

function copy(text: string): void {
  void navigator.clipboard?.writeText(text).catch(() => {});
}

// The messages and what renders them (marked, DOMPurify, the streaming renderer): not needed for the
// first paint, nor for an empty chat; imported when a chat has messages, else once the page is idle
// after start-up (state/render-actions.ts). The rest of the screen does not wait for them.
const MessageList = lazy(() => loadMessageList().then((m) => ({ default: m.MessageList })));

/** The attachment actions (and the documents worker), loaded with the first file. */
const attachments = () => import('../state/attachment-actions');

/** One object for the whole session: messages that did not change do not render again. */
const messageActions: MessageActions = {
  onCopy: copy,
  onEdit: (id, text) => void editAndResend(id, text),
  onRegenerate: (id) => void regenerate(id),
  onContinue: (id) => void continueReply(id),
  onDelete: deleteMessage,
  onVersion: showVersion,
};

/** An example prompt from the empty chat: put in the message box. */
function takeExample(text: string): void {
  setDraft(text);
  document.getElementById('prompt')?.focus();
}

/** The message box reads the draft itself: a keystroke renders the box, not the conversation. */
function ChatComposer() {
  const ready = readyModel.value;
  return (
    <Composer
      text={draft.value}
      canSend={ready !== null}
      generating={generating.value}
      placeholder={engineFailure.value ? 'The engine stopped: press “Restart engine” above to continue' : ready ? 'Message Mistral' : 'Load a model to start chatting'}
      onInput={setDraft}
      onSend={(text) => void sendMessage(text)}
      onStop={stopGeneration}
      onFiles={(files) => void attachments().then((m) => m.attachFiles(files))}
      attaching={pendingAttachments.value.some((a) => a.state === 'reading')}
      attachments={<PendingChips items={pendingAttachments.value} onRemove={(key) => void attachments().then((m) => m.removeAttachment(key))} />}
    />
  );
}

/** The current conversation: its title with settings and the chat menu, the messages, the input. */
export function ChatPane() {
  const current = conversation.value;
  const ready = readyModel.value;
  const busy = generating.value;
  const live = liveReply.value?.conversationId === current.id ? liveReply.value : null;
  return (
    <>
      <div class="chat-head">
        <h2 class="chat-title">{current.title}</h2>
        <div class="actions">
          <SettingsDialog />
          <ChatMenu conversation={current} />
        </div>
      </div>

      <main class="chat" aria-label="Conversation">
        {current.damaged && current.damaged.length > 0 && (
          <p class="notice notice-warn" role="status" data-testid="damaged-messages">
            {current.damaged.length === 1 ? 'One stored message of this chat is damaged' : `${current.damaged.length} stored messages of this chat are damaged`} and not shown; they are kept as they are.{' '}
            <button type="button" onClick={() => exportDamagedMessages(current)}>
              Export them
            </button>
          </p>
        )}
        {current.messages.length === 0 && !live ? (
          <EmptyChat onExample={takeExample} />
        ) : (
          <Suspense fallback={<div class="message-list" aria-busy="true" />}>
            <MessageList
              key={current.id}
              messages={current.messages}
              live={live}
              busy={busy}
              canGenerate={ready !== null}
              actions={messageActions}
            />
          </Suspense>
        )}
        {chatError.value && (
          <p class="notice notice-error" role="alert">
            {chatError.value}
          </p>
        )}
      </main>

      <ChatComposer />
    </>
  );
}
