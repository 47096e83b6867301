// Conversations persist in IndexedDB (idb-keyval), in databases of their own,
// apart from WebLLM's model caches: deleting a model never touches them.
import { createStore, del, entries, get, set } from 'idb-keyval';

export interface MessageStats {
  timeToFirstTokenMs: number | null;
  tokensPerSecond: number | null;
  promptTokens: number;
  completionTokens: number;
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  /** "interrupted": the page closed or the engine failed mid-reply; "stopped": the user pressed Stop. */
  status: 'done' | 'streaming' | 'stopped' | 'interrupted' | 'error';
  error?: string;
  stats?: MessageStats;
  /** Set when older turns were left out so the request fit the context window. */
  droppedTurns?: number;
}

/** Sampling and prompt settings, per conversation. */
export interface ChatSettings {
  systemPrompt: string;
  temperature: number;
  top_p: number;
  max_tokens: number;
  top_k: number | null;
  min_p: number | null;
  frequency_penalty: number;
  presence_penalty: number;
  repetition_penalty: number | null;
  seed: number | null;
}

/** Mistral's recommended chat sampling (temperature 0.7), a reply cap that leaves room for history. */
export const DEFAULT_SETTINGS: ChatSettings = {
  systemPrompt: '',
  temperature: 0.7,
  top_p: 1,
  max_tokens: 1024,
  top_k: null,
  min_p: null,
  frequency_penalty: 0,
  presence_penalty: 0,
  repetition_penalty: null,
  seed: null,
};

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  modelId: string | null;
  messages: StoredMessage[];
  settings: ChatSettings;
}

export const CONVERSATION_DB = 'mistral-local';
export const CONVERSATION_STORE = 'conversations';
const conversations = createStore(CONVERSATION_DB, CONVERSATION_STORE);
// idb-keyval keeps one store per database, so UI state (current id, drafts) has its own.
const uiState = createStore('mistral-local-ui', 'state');

/** A conversation as stored, with a reply cut off by a closed page marked interrupted. */
function restore(conversation: Conversation): Conversation {
  return {
    ...conversation,
    settings: { ...DEFAULT_SETTINGS, ...conversation.settings },
    messages: conversation.messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' as const } : m)),
  };
}

export async function listConversations(): Promise<Conversation[]> {
  const all = await entries<string, Conversation>(conversations);
  return all.map(([, c]) => restore(c)).sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function getConversation(id: string): Promise<Conversation | undefined> {
  const c = await get<Conversation>(id, conversations);
  return c ? restore(c) : undefined;
}

export function saveConversation(conversation: Conversation): Promise<void> {
  return set(conversation.id, conversation, conversations);
}

export async function deleteConversation(id: string): Promise<void> {
  await del(id, conversations);
  await del(`draft:${id}`, uiState);
}

export function getCurrentId(): Promise<string | undefined> {
  return get<string>('current', uiState);
}

export function setCurrentId(id: string): Promise<void> {
  return set('current', id, uiState);
}

export async function getDraft(conversationId: string): Promise<string> {
  return (await get<string>(`draft:${conversationId}`, uiState)) ?? '';
}

export function saveDraft(conversationId: string, text: string): Promise<void> {
  return text === '' ? del(`draft:${conversationId}`, uiState) : set(`draft:${conversationId}`, text, uiState);
}

export function getTheme(): Promise<'light' | 'dark' | 'system' | undefined> {
  return get('theme', uiState);
}

export function saveTheme(theme: 'light' | 'dark' | 'system'): Promise<void> {
  return set('theme', theme, uiState);
}
