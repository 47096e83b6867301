// Conversation writes, and keeping open tabs in step. Every change is applied
// twice: at once to this tab's copy (the screen never waits), and to the
// stored record inside one IndexedDB transaction (so a change made in
// another tab since is kept, never written over). Each write is announced on
// a BroadcastChannel; the other tabs showing that conversation re-read it.
import { changeConversation, getConversation, saveConversation, type Conversation } from '../storage/conversations';
import { chatError, conversations, currentId } from './app-state';

const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('mistral-local:conversations');
/** Writes of this tab not stored yet, per conversation: until they are, this tab's copy is the newer one. */
const pending = new Map<string, number>();

function reportSaveError(error: unknown): void {
  const e = error as Error;
  chatError.value =
    e.name === 'QuotaExceededError'
      ? 'The browser’s storage is full, so this conversation could not be saved. Free space (Storage → delete a cached model), then keep chatting: nothing on screen is lost.'
      : `Could not save the conversation: ${e.message}`;
}

/** Puts the stored version in place of this tab's copy (or removes it when it was deleted). */
function showStored(id: string, stored: Conversation | undefined): void {
  if ((pending.get(id) ?? 0) > 0) return;
  if (!stored) {
    if (!conversations.value.some((c) => c.id === id)) return;
    conversations.value = conversations.value.filter((c) => c.id !== id);
    return;
  }
  const known = conversations.value.some((c) => c.id === id);
  conversations.value = known ? conversations.value.map((c) => (c.id === id ? stored : c)) : [stored, ...conversations.value];
}

async function track<T>(id: string, write: () => Promise<T>): Promise<T | undefined> {
  pending.set(id, (pending.get(id) ?? 0) + 1);
  try {
    return await write();
  } catch (error) {
    reportSaveError(error);
    return undefined;
  } finally {
    pending.set(id, pending.get(id)! - 1);
    if (pending.get(id) === 0) pending.delete(id);
  }
}

/** Tells the other tabs that a conversation changed (or was deleted). */
export function announce(id: string): void {
  channel?.postMessage({ type: 'conversation-changed', id });
}

/**
 * Changes one conversation: here at once, and in IndexedDB on the record as
 * stored (`change` must be a function of the conversation it is given, such
 * as "append these messages" or "patch message m"). Returns this tab's new copy.
 */
export function updateConversation(id: string, change: (c: Conversation) => Conversation, persist = true): Conversation | undefined {
  let updated: Conversation | undefined;
  conversations.value = conversations.value.map((c) => (c.id === id ? (updated = change(c)) : c));
  if (updated && persist) {
    const fallback = updated;
    void track(id, () => changeConversation(id, (stored) => (stored ? change(stored) : fallback))).then((stored) => {
      if (!stored) return;
      announce(id);
      showStored(id, stored);
    });
  }
  return updated;
}

/** Stores a conversation whose whole content is this tab's (a new one, an import). */
export async function persistConversation(c: Conversation): Promise<void> {
  await track(c.id, async () => {
    await saveConversation(c);
    announce(c.id);
  });
}

/** Writes straight to storage without touching this tab's copy (a reply's partial text while it streams). */
export function storeOnly(id: string, change: (c: Conversation) => Conversation): Promise<unknown> {
  return track(id, () => changeConversation(id, (stored) => (stored ? change(stored) : null))).then(() => announce(id));
}

channel?.addEventListener('message', (event: MessageEvent<{ type: string; id: string }>) => {
  if (event.data?.type !== 'conversation-changed') return;
  const { id } = event.data;
  void getConversation(id).then((stored) => {
    showStored(id, stored);
    // The conversation shown here was deleted in another tab: show another one.
    if (!stored && currentId.value === id) currentId.value = conversations.value[0]?.id ?? null;
  });
});
