// Sending messages and streaming replies into the conversation; regenerate,
// edit and resend, continue, delete.
import type { ChatMessage } from '../../protocol/contract';
import type { AttachmentRef, Conversation, StoredMessage } from '../storage/conversations';
import { conversation, conversations, liveReply, pendingAttachments, readyModel } from './app-state';
import { offerUndo, setDraft, updateConversation } from './conversation-actions';
import { nameWithModel } from './chat-title';
import { addVersion, switchVersion } from './message-versions';
import { replying, runReply, stopReply } from './reply-runner';

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}

/** The request history: the system prompt, then finished turns (stopped replies count, failed ones do not). */
function history(c: Conversation, messages: StoredMessage[]): ChatMessage[] {
  const turns = messages.filter((m) => m.status !== 'error' && m.content !== '').map((m) => ({ role: m.role, content: m.content }) as ChatMessage);
  return c.settings.systemPrompt.trim() ? [{ role: 'system', content: c.settings.systemPrompt }, ...turns] : turns;
}

function patchMessage(conversationId: string, messageId: string, patch: Partial<StoredMessage>, persist = true): void {
  updateConversation(conversationId, (c) => ({ ...c, updatedAt: Date.now(), messages: c.messages.map((m) => (m.id === messageId ? { ...m, ...patch } : m)) }), persist);
}

/** The attachments ready to go with a question; the composer's chips are cleared. */
function takeAttachments(): AttachmentRef[] {
  const ready = pendingAttachments.value.flatMap((a) => (a.state === 'indexed' && a.ref ? [a.ref] : []));
  pendingAttachments.value = [];
  return ready;
}

/**
 * Streams the reply to the request's last question, grounded in the chat's
 * documents when it has any (the retrieval code loads with the first chat that does).
 */
async function answer(c: Conversation, replyId: string, request: ChatMessage[]): Promise<void> {
  let messages = request;
  if (c.messages.some((m) => Array.isArray(m.attachments) && m.attachments.length > 0)) {
    const grounded = await import('./grounding')
      .then(({ groundRequest }) => groundRequest(c, request, readyModel.value?.contextWindow ?? 4096))
      .catch(() => ({ messages: request, sources: [] }));
    patchMessage(c.id, replyId, { sources: grounded.sources.length > 0 ? grounded.sources : undefined });
    messages = grounded.messages;
  }
  await runReply(replyId, messages);
}

export async function sendMessage(text: string): Promise<void> {
  const content = text.trim();
  if (!readyModel.value || content === '' || replying() || pendingAttachments.value.some((a) => a.state === 'reading')) return;
  const c = conversation.value;
  const attachments = takeAttachments();
  const user: StoredMessage = { id: crypto.randomUUID(), role: 'user', content, status: 'done', ...(attachments.length > 0 ? { attachments } : {}) };
  const reply: StoredMessage = { id: crypto.randomUUID(), role: 'assistant', content: '', status: 'streaming' };
  if (!conversations.value.some((x) => x.id === c.id)) conversations.value = [c, ...conversations.value];
  const updated = updateConversation(c.id, (conv) => ({
    ...conv,
    title: conv.messages.length === 0 ? titleFrom(content) : conv.title,
    modelId: readyModel.value!.modelId,
    updatedAt: Date.now(),
    messages: [...conv.messages, user, reply],
  }))!;
  setDraft('');
  await answer(updated, reply.id, history(updated, updated.messages.slice(0, -1)));
  // The first exchange: the model names the chat (the question's first line until then).
  if (updated.messages.length === 2) void nameWithModel(c.id);
}

/** Stops the reply in progress; what arrived so far is kept. */
export const stopGeneration = stopReply;

/** Answers the last user message again: a new version of the last reply (the old ones stay, ‹ 1 / 2 ›). */
export async function regenerate(messageId: string): Promise<void> {
  const c = conversation.value;
  const index = c.messages.findIndex((m) => m.id === messageId);
  if (replying() || !readyModel.value || index !== c.messages.length - 1 || c.messages[index]!.role !== 'assistant') return;
  updateConversation(c.id, (conv) => ({ ...conv, updatedAt: Date.now(), messages: addVersion(conv.messages, messageId, { content: '', status: 'streaming' }) }));
  await answer(c, messageId, history(c, c.messages.slice(0, index)));
}

