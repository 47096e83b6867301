// Streams one reply into a message of the current conversation: fits the
// history to the context window, saves the partial reply as it arrives, and
// records how the reply ended (done, stopped, interrupted, error).
import type { ChatCompletionRequest, ChatMessage, GenerationStats } from '../../protocol/contract';
import { isAbortError, isApiError } from '../../protocol/errors';
import { engine } from '../engine/bridge';
import type { ChatSettings, StoredMessage } from '../storage/conversations';
import { announcement, chatError, conversation, liveReply, readyModel } from './app-state';
import { fitToContext, promptBudget } from './context-window';
import { storeOnly, updateConversation } from './conversation-sync';
import { cancelTitle } from './chat-title';
import { LiveReply } from './live-reply';
import { modelLost } from './model-actions';

/** A reply in progress is written to IndexedDB at most this long after text arrives (a closed tab keeps what was shown). */
const SAVE_DELAY_MS = 200;

/**
 * Saves the partial reply soon after each chunk, and at once when the page is
 * hidden or closed (pagehide, visibilitychange), so a reload loses at most
 * the last fraction of a second of text. `stop()` ends it.
 */
function partialSaver(conversationId: string, replyId: string, text: () => string): { chunk(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saved = '';
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    const content = text();
    if (content === saved) return;
    saved = content;
    void storeOnly(conversationId, (stored) => ({ ...stored, messages: stored.messages.map((m) => (m.id === replyId ? { ...m, content } : m)) }));
  };
  const onHide = () => {
    if (document.visibilityState === 'hidden') save();
  };
  addEventListener('pagehide', save);
  document.addEventListener('visibilitychange', onHide);
  return {
    chunk: () => {
      timer ??= setTimeout(save, SAVE_DELAY_MS);
    },
    stop: () => {
      clearTimeout(timer);
      removeEventListener('pagehide', save);
      document.removeEventListener('visibilitychange', onHide);
    },
  };
}

let controller: AbortController | null = null;

/** True while a reply is being generated. */
export function replying(): boolean {
  return controller !== null;
}

/** Stops the reply in progress; what arrived so far is kept. */
export function stopReply(): void {
  controller?.abort();
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

/** Streams a reply into message `replyId` of the current conversation. */
export async function runReply(replyId: string, request: ChatMessage[], prefix = ''): Promise<void> {
  const model = readyModel.value;
  const c = conversation.value;
  if (!model) return;
  // A chat being named by the model does not keep this reply waiting.
  cancelTitle();
  chatError.value = null;
  const live = new LiveReply(c.id, replyId, prefix);
  liveReply.value = live;
  const abort = new AbortController();
  controller = abort;
  let status: StoredMessage['status'] = 'done';
  let error: string | undefined;
  let dropped = 0;
  const saver = partialSaver(c.id, replyId, () => prefix + live.text);
  let budget = promptBudget(model.contextWindow ?? 4096, c.settings.max_tokens);
  let stats: GenerationStats | null = null;
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
          // Straight to IndexedDB soon after: the on-screen reply is the live one, no re-render needed.
          saver.chunk();
        }
        if (abort.signal.aborted) status = 'stopped';
        stats = stream.stats;
        // The finished message is rendered in slices before it replaces the streamed view (no long
        // task at the end of a long reply), and the view has shown what it received (it takes a few
        // lines a frame from an engine faster than the page); the text is already being saved (saver).
        const rendering = import('../render/markdown').then((m) => m.renderMessageInSlices(prefix + live.text)).catch(() => {});
        await Promise.all([rendering, live.caughtUp()]);
        // The view caught up in an animation frame: the finished message takes its place in a task of
        // its own, not in that frame's (a 300-line paragraph's finish and the frame were one 50–60 ms
        // task here, 2 × AMD EPYC).
        await taskOfItsOwn();
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
      // The model is gone from the GPU: the model panel offers to load it again.
      if (isApiError(caught) && caught.code === 'device_lost') modelLost(model.modelId, error);
    }
  } finally {
    saver.stop();
    controller = null;
    const last = status === 'done' ? stats : null;
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

/** Resolves in a task of its own: a message to itself, which a hidden tab does not hold back as it does timers. */
function taskOfItsOwn(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
