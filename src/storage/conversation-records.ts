// Stored conversations are validated on every read: a damaged or hand-edited
// database, or an older version's data, must never hide the other
// conversations or crash the page. A record that is not a conversation is
// set aside as damaged (the UI lists it, with its raw JSON to export and a
// Delete); a message that is not a message is kept, raw, on the
// conversation (`damaged`), so nothing stored is ever thrown away by a read.
import { DEFAULT_SETTINGS, type ChatSettings, type Conversation, type StoredMessage } from './conversations';

const STATUSES = new Set<StoredMessage['status']>(['done', 'streaming', 'stopped', 'interrupted', 'error']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function message(raw: unknown): StoredMessage | null {
  if (!isObject(raw)) return null;
  const { id, role, content, status } = raw;
  if (typeof id !== 'string' || (role !== 'user' && role !== 'assistant') || typeof content !== 'string') return null;
  return { ...(raw as unknown as StoredMessage), status: STATUSES.has(status as StoredMessage['status']) ? (status as StoredMessage['status']) : 'done' };
}

/** Settings with every field of the right type: a bad or missing one takes its default. */
export function readSettings(raw: unknown): ChatSettings {
  const out: ChatSettings = { ...DEFAULT_SETTINGS };
  if (!isObject(raw)) return out;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof ChatSettings)[]) {
    const value = raw[key];
    const fallback = DEFAULT_SETTINGS[key];
    if (typeof value === typeof fallback || (fallback === null && (typeof value === 'number' || value === null))) (out as unknown as Json)[key] = value;
  }
  return out;
}

/** The record as a conversation, or null when it is not one (it is then listed as damaged). */
export function readConversation(raw: unknown): Conversation | null {
  if (!isObject(raw) || typeof raw.id !== 'string' || !Array.isArray(raw.messages)) return null;
  const messages: StoredMessage[] = [];
  const damaged: unknown[] = Array.isArray(raw.damaged) ? [...raw.damaged] : [];
  for (const item of raw.messages) {
    const m = message(item);
    if (m) messages.push(m);
    else damaged.push(item);
  }
  const now = Date.now();
  return {
    id: raw.id,
    title: typeof raw.title === 'string' && raw.title.trim() ? raw.title : 'Untitled chat',
    createdAt: typeof raw.createdAt === 'number' ? raw.createdAt : now,
    updatedAt: typeof raw.updatedAt === 'number' ? raw.updatedAt : now,
    modelId: typeof raw.modelId === 'string' ? raw.modelId : null,
    messages,
    settings: readSettings(raw.settings),
    ...(damaged.length > 0 ? { damaged } : {}),
  };
}

/** A stored record that is not a conversation: shown so the user can export its raw JSON or delete it. */
export interface DamagedRecord {
  key: string;
  json: string;
}

export function damagedRecord(key: IDBValidKey, raw: unknown): DamagedRecord {
  let json: string;
  try {
    json = JSON.stringify(raw, null, 2) ?? String(raw);
  } catch {
    json = String(raw);
  }
  return { key: String(key), json };
}
