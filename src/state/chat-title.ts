// After a chat's first exchange, the loaded model names it: locally, after the
// reply (never delaying it), in a few tokens. The question's first line stays
// the title when the model gives nothing usable, when the user renamed the
// chat meanwhile, or when the next request starts (that one is never kept
// waiting: a title request in flight is dropped for it).
import { engine } from '../engine/bridge';
import { conversations, readyModel } from './app-state';
import { updateConversation } from './conversation-sync';
import { cleanTitle, TITLE_INSTRUCTION } from './title-prompt';


let pending: AbortController | null = null;

/** Drops a title request in flight (a reply is about to start). */
export function cancelTitle(): void {
  pending?.abort();
  pending = null;
}

/** Names the conversation with the loaded model if it has just had its first exchange. */
export async function nameWithModel(conversationId: string): Promise<void> {
  const model = readyModel.peek();
  const c = conversations.peek().find((x) => x.id === conversationId);
  if (!model || !c || c.messages.length !== 2) return;
  const [question, answer] = c.messages as [(typeof c.messages)[0], (typeof c.messages)[0]];
  if (question.role !== 'user' || answer.role !== 'assistant' || answer.status !== 'done' || answer.content === '') return;
  const fallback = c.title;
  cancelTitle();
  const abort = new AbortController();
  pending = abort;
  try {
    const result = await engine.chat.completions.create(
      {
        model: model.modelId,
        messages: [{ role: 'user', content: `${TITLE_INSTRUCTION}\n\nQuestion: ${question.content.slice(0, 1500)}\n\nAnswer: ${answer.content.slice(0, 1500)}` }],
        temperature: 0,
        max_completion_tokens: 16,
        stream: false,
      },
      { signal: abort.signal },
    );
    const title = cleanTitle(result.choices[0]?.message.content ?? '');
    if (abort.signal.aborted || title === '') return;
    // Not over a name the user gave it meanwhile.
    updateConversation(conversationId, (conv) => (conv.title === fallback ? { ...conv, title } : conv));
  } catch {
    // No title from the model (stopped, engine busy or gone): the first line stays.
  } finally {
    if (pending === abort) pending = null;
  }
}
