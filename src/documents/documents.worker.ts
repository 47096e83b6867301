// The documents worker: reads attached files (extract.ts), splits them into
// passages, indexes them (BM25) and stores them, and answers what to ground a
// question in, all off the main thread (documents-api.ts has the contract).
import * as Comlink from 'comlink';
import { documentsUsage, getDocument, getDocuments, saveDocument, saveVectors } from '../storage/documents';
import { extract, ExtractError } from './extract';
import { toPassages } from './passages';
import { buildIndex, fuse, nearest, search } from './retrieval';
import type { DocumentsApi } from './documents-api';
import type { Source } from '../storage/conversations';

/** The best passages take this much room each at most (a passage's size). */
const PASSAGE_ROOM = 900;
const MAX_PASSAGES = 6;
/** Each ranking's candidates for fusion. */
const CANDIDATES = 30;

const api: DocumentsApi = {
  async ingest(file, id, onProgress) {
    try {
      const pages = await extract(file, (fraction) => void onProgress?.(fraction));
      const passages = toPassages(pages);
      const ref = { id, name: file.name, size: file.size, pages: pages.some((p) => p.number !== null) ? pages.length : null, chars: passages.reduce((n, p) => n + p.text.length, 0) };
      await saveDocument({ ...ref, passages, index: buildIndex(passages) });
      return { ok: true, ref, passages: passages.length };
    } catch (error) {
      return { ok: false, error: error instanceof ExtractError ? error.message : `This file could not be read or stored (${(error as Error).message}).` };
    }
  },

  async sources(ids, question, roomChars, query) {
    const docs = await getDocuments(ids);
    if (docs.reduce((n, d) => n + d.chars, 0) <= roomChars) {
      return docs.map((d, i): Source => ({ n: i + 1, documentId: d.id, name: d.name, page: null, text: d.passages.map((p) => p.text).join('\n\n') }));
    }
    const k = Math.max(1, Math.min(MAX_PASSAGES, Math.floor(roomChars / PASSAGE_ROOM)));
    const byId = new Map(docs.map((d) => [d.id, d]));
    const lexical = search(docs.map((d) => ({ documentId: d.id, index: d.index })), question, query ? CANDIDATES : k);
    // With the question's embedding: the passages near it in meaning too, the two rankings fused.
    const embedded = query ? docs.flatMap((d) => (d.vectors?.model === query.model ? [{ documentId: d.id, vectors: d.vectors }] : [])) : [];
    const hits = embedded.length > 0 ? fuse([lexical, nearest(embedded, query!.vector, CANDIDATES)], k) : lexical.slice(0, k);
    return hits.flatMap((hit, i) => {
      const doc = byId.get(hit.documentId);
      const passage = doc?.passages[hit.passage];
      return doc && passage ? [{ n: i + 1, documentId: doc.id, name: doc.name, page: passage.page, text: passage.text }] : [];
    });
  },

  async passageTexts(id, from, count) {
    return (await getDocument(id))?.passages.slice(from, from + count).map((p) => p.text) ?? [];
  },

  storeVectors: (id, model, dims, data) => saveVectors(id, { model, dims, data }),

  usage: documentsUsage,
};
Comlink.expose(api);
