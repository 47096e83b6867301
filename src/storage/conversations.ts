// Conversations persist in IndexedDB (idb-keyval), in databases of their own,
// apart from WebLLM's model caches: deleting a model never touches them.
// Writes are read-modify-write in one transaction on the stored record (never
// a tab's in-memory copy written over it), so tabs writing the same
// conversation cannot clobber each other's messages.
import { del, entries, get, promisifyRequest, set } from 'idb-keyval';
import { createRepairingStore } from '../../protocol/idb-store';
import { damagedRecord, readConversation, type DamagedRecord, readSettings } from './conversation-records';

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
  /** Every version of this reply (Regenerate) or question (Edit), the shown one included; see state/message-versions.ts. */
  versions?: MessageVersion[];
  /** Which of `versions` is shown. */
  version?: number;
  /** Files attached to a question (their text is in the documents store, src/storage/documents.ts). */
  attachments?: AttachmentRef[];
  /** What a reply was given to answer from, numbered as it cites them: [1], [2]… */
  sources?: Source[];
}

export interface AttachmentRef {
  id: string;
  name: string;
  size: number;
  /** PDFs: the page count. */
  pages: number | null;
  chars: number;
}

export interface Source {
  n: number;
  documentId: string;
  name: string;
  page: number | null;
  text: string;
}

/** One version of a message: a reply's text and outcome, or a question's text with what followed it. */
export interface MessageVersion {
  content: string;
  status?: StoredMessage['status'];
  error?: string;
  stats?: MessageStats;
  droppedTurns?: number;
  /** For a question: the messages that followed this version of it. */
  tail?: StoredMessage[];
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
  /** Stored messages that are not messages (a damaged database): kept as they are, shown as damaged. */
  damaged?: unknown[];
}

export const CONVERSATION_DB = 'mistral-local';
export const CONVERSATION_STORE = 'conversations';
const conversations = createRepairingStore(CONVERSATION_DB, CONVERSATION_STORE);
// idb-keyval keeps one store per database, so UI state (current id, drafts) has its own.
const uiState = createRepairingStore('mistral-local-ui', 'state');

