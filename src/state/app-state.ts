// The app's state, as signals. Components read these; only the action modules
// in this folder write them.
import { computed, signal } from '@preact/signals';
import type { GpuReport, LoadedModel, LoadFailureKind, LoadProgress, ModelInfo } from '../../protocol/contract';
import type { DamagedRecord } from '../storage/conversation-records';
import { DEFAULT_SETTINGS, type AttachmentRef, type ChatSettings, type Conversation } from '../storage/conversations';
import type { LiveReply } from './live-reply';

export type LoadState =
  | { status: 'idle' }
  /** `stalled`: downloading, but no byte arrived for a few seconds (the network is down or stuck). */
  | { status: 'loading'; modelId: string; progress: LoadProgress | null; bytesPerSecond: number | null; stalled?: boolean }
  | { status: 'ready'; model: LoadedModel }
  | { status: 'error'; modelId: string; kind: LoadFailureKind; message: string };

/** null until the worker has answered. */
export const gpu = signal<GpuReport | null>(null);
export const models = signal<ModelInfo[]>([]);
export const selectedModelId = signal<string | null>(null);
/** Load the last model by itself on start, when it is cached (a setting, kept in this browser). */
export const autoLoad = signal(true);
/** Documents searched by meaning too (semantic search with an embedding model), not by keywords alone. */
export const semanticSearch = signal(false);
/** Context windows the user chose, per model id (a model not in it loads with its default). */
export const contextWindows = signal<Record<string, number>>({});
export const loadState = signal<LoadState>({ status: 'idle' });
/** Set when the engine worker itself failed (script error, crash). */
export const engineFailure = signal<string | null>(null);

/** What new chats start with: the user's defaults (Mistral's recommended ones until changed). */
export const defaultSettings = signal<ChatSettings>({ ...DEFAULT_SETTINGS });

export function newConversation(): Conversation {
  const now = Date.now();
  return { id: crypto.randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, modelId: null, messages: [], settings: { ...defaultSettings.peek() } };
}

/** Every conversation, newest first. */
export const conversations = signal<Conversation[]>([]);
export const currentId = signal<string | null>(null);
/** Stored records that are not conversations (a damaged database), listed apart with Export and Delete. */
export const damagedRecords = signal<DamagedRecord[]>([]);
export const conversation = computed<Conversation>(() => conversations.value.find((c) => c.id === currentId.value) ?? conversations.value[0] ?? newConversation());
export const searchQuery = signal('');
/**
 * Each conversation's text, lower-cased once per version of it (conversations
 * are replaced, never changed in place), so a search keystroke only scans.
 */
const searchText = new WeakMap<Conversation, string>();
function textOf(c: Conversation): string {
  let text = searchText.get(c);
  if (text === undefined) {
    text = `${c.title}\n${c.messages.map((m) => m.content).join('\n')}`.toLowerCase();
    searchText.set(c, text);
  }
  return text;
}
export const visibleConversations = computed(() => {
  const q = searchQuery.value.trim().toLowerCase();
  if (!q) return conversations.value;
  return conversations.value.filter((c) => textOf(c).includes(q));
});

/** The reply being streamed; it changes only when a reply starts or ends. */
export const liveReply = signal<LiveReply | null>(null);
export const generating = computed(() => liveReply.value !== null);
/** The last request's failure, shown under the conversation. */
export const chatError = signal<string | null>(null);
/** Read out by screen readers: a completed reply, not every token. */
export const announcement = signal('');
export const draft = signal('');
/** The last deletion, offered for undo for a few seconds (no confirm dialogs). */
export const undoable = signal<{ id: number; message: string; undo: () => void } | null>(null);
/** Why the last import failed, shown in the sidebar. */
export const importError = signal<string | null>(null);
/** A file attached in the message box, until the question goes (src/state/attachment-actions.ts). */
export interface PendingAttachment {
  key: string;
  name: string;
  size: number;
  state: 'reading' | 'indexed' | 'failed';
  /** While reading: extracting and indexing the text, then (semantic search on) embedding its passages. */
  step: 'reading' | 'embedding';
  /** 0..1 of the step (PDF pages; passages embedded). */
  progress: number;
  error?: string;
  /** Indexed, but only for keyword search: why the embedding failed. */
  warning?: string;
  ref?: AttachmentRef;
}

export const pendingAttachments = signal<PendingAttachment[]>([]);

/** A new deploy is waiting (the static site's service worker sets it): calling it reloads into that version. */
export const pendingUpdate = signal<(() => void) | null>(null);

export const webgpuUsable = computed(() => gpu.value?.status === 'ok');
export const readyModel = computed(() => (loadState.value.status === 'ready' ? loadState.value.model : null));
/** The ready model as people read it ("Mistral 7B Instruct v0.3 (q4f32_1)"), its id when the catalog has no name. */
export const readyModelName = computed(() => {
  const ready = readyModel.value;
  return ready ? (models.value.find((m) => m.id === ready.modelId)?.displayName ?? ready.modelId) : null;
});
