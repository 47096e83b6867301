// Attached documents in IndexedDB, in a database of their own (apart from
// conversations and from model caches): a document's passages and its BM25
// index. The documents worker writes and reads the records (a 5 MB document
// never crosses to the main thread); the page removes them by key alone. A
// key says which conversation a document belongs to and when it was added:
// "<conversation id>:<time>:<uuid>", which is also the attachment's id.
import { del, delMany, entries, get, getMany, keys, set } from 'idb-keyval';
import { createRepairingStore } from '../../protocol/idb-store';
import type { Passage } from '../documents/passages';
import type { PassageVectors } from '../documents/retrieval';

export interface StoredDocument {
  id: string;
  name: string;
  size: number;
  pages: number | null;
  chars: number;
  passages: Passage[];
  /** MiniSearch's index of the passages, as JSON (src/documents/retrieval.ts). */
  index: string;
  /** Passage embeddings, when semantic search was on as the document was attached. */
  vectors?: PassageVectors;
}

export const DOCUMENTS_DB = 'mistral-local-documents';
const documents = createRepairingStore(DOCUMENTS_DB, 'documents');

export function documentId(conversationId: string, now = Date.now()): string {
  return `${conversationId}:${now}:${crypto.randomUUID()}`;
}

function parseId(key: IDBValidKey): { conversationId: string; createdAt: number } | null {
  const match = /^(.*):(\d+):[^:]+$/.exec(String(key));
  return match ? { conversationId: match[1]!, createdAt: Number(match[2]) } : null;
}

const isDocument = (v: unknown): v is StoredDocument =>
  typeof v === 'object' && v !== null && typeof (v as StoredDocument).id === 'string' && Array.isArray((v as StoredDocument).passages) && typeof (v as StoredDocument).index === 'string';

export function saveDocument(doc: StoredDocument): Promise<void> {
  return set(doc.id, doc, documents);
}

/** The readable ones of `ids` (a missing or damaged record is left out). */
export async function getDocuments(ids: string[]): Promise<StoredDocument[]> {
  return ids.length === 0 ? [] : (await getMany(ids, documents)).filter(isDocument);
}

export function getDocument(id: string): Promise<StoredDocument | null> {
  return get(id, documents).then((doc) => (isDocument(doc) ? doc : null));
}

/** Adds the passages' embeddings to a stored document. */
export async function saveVectors(id: string, vectors: PassageVectors): Promise<void> {
  const doc = await getDocument(id);
  if (doc) await set(id, { ...doc, vectors }, documents);
}

export function deleteDocument(id: string): Promise<void> {
  return del(id, documents);
}

/** Removes every document attached in a conversation (the conversation was deleted); reads keys only. */
export async function deleteDocumentsOf(conversationId: string): Promise<void> {
  const mine = (await keys(documents)).filter((key) => parseId(key)?.conversationId === conversationId);
  if (mine.length > 0) await delMany(mine, documents);
}

/**
 * Removes documents whose conversation is gone (deleted in a tab closed
 * before Undo ran out). A day's grace: a document attached in another tab's
 * new chat, not sent yet, has no stored conversation either.
 */
export async function deleteOrphanDocuments(conversationIds: Set<string>, now = Date.now()): Promise<void> {
  const orphans = (await keys(documents)).filter((key) => {
    const id = parseId(key);
    return id !== null && !conversationIds.has(id.conversationId) && now - id.createdAt > 24 * 3600_000;
  });
  if (orphans.length > 0) await delMany(orphans, documents);
}

/** Whether any document is stored (keys only: cheap on the main thread). */
export async function anyDocuments(): Promise<boolean> {
  return (await keys(documents)).length > 0;
}

/** How many documents are stored and about how much space their text and indexes take (reads them: the worker calls it). */
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
