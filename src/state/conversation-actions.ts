// Conversations: load, create, switch, rename, delete, settings, drafts, import and export.
import { deleteDocumentsOf, deleteOrphanDocuments } from '../storage/documents';
import {
  deleteConversation as removeStored,
  deleteRecord,
  getCurrentId,
  getDefaultSettings,
  getDraft,
  listConversations,
  saveDefaultSettings,
  saveDraft,
  saveDraftNow,
  setCurrentId,
  type ChatSettings,
  type Conversation,
} from '../storage/conversations';
import { fromOpenAIJson, toMarkdown, toOpenAIJson } from '../storage/conversation-files';
import { chatError, conversation, conversations, currentId, damagedRecords, defaultSettings, draft, generating, importError, newConversation, searchQuery, undoable } from './app-state';
import { announce, persistConversation, updateConversation } from './conversation-sync';

export { persistConversation, updateConversation } from './conversation-sync';

export async function loadConversations(): Promise<void> {
  const [stored, savedId] = await Promise.all([listConversations(), getCurrentId(), loadDefaultSettings()]);
  const all = stored.conversations;
  damagedRecords.value = stored.damaged;
  if (all.length === 0) {
    const first = newConversation();
    conversations.value = [first];
    currentId.value = first.id;
  } else {
    conversations.value = all;
    currentId.value = all.some((c) => c.id === savedId) ? savedId! : all[0]!.id;
  }
  await showDraft(currentId.value!);
  void deleteOrphanDocuments(new Set(all.map((c) => c.id))).catch(() => {});
}

/** Drafts already read or typed this session, so switching never waits on IndexedDB. */
const drafts = new Map<string, string>();

/** Shows a conversation's draft; one read from storage never overwrites what the user typed meanwhile. */
async function showDraft(id: string): Promise<void> {
  const known = drafts.get(id);
  draft.value = known ?? '';
  if (known !== undefined) return;
  const saved = await getDraft(id);
  if (!drafts.has(id)) drafts.set(id, saved);
  if (currentId.value === id && draft.value === '') draft.value = drafts.get(id)!;
}

export async function selectConversation(id: string): Promise<void> {
  if (generating.value || id === currentId.value) return;
  currentId.value = id;
  chatError.value = null;
  void setCurrentId(id);
  await showDraft(id);
}

export function startNewConversation(): void {
  if (generating.value) return;
  // An empty conversation is reused rather than piling up.
  const empty = conversations.value.find((c) => c.messages.length === 0);
  const next = empty ?? newConversation();
  if (!empty) conversations.value = [next, ...conversations.value];
  void selectConversation(next.id);
}

export function renameConversation(id: string, title: string): void {
  const clean = title.replace(/\s+/g, ' ').trim().slice(0, 100);
  if (clean) updateConversation(id, (c) => ({ ...c, title: clean }));
}

/** How long a deletion can be undone. */
export const UNDO_MS = 8000;
let undoSerial = 0;
let undoTimer: ReturnType<typeof setTimeout> | undefined;

/** Offers Undo for a deletion for a few seconds; a newer deletion replaces the offer. */
/** `expire` runs when the offer ends without Undo (timed out, dismissed, or replaced by the next one). */
export function offerUndo(message: string, undo: () => void, expire: () => void = () => {}): void {
  const id = ++undoSerial;
  clearTimeout(undoTimer);
  pendingExpiry?.();
  pendingExpiry = expire;
  undoable.value = {
    id,
    message,
    undo: () => {
      if (undoable.value?.id !== id) return;
      undoable.value = null;
      pendingExpiry = null;
      undo();
    },
  };
  undoTimer = setTimeout(() => {
    if (undoable.value?.id === id) dismissUndo();
  }, UNDO_MS);
}
let pendingExpiry: (() => void) | null = null;

export function dismissUndo(): void {
  undoable.value = null;
  const expire = pendingExpiry;
  pendingExpiry = null;
  expire?.();
}

