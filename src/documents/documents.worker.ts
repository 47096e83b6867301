// The documents worker: reads attached files (extract.ts), splits them into
// passages, indexes them (BM25) and stores them, and answers what to ground a
// question in, all off the main thread (documents-api.ts has the contract).
import * as Comlink from 'comlink';
import { documentsUsage, getDocuments, saveDocument } from '../storage/documents';
import { extract, ExtractError } from './extract';
import { toPassages } from './passages';
import { buildIndex, search } from './retrieval';
import type { DocumentsApi } from './documents-api';
import type { Source } from '../storage/conversations';

/** The best passages take this much room each at most (a passage's size). */
const PASSAGE_ROOM = 900;
const MAX_PASSAGES = 6;

const api: DocumentsApi = {
  async ingest(file, id, onProgress) {
    try {
      const pages = await extract(file, (fraction) => void onProgress?.(fraction));
      const passages = toPassages(pages);
      const ref = { id, name: file.name, size: file.size, pages: pages.some((p) => p.number !== null) ? pages.length : null, chars: passages.reduce((n, p) => n + p.text.length, 0) };
      await saveDocument({ ...ref, passages, index: buildIndex(passages) });
      return { ok: true, ref };
    } catch (error) {
      return { ok: false, error: error instanceof ExtractError ? error.message : `This file could not be read or stored (${(error as Error).message}).` };
    }
  },

  async sources(ids, question, roomChars) {
    const docs = await getDocuments(ids);
    if (docs.reduce((n, d) => n + d.chars, 0) <= roomChars) {
      return docs.map((d, i): Source => ({ n: i + 1, documentId: d.id, name: d.name, page: null, text: d.passages.map((p) => p.text).join('\n\n') }));
    }
    const k = Math.max(1, Math.min(MAX_PASSAGES, Math.floor(roomChars / PASSAGE_ROOM)));
    const byId = new Map(docs.map((d) => [d.id, d]));
    return search(docs.map((d) => ({ documentId: d.id, index: d.index })), question, k).flatMap((hit, i) => {
      const doc = byId.get(hit.documentId);
      const passage = doc?.passages[hit.passage];
      return doc && passage ? [{ n: i + 1, documentId: doc.id, name: doc.name, page: passage.page, text: passage.text }] : [];
    });
  },

  usage: documentsUsage,
};
Comlink.expose(api);
