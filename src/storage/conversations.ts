// Conversations persist in IndexedDB (idb-keyval), in a database of their own,
// apart from WebLLM's model caches: deleting a model never touches them.
import { createStore, del, get, set } from 'idb-keyval';

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  /** "interrupted": the page closed or the engine failed mid-reply; "stopped": the user pressed Stop. */
  status: 'done' | 'streaming' | 'stopped' | 'interrupted' | 'error';
  error?: string;
  stats?: { timeToFirstTokenMs: number | null; tokensPerSecond: number | null; completionTokens: number };
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  modelId: string | null;
  messages: StoredMessage[];
}

export const CONVERSATION_DB = 'mistral-local';
export const CONVERSATION_STORE = 'conversations';
const store = createStore(CONVERSATION_DB, CONVERSATION_STORE);
const CURRENT_KEY = 'current';

/** The conversation shown on start; a reply cut off by a closed page is marked interrupted. */
export async function loadCurrentConversation(): Promise<Conversation | undefined> {
  const conversation = await get<Conversation>(CURRENT_KEY, store);
  if (!conversation) return undefined;
  return {
    ...conversation,
    messages: conversation.messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' } : m)),
  };
}

export function saveCurrentConversation(conversation: Conversation): Promise<void> {
  return set(CURRENT_KEY, conversation, store);
}

export function clearCurrentConversation(): Promise<void> {
  return del(CURRENT_KEY, store);
}
