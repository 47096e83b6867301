// Attached documents in IndexedDB, in a database of their own (apart from
// conversations and from model caches): a document's passages and its BM25
// index, tied to the conversation it was attached in and removed with it.
import { del, entries, get, getMany, set } from 'idb-keyval';
import { createRepairingStore } from '../../protocol/idb-store';
import type { Passage } from '../documents/passages';

export interface StoredDocument {
  id: string;
  conversationId: string;
  name: string;
  size: number;
  pages: number | null;
  chars: number;
  passages: Passage[];
  /** MiniSearch's index of the passages, as JSON (src/documents/retrieval.ts). */
  index: string;
  createdAt: number;
}

export const DOCUMENTS_DB = 'mistral-local-documents';
const documents = createRepairingStore(DOCUMENTS_DB, 'documents');

const isDocument = (v: unknown): v is StoredDocument =>
  typeof v === 'object' && v !== null && typeof (v as StoredDocument).id === 'string' && Array.isArray((v as StoredDocument).passages) && typeof (v as StoredDocument).index === 'string';

export function saveDocument(doc: StoredDocument): Promise<void> {
  return set(doc.id, doc, documents);
}

export async function getDocument(id: string): Promise<StoredDocument | null> {
  const doc = await get(id, documents);
  return isDocument(doc) ? doc : null;
}

/** The readable ones of `ids` (a missing or damaged record is left out). */
export async function getDocuments(ids: string[]): Promise<StoredDocument[]> {
  return ids.length === 0 ? [] : (await getMany(ids, documents)).filter(isDocument);
}

export function deleteDocument(id: string): Promise<void> {
  return del(id, documents);
}

/** Removes every document attached in a conversation (the conversation was deleted). */
export async function deleteDocumentsOf(conversationId: string): Promise<void> {
  for (const [key, doc] of await entries(documents)) if (isDocument(doc) && doc.conversationId === conversationId) await del(key, documents);
}

/** How many documents are stored and about how much space their text and indexes take. */
export async function documentsUsage(): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  for (const [, doc] of await entries(documents)) {
    if (!isDocument(doc)) continue;
    count++;
    bytes += doc.index.length + doc.passages.reduce((n, p) => n + p.text.length, 0);
  }
  return { count, bytes };
}

/**
 * Removes documents whose conversation is gone (deleted in a tab closed
 * before Undo ran out). A day's grace: a document attached in another tab's
 * new chat, not sent yet, has no stored conversation either.
 */
export async function deleteOrphanDocuments(conversationIds: Set<string>, now = Date.now()): Promise<void> {
  for (const [key, doc] of await entries(documents)) {
    if (isDocument(doc) && !conversationIds.has(doc.conversationId) && now - doc.createdAt > 24 * 3600_000) await del(key, documents);
  }
}
