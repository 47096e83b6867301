// Sending messages and streaming replies into the conversation.
import { isAbortError } from '../../worker/errors';
import type { ChatMessage } from '../../worker/contract';
import { engine } from '../engine-worker';
import { saveCurrentConversation, type Conversation, type StoredMessage } from '../storage/conversations';
import { chatError, conversation, newConversation, readyModel, streamingReply } from './app-state';

/** How often a reply in progress is written to IndexedDB (a closed tab keeps what had arrived). */
const SAVE_INTERVAL_MS = 1000;

let current: AbortController | null = null;

function update(change: (c: Conversation) => Conversation): Conversation {
  conversation.value = change(conversation.value);
  return conversation.value;
}

function persist(): void {
  void saveCurrentConversation(conversation.value).catch((error) => {
    chatError.value = `Could not save the conversation: ${(error as Error).message}`;
  });
}

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}

/** The request history: finished turns only (stopped replies count, failed ones do not). */
function history(messages: StoredMessage[]): ChatMessage[] {
  return messages.filter((m) => m.status !== 'error' && m.content !== '').map((m) => ({ role: m.role, content: m.content }));
}

export async function sendMessage(text: string): Promise<void> {
  const model = readyModel.value;
  const content = text.trim();
  if (!model || content === '' || current) return;
  chatError.value = null;
  const user: StoredMessage = { id: crypto.randomUUID(), role: 'user', content, status: 'done' };
  const reply: StoredMessage = { id: crypto.randomUUID(), role: 'assistant', content: '', status: 'streaming' };
  update((c) => ({
    ...c,
    title: c.messages.length === 0 ? titleFrom(content) : c.title,
    modelId: model.modelId,
    updatedAt: Date.now(),
    messages: [...c.messages, user],
  }));
  const messages = history(conversation.value.messages);
  update((c) => ({ ...c, messages: [...c.messages, reply] }));
  persist();

  const controller = new AbortController();
  current = controller;
  streamingReply.value = { messageId: reply.id, text: '' };
  let received = '';
  let lastSave = performance.now();
  let status: StoredMessage['status'] = 'done';
  let error: string | undefined;
  try {
    const stream = await engine.chat.completions.create({ model: model.modelId, messages, stream: true }, { signal: controller.signal });
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content;
      if (!delta) continue;
      received += delta;
      streamingReply.value = { messageId: reply.id, text: received };
      if (performance.now() - lastSave > SAVE_INTERVAL_MS) {
        lastSave = performance.now();
        update((c) => ({ ...c, messages: c.messages.map((m) => (m.id === reply.id ? { ...m, content: received } : m)) }));
        persist();
      }
    }
    if (controller.signal.aborted) status = 'stopped';
  } catch (caught) {
    if (isAbortError(caught) || controller.signal.aborted) status = 'stopped';
    else {
      status = received ? 'interrupted' : 'error';
      error = (caught as Error).message;
      chatError.value = error;
    }
  } finally {
    current = null;
    const stats = await engine.stats().catch(() => null);
    const last = stats?.last;
    update((c) => ({
      ...c,
      updatedAt: Date.now(),
      messages: c.messages.map((m) =>
        m.id === reply.id
          ? {
              ...m,
              content: received,
              status,
              ...(error ? { error } : {}),
              ...(last && status === 'done' ? { stats: { timeToFirstTokenMs: last.timeToFirstTokenMs, tokensPerSecond: last.decodeTokensPerSecond, completionTokens: last.completionTokens } } : {}),
            }
          : m,
      ),
    }));
    streamingReply.value = null;
    persist();
  }
}

/** Stops the reply in progress; what arrived so far is kept. */
export function stopGeneration(): void {
  current?.abort();
}

export function startNewConversation(): void {
  if (current) return;
  conversation.value = newConversation();
  chatError.value = null;
  persist();
}
