// Lexical retrieval (BM25, MiniSearch) over the passages of a conversation's
// documents. Each document's index is built once when it is attached, stored
// as JSON beside its passages, and loaded again to answer a question.
import MiniSearch, { type Options } from 'minisearch';
import type { Passage } from './passages';

interface IndexedPassage {
  id: number;
  text: string;
}

const OPTIONS: Options<IndexedPassage> = {
  fields: ['text'],
  idField: 'id',
  // Prefix and light fuzzy matching: "contract" finds "contracts", a typo still matches.
  searchOptions: { prefix: (term) => term.length > 3, fuzzy: (term) => (term.length > 5 ? 0.15 : false), combineWith: 'OR' },
};

/** The index of one document's passages, as JSON to store. */
export function buildIndex(passages: Passage[]): string {
  const search = new MiniSearch<IndexedPassage>(OPTIONS);
  search.addAll(passages.map((p) => ({ id: p.index, text: p.text })));
  return JSON.stringify(search);
}

export interface Hit {
  documentId: string;
  passage: number;
  score: number;
}

/** The `k` best passages for `query` across documents (each given by its stored index JSON). */
export function search(indexes: { documentId: string; index: string }[], query: string, k: number): Hit[] {
  const hits: Hit[] = [];
  for (const { documentId, index } of indexes) {
    const engine = MiniSearch.loadJSON<IndexedPassage>(index, OPTIONS);
    for (const result of engine.search(query)) hits.push({ documentId, passage: result.id as number, score: result.score });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, k);
}