/** Deletes a chat at once (also in storage, so other tabs follow); Undo writes it back whole. */
export async function deleteConversation(id: string): Promise<void> {
  if (generating.value && conversation.value.id === id) return;
  const deleted = conversations.value.find((c) => c.id === id);
  const at = conversations.value.findIndex((c) => c.id === id);
  if (deleted) {
    offerUndo(`Deleted “${deleted.title}”.`, () => {
      if (conversations.value.some((c) => c.id === id)) return;
      const list = [...conversations.value];
      list.splice(Math.min(at, list.length), 0, deleted);
      conversations.value = list;
      void persistConversation(deleted);
      void selectConversation(id);
    }, () => void deleteDocumentsOf(id)); // its documents go once Undo is no longer offered
  }
  conversations.value = conversations.value.filter((c) => c.id !== id);
  await removeStored(id);
  announce(id);
  if (currentId.value === id || conversations.value.length === 0) {
    if (conversations.value.length === 0) conversations.value = [newConversation()];
    currentId.value = null;
    await selectConversation(conversations.value[0]!.id);
  }
}

export function updateSettings(patch: Partial<ChatSettings>): void {
  updateConversation(conversation.value.id, (c) => ({ ...c, settings: { ...c.settings, ...patch } }));
}

/** Reads the user's defaults for new chats (before the first chat is made). */
export async function loadDefaultSettings(): Promise<void> {
  defaultSettings.value = await getDefaultSettings().catch(() => defaultSettings.peek());
}

/** This chat's settings become the defaults for new chats. */
export function saveSettingsAsDefaults(): void {
  defaultSettings.value = { ...conversation.value.settings };
  void saveDefaultSettings(defaultSettings.value).catch(() => {});
}

/** This chat takes the defaults again. */
export function resetSettingsToDefaults(): void {
  updateSettings({ ...defaultSettings.peek() });
}

let draftTimer: ReturnType<typeof setTimeout> | undefined;
let unsavedDraft: { id: string; text: string } | null = null;

function flushDraft(closing = false): void {
  clearTimeout(draftTimer);
  if (!unsavedDraft) return;
  const { id, text } = unsavedDraft;
  unsavedDraft = null;
  if (closing) saveDraftNow(id, text);
  else void saveDraft(id, text);
}

/**
 * The input's text survives a reload: saved shortly after typing stops, and
 * at once when the page is hidden or closed (what was typed in the last
 * moment before a reload is not lost).
 */
export function setDraft(text: string): void {
  draft.value = text;
  const id = conversation.value.id;
  drafts.set(id, text);
  unsavedDraft = { id, text };
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => flushDraft(), 300);
}

if (typeof addEventListener === 'function') {
  addEventListener('pagehide', () => flushDraft(true));
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flushDraft(true));
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function fileStem(c: Conversation): string {
  return c.title.replace(/[^\w\- ]+/g, '').trim().replace(/\s+/g, '-').slice(0, 60) || 'conversation';
}

export function exportConversation(format: 'markdown' | 'json'): void {
  const c = conversation.value;
  if (format === 'markdown') download(`${fileStem(c)}.md`, 'text/markdown', toMarkdown(c));
  else download(`${fileStem(c)}.json`, 'application/json', toOpenAIJson(c));
}

/** Imports an exported JSON file as a new conversation; a failure is shown in the sidebar. */
export async function importConversation(file: File): Promise<void> {
  try {
    const imported = fromOpenAIJson(await file.text());
    conversations.value = [imported, ...conversations.value];
    await persistConversation(imported);
    await selectConversation(imported.id);
    importError.value = null;
  } catch (error) {
    importError.value = `Could not import ${file.name}: ${(error as Error).message}`;
  }
}

/** A damaged record: its raw JSON as a file (to keep or repair by hand). */
export function exportDamaged(key: string): void {
  const record = damagedRecords.value.find((r) => r.key === key);
  if (record) download(`damaged-conversation-${key.replace(/[^\w-]+/g, '_').slice(0, 40)}.json`, 'application/json', record.json);
}

/** The damaged messages of a conversation, raw, as a file. */
export function exportDamagedMessages(c: Conversation): void {
  download(`${fileStem(c)}-damaged-messages.json`, 'application/json', JSON.stringify(c.damaged ?? [], null, 2));
}

export async function deleteDamaged(key: string): Promise<void> {
  await deleteRecord(key);
  damagedRecords.value = damagedRecords.value.filter((r) => r.key !== key);
}

export function dismissImportError(): void {
  importError.value = null;
}

export function setSearchQuery(query: string): void {
  searchQuery.value = query;
}
