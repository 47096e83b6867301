// Sending messages and streaming replies into the conversation; regenerate,
// edit and resend, continue, delete.
import type { ChatCompletionRequest, ChatMessage } from '../../worker/contract';
import { isAbortError, isApiError } from '../../worker/errors';
import { engine } from '../engine-worker';
import { saveConversation, type ChatSettings, type Conversation, type StoredMessage } from '../storage/conversations';
import { announcement, chatError, conversation, conversations, liveReply, loadState, newConversation, readyModel } from './app-state';
import { fitToContext, promptBudget } from './context-window';
import { persistConversation, selectConversation, setDraft, updateConversation } from './conversation-actions';
import { LiveReply } from './live-reply';

/** How often a reply in progress is written to IndexedDB (a closed tab keeps what had arrived). */
const SAVE_INTERVAL_MS = 1000;
/** Asked to pick up an interrupted reply. */
const CONTINUE_PROMPT = 'Continue exactly where your previous answer stopped, without repeating anything.';

let controller: AbortController | null = null;

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}

/** The request history: the system prompt, then finished turns (stopped replies count, failed ones do not). */
function history(c: Conversation, messages: StoredMessage[]): ChatMessage[] {
  const turns = messages.filter((m) => m.status !== 'error' && m.content !== '').map((m) => ({ role: m.role, content: m.content }) as ChatMessage);
  return c.settings.systemPrompt.trim() ? [{ role: 'system', content: c.settings.systemPrompt }, ...turns] : turns;
}

/** The sampling settings as request parameters (unset ones left to the engine's defaults). */
export function samplingParams(s: ChatSettings): Partial<ChatCompletionRequest> {
  const params: Partial<ChatCompletionRequest> = { temperature: s.temperature, top_p: s.top_p, max_completion_tokens: s.max_tokens };
  if (s.top_k) params.top_k = s.top_k;
  if (s.min_p) params.min_p = s.min_p;
  if (s.frequency_penalty) params.frequency_penalty = s.frequency_penalty;
  if (s.presence_penalty) params.presence_penalty = s.presence_penalty;
  if (s.repetition_penalty) params.repetition_penalty = s.repetition_penalty;
  if (s.seed !== null) params.seed = s.seed;
  return params;
}

function patchMessage(conversationId: string, messageId: string, patch: Partial<StoredMessage>, persist = true): void {
  updateConversation(conversationId, (c) => ({ ...c, updatedAt: Date.now(), messages: c.messages.map((m) => (m.id === messageId ? { ...m, ...patch } : m)) }), persist);
}

/** Streams a reply into message `replyId` of the current conversation. */
async function runReply(replyId: string, request: ChatMessage[], prefix = ''): Promise<void> {
  const model = readyModel.value;
  const c = conversation.value;
  if (!model) return;
  chatError.value = null;
  const live = new LiveReply(c.id, replyId, prefix);
  liveReply.value = live;
  const abort = new AbortController();
  controller = abort;
  let status: StoredMessage['status'] = 'done';
  let error: string | undefined;
  let dropped = 0;
  let lastSave = performance.now();
  let budget = promptBudget(model.contextWindow ?? 4096, c.settings.max_tokens);
  try {
    for (let attempt = 0; ; attempt++) {
      const fitted = fitToContext(request, budget);
      dropped = fitted.dropped;
      try {
        const stream = await engine.chat.completions.create(
          { ...samplingParams(c.settings), model: model.modelId, messages: fitted.messages, stream: true },
          { signal: abort.signal },
        );
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta.content;
          if (!delta) continue;
          const t0 = performance.now();
          live.append(delta);
          if (import.meta.env.MODE === 'e2e') performance.measure('chunk', { start: t0, end: performance.now() });
          if (performance.now() - lastSave > SAVE_INTERVAL_MS) {
            lastSave = performance.now();
            // Straight to IndexedDB: the on-screen reply is the live one, no re-render needed.
            const saved = conversations.value.find((x) => x.id === c.id);
            if (saved) void saveConversation({ ...saved, messages: saved.messages.map((m) => (m.id === replyId ? { ...m, content: prefix + live.text } : m)) }).catch(() => {});
          }
        }
        if (abort.signal.aborted) status = 'stopped';
        break;
      } catch (caught) {
        // The estimate was short: leave out more history and try again (nothing was generated yet).
        if (isApiError(caught) && caught.code === 'context_length_exceeded' && attempt < 3 && live.text === '' && fitted.messages.length > 1) {
          budget = Math.floor(fitted.estimatedTokens * 0.6);
          continue;
        }
        throw caught;
      }
    }
  } catch (caught) {
    if (isAbortError(caught) || abort.signal.aborted) status = 'stopped';
    else {
      status = live.text || prefix ? 'interrupted' : 'error';
      error = (caught as Error).message;
      chatError.value = error;
      if (isApiError(caught) && caught.code === 'device_lost') {
        // The model is gone from the GPU: the model panel offers to load it again.
        loadState.value = { status: 'error', modelId: model.modelId, kind: 'device-lost', message: error };
      }
    }
  } finally {
    controller = null;
    const last = status === 'done' ? (await engine.stats().catch(() => null))?.last : null;
    updateConversation(c.id, (conv) => ({
      ...conv,
      updatedAt: Date.now(),
      messages: conv.messages.map((m) =>
        m.id === replyId
          ? {
              ...m,
              content: prefix + live.text,
              status,
              ...(error ? { error } : { error: undefined }),
              ...(dropped ? { droppedTurns: dropped } : { droppedTurns: undefined }),
              ...(last
                ? { stats: { timeToFirstTokenMs: last.timeToFirstTokenMs, tokensPerSecond: last.decodeTokensPerSecond, promptTokens: last.promptTokens, completionTokens: last.completionTokens } }
                : {}),
            }
          : m,
      ),
    }));
    liveReply.value = null;
    if (status === 'done') announcement.value = `Mistral replied: ${(prefix + live.text).slice(0, 300)}`;
  }
}

