// Answer and question versions, kept in the conversation (as ChatGPT does):
// Regenerate adds a version of the reply; editing a question adds a version of
// the question with its own continuation. The message's own fields are always
// the version shown; `versions` holds every version, and the one shown is
// written back into it before another is shown. Export, the context window
// and the API view read `messages`, so they follow the versions shown.
import type { MessageVersion, StoredMessage } from '../storage/conversations';

/** The message's shown version as stored in its `versions` (a question carries what follows it). */
function snapshot(messages: StoredMessage[], index: number): MessageVersion {
  const m = messages[index]!;
  return m.role === 'user'
    ? { content: m.content, tail: messages.slice(index + 1) }
    : { content: m.content, status: m.status, error: m.error, stats: m.stats, droppedTurns: m.droppedTurns };
}

function isMessage(value: unknown): value is StoredMessage {
  const m = value as StoredMessage | null;
  return !!m && typeof m.id === 'string' && (m.role === 'user' || m.role === 'assistant') && typeof m.content === 'string';
}

/** Shows `version` of the message at `index`: its fields, and for a question, what followed that version. */
function show(messages: StoredMessage[], index: number, versions: MessageVersion[], target: number): StoredMessage[] {
  const m = messages[index]!;
  const v = versions[target]!;
  if (m.role === 'user') {
    const tail = Array.isArray(v.tail) ? v.tail.filter(isMessage) : [];
    return [...messages.slice(0, index), { ...m, content: v.content, versions, version: target }, ...tail];
  }
  const shown: StoredMessage = { ...m, content: v.content, status: v.status ?? 'done', error: v.error, stats: v.stats, droppedTurns: v.droppedTurns, versions, version: target };
  return messages.map((x, i) => (i === index ? shown : x));
}

function savedVersions(messages: StoredMessage[], index: number): { versions: MessageVersion[]; current: number } {
  const m = messages[index]!;
  const versions = [...(m.versions ?? [])];
  const current = versions.length === 0 ? 0 : Math.min(m.version ?? versions.length - 1, versions.length - 1);
  versions[current] = snapshot(messages, index);
  return { versions, current };
}

/** Adds `next` as the message's newest version and shows it (the shown one is kept). */
export function addVersion(messages: StoredMessage[], messageId: string, next: MessageVersion): StoredMessage[] {
  const index = messages.findIndex((m) => m.id === messageId);
  if (index < 0) return messages;
  const { versions } = savedVersions(messages, index);
  versions.push(next);
  return show(messages, index, versions, versions.length - 1);
}

/** Shows the version `delta` steps from the shown one (‹ / ›). */
export function switchVersion(messages: StoredMessage[], messageId: string, delta: number): StoredMessage[] {
  const index = messages.findIndex((m) => m.id === messageId);
  if (index < 0 || !messages[index]!.versions) return messages;
  const { versions, current } = savedVersions(messages, index);
  const target = current + delta;
  if (target < 0 || target >= versions.length) return messages;
  return show(messages, index, versions, target);
}

/** "2 / 3" for a message with versions, else null. */
export function versionLabel(m: StoredMessage): { shown: number; total: number } | null {
  const total = m.versions?.length ?? 0;
  if (total < 2) return null;
  return { shown: Math.min(m.version ?? total - 1, total - 1) + 1, total };
}
