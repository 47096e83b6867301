// The documents worker: reads attached files (extract.ts), splits them into
// passages and indexes them (BM25), and answers retrieval queries, all off the
// main thread. One API object over comlink (documents-api.ts has its type).
import * as Comlink from 'comlink';
import { extract, ExtractError } from './extract';
import { toPassages } from './passages';
import { buildIndex, search } from './retrieval';
import type { DocumentsApi } from './documents-api';

const api: DocumentsApi = {
  async ingest(file, onProgress) {
    try {
      const pages = await extract(file, (fraction) => void onProgress?.(fraction));
      const passages = toPassages(pages);
      return { ok: true, pages: pages.some((p) => p.number !== null) ? pages.length : null, chars: passages.reduce((n, p) => n + p.text.length, 0), passages, index: buildIndex(passages) };
    } catch (error) {
      return { ok: false, error: error instanceof ExtractError ? error.message : `This file could not be read (${(error as Error).message}).` };
    }
  },
  async search(indexes, query, k) {
    return search(indexes, query, k);
  },
};
Comlink.expose(api);