export async function sendMessage(text: string): Promise<void> {
  const content = text.trim();
  if (!readyModel.value || content === '' || controller) return;
  const c = conversation.value;
  const user: StoredMessage = { id: crypto.randomUUID(), role: 'user', content, status: 'done' };
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
  await runReply(reply.id, history(updated, updated.messages.slice(0, -1)));
}

/** Stops the reply in progress; what arrived so far is kept. */
export function stopGeneration(): void {
  controller?.abort();
}

/** Answers the last user message again, replacing the last reply. */
export async function regenerate(messageId: string): Promise<void> {
  const c = conversation.value;
  const index = c.messages.findIndex((m) => m.id === messageId);
  if (controller || !readyModel.value || index !== c.messages.length - 1 || c.messages[index]!.role !== 'assistant') return;
  patchMessage(c.id, messageId, { content: '', status: 'streaming', error: undefined, stats: undefined });
  await runReply(messageId, history(c, c.messages.slice(0, index)));
}

/** Picks up an interrupted or stopped last reply where it ended. */
export async function continueReply(messageId: string): Promise<void> {
  const c = conversation.value;
  const index = c.messages.findIndex((m) => m.id === messageId);
  const message = c.messages[index];
  if (controller || !readyModel.value || !message || index !== c.messages.length - 1 || message.role !== 'assistant') return;
  patchMessage(c.id, messageId, { status: 'streaming', error: undefined });
  const request = [...history(c, c.messages.slice(0, index + 1)), { role: 'user', content: CONTINUE_PROMPT } as ChatMessage];
  await runReply(messageId, request, message.content);
}

/**
 * Edits a user message and sends it again. The last question is edited in
 * place; an earlier one starts a new conversation from that point, so nothing
 * written after it is lost.
 */
export async function editAndResend(messageId: string, text: string): Promise<void> {
  const content = text.trim();
  const c = conversation.value;
  const index = c.messages.findIndex((m) => m.id === messageId);
  if (controller || !readyModel.value || content === '' || index < 0 || c.messages[index]!.role !== 'user') return;
  const reply: StoredMessage = { id: crypto.randomUUID(), role: 'assistant', content: '', status: 'streaming' };
  const edited: StoredMessage = { ...c.messages[index]!, content };
  const isLastTurn = c.messages.slice(index + 1).every((m) => m.role === 'assistant');
  let target: Conversation;
  if (isLastTurn) {
    target = updateConversation(c.id, (conv) => ({ ...conv, updatedAt: Date.now(), messages: [...conv.messages.slice(0, index), edited, reply] }))!;
  } else {
    target = { ...newConversation(), title: `${c.title} (edited)`, settings: { ...c.settings }, modelId: c.modelId, messages: [...c.messages.slice(0, index), { ...edited, id: crypto.randomUUID() }, reply] };
    conversations.value = [target, ...conversations.value];
    await persistConversation(target);
    await selectConversation(target.id);
  }
  await runReply(reply.id, history(target, target.messages.slice(0, -1)));
}

export function deleteMessage(messageId: string): void {
  if (liveReply.value?.messageId === messageId) return;
  updateConversation(conversation.value.id, (c) => ({ ...c, updatedAt: Date.now(), messages: c.messages.filter((m) => m.id !== messageId) }));
}