/** Shows another version of a reply or question (‹ / ›); not while a reply is being written. */
export function showVersion(messageId: string, delta: number): void {
  if (replying()) return;
  updateConversation(conversation.value.id, (conv) => ({ ...conv, messages: switchVersion(conv.messages, messageId, delta) }));
}

/** Picks up an interrupted or stopped last reply where it ended (the model continues its own text). */
export async function continueReply(messageId: string): Promise<void> {
  const c = conversation.value;
  const index = c.messages.findIndex((m) => m.id === messageId);
  const message = c.messages[index];
  if (replying() || !readyModel.value || !message || index !== c.messages.length - 1 || message.role !== 'assistant') return;
  patchMessage(c.id, messageId, { status: 'streaming', error: undefined });
  // Mistral's assistant prefix: the model continues the reply's own text, so it reads as one.
  const request = [...history(c, c.messages.slice(0, index)), { role: 'assistant', content: message.content, prefix: true } as ChatMessage];
  await runReply(messageId, request, message.content);
}

/**
 * Edits a question and sends it again: a new version of the question, with
 * its own reply, in the same conversation. What followed the old version is
 * kept with it (‹ 1 / 2 › on the question brings it back).
 */
export async function editAndResend(messageId: string, text: string): Promise<void> {
  const content = text.trim();
  const c = conversation.value;
  const index = c.messages.findIndex((m) => m.id === messageId);
  if (replying() || !readyModel.value || content === '' || index < 0 || c.messages[index]!.role !== 'user') return;
  const reply: StoredMessage = { id: crypto.randomUUID(), role: 'assistant', content: '', status: 'streaming' };
  // By id, on whatever the stored conversation holds by then (another tab may have added to it).
  const target = updateConversation(c.id, (conv) => ({ ...conv, updatedAt: Date.now(), messages: addVersion(conv.messages, messageId, { content, tail: [reply] }) }))!;
  await answer(target, reply.id, history(target, target.messages.slice(0, -1)));
}

/**
 * The turn a message belongs to: a question with the replies that follow it
 * (or a reply with its question), so deleting never leaves an answer to
 * nothing, or a question whose answer is gone.
 */
export function turnOf(messages: StoredMessage[], messageId: string): string[] {
  const index = messages.findIndex((m) => m.id === messageId);
  if (index < 0) return [];
  let start = index;
  while (start > 0 && messages[start]!.role === 'assistant') start--;
  if (messages[start]!.role !== 'user') start = index;
  let end = start + 1;
  while (end < messages.length && messages[end]!.role === 'assistant') end++;
  return messages.slice(start, end).map((m) => m.id);
}

/** Deletes a message's turn (question and reply) at once; Undo puts it back where it was. */
export function deleteMessage(messageId: string): void {
  const c = conversation.value;
  const ids = new Set(turnOf(c.messages, messageId));
  if (ids.size === 0 || (liveReply.value && ids.has(liveReply.value.messageId)) || c.messages.some((m) => ids.has(m.id) && m.status === 'streaming')) return;
  const removed = c.messages.filter((m) => ids.has(m.id));
  // Put back after the message that preceded the turn (or first), wherever that is by then.
  const before = c.messages[c.messages.findIndex((m) => ids.has(m.id)) - 1]?.id ?? null;
  updateConversation(c.id, (x) => ({ ...x, updatedAt: Date.now(), messages: x.messages.filter((m) => !ids.has(m.id)) }));
  offerUndo(removed.length === 1 ? 'Deleted a message.' : `Deleted a question and its reply.`, () =>
    updateConversation(c.id, (x) => {
      if (x.messages.some((m) => ids.has(m.id))) return x;
      const at = before === null ? 0 : x.messages.findIndex((m) => m.id === before) + 1;
      const messages = [...x.messages];
      messages.splice(at > 0 || before === null ? at : messages.length, 0, ...removed);
      return { ...x, messages };
    }),
  );
}