/** A conversation as read at start-up, with a reply cut off by a closed page marked interrupted. */
function restore(conversation: Conversation): Conversation {
  return { ...conversation, messages: conversation.messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' as const } : m)) };
}

export interface StoredConversations {
  /** Every readable conversation, newest first. */
  conversations: Conversation[];
  /** Records that are not conversations. */
  damaged: DamagedRecord[];
}

export async function listConversations(): Promise<StoredConversations> {
  const out: StoredConversations = { conversations: [], damaged: [] };
  for (const [key, raw] of await entries(conversations)) {
    const c = readConversation(raw);
    if (c) out.conversations.push(restore(c));
    else out.damaged.push(damagedRecord(key, raw));
  }
  out.conversations.sort((a, b) => b.updatedAt - a.updatedAt);
  return out;
}

/** One conversation as stored now (a reply another tab is streaming stays "streaming"). */
export async function getConversation(id: string): Promise<Conversation | undefined> {
  return readConversation(await get(id, conversations)) ?? undefined;
}

/** Stores a new conversation (or one whose whole content is the caller's, an import). */
export function saveConversation(conversation: Conversation): Promise<void> {
  return set(conversation.id, conversation, conversations);
}

/**
 * Applies `change` to the conversation as it is stored now, atomically, and
 * returns what was stored. `change` gets undefined when there is no such
 * record (deleted, or not saved yet) and returns null to write nothing.
 */
export function changeConversation(id: string, change: (stored: Conversation | undefined) => Conversation | null): Promise<Conversation | null> {
  return conversations('readwrite', (store) => {
    let result: Conversation | null = null;
    const read = store.get(id);
    read.onsuccess = () => {
      result = change(readConversation(read.result) ?? undefined);
      if (result) store.put(result, id);
    };
    return promisifyRequest(store.transaction).then(() => result);
  });
}

export async function deleteConversation(id: string): Promise<void> {
  await del(id, conversations);
  await del(`draft:${id}`, uiState);
}

/** Removes a damaged record by its key (the user chose Delete on it). */
export function deleteRecord(key: string): Promise<void> {
  return del(key, conversations);
}

export function getCurrentId(): Promise<string | undefined> {
  return get<string>('current', uiState);
}

export function setCurrentId(id: string): Promise<void> {
  return set('current', id, uiState);
}

const UNLOAD_DRAFT = 'mistral-local:unsaved-draft';

export async function getDraft(conversationId: string): Promise<string> {
  const stored = (await get<string>(`draft:${conversationId}`, uiState)) ?? '';
  // A draft written as the page closed (see saveDraftNow) is newer than the stored one.
  let late: { id: string; text: string } | null = null;
  try {
    late = JSON.parse(localStorage.getItem(UNLOAD_DRAFT) ?? 'null') as { id: string; text: string } | null;
  } catch {
    late = null;
  }
  if (late?.id !== conversationId || typeof late.text !== 'string') return stored;
  await saveDraft(conversationId, late.text);
  localStorage.removeItem(UNLOAD_DRAFT);
  return late.text;
}

export function saveDraft(conversationId: string, text: string): Promise<void> {
  return text === '' ? del(`draft:${conversationId}`, uiState) : set(`draft:${conversationId}`, text, uiState);
}

/**
 * Saves a draft synchronously, for a page that is closing: an IndexedDB write
 * begun then can be dropped with the page, localStorage's cannot. The next
 * read of that draft moves it into IndexedDB.
 */
export function saveDraftNow(conversationId: string, text: string): void {
  try {
    localStorage.setItem(UNLOAD_DRAFT, JSON.stringify({ id: conversationId, text }));
  } catch {
    // Storage full or blocked: the IndexedDB write still runs.
  }
  void saveDraft(conversationId, text);
}

export function getTheme(): Promise<'light' | 'dark' | 'system' | undefined> {
  return get('theme', uiState);
}

export function saveTheme(theme: 'light' | 'dark' | 'system'): Promise<void> {
  return set('theme', theme, uiState);
}

/** The model last loaded in this browser, to load again on start when it is cached. */
export function getLastModel(): Promise<string | undefined> {
  return get('last-model', uiState);
}

export function saveLastModel(modelId: string): Promise<void> {
  return set('last-model', modelId, uiState);
}

/** The context window chosen per model id (absent: the model's default). */
export async function getContextWindows(): Promise<Record<string, number>> {
  const stored = await get<unknown>('context-windows', uiState);
  if (typeof stored !== 'object' || stored === null) return {};
  return Object.fromEntries(Object.entries(stored).filter(([, v]) => Number.isInteger(v) && (v as number) > 0)) as Record<string, number>;
}

export function saveContextWindows(windows: Record<string, number>): Promise<void> {
  return set('context-windows', windows, uiState);
}

/** Whether documents are searched by meaning too (an embedding model beside the chat model); off unless turned on. */
export async function getSemanticSearch(): Promise<boolean> {
  return (await get<boolean>('semantic-search', uiState)) === true;
}

export function saveSemanticSearch(on: boolean): Promise<void> {
  return set('semantic-search', on, uiState);
}

/** Whether the last model loads by itself on start (on unless turned off). */
export async function getAutoLoad(): Promise<boolean> {
  return (await get<boolean>('auto-load', uiState)) ?? true;
}

export function saveAutoLoad(on: boolean): Promise<void> {
  return set('auto-load', on, uiState);
}

/** The settings new chats start with (the user's defaults), checked field by field on read. */
export async function getDefaultSettings(): Promise<ChatSettings> {
  return readSettings(await get('default-settings', uiState));
}

export function saveDefaultSettings(settings: ChatSettings): Promise<void> {
  return set('default-settings', settings, uiState);
}
