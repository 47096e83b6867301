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

/** Stored passage vectors of one document (L2-normalised, `dims` floats per passage, in passage order). */
export interface PassageVectors {
  model: string;
  dims: number;
  data: Float32Array;
}

/** The `n` passages whose vectors are closest to `query` (cosine: the vectors are normalised). */
export function nearest(docs: { documentId: string; vectors: PassageVectors }[], query: Float32Array | number[], n: number): Hit[] {
  const hits: Hit[] = [];
  for (const { documentId, vectors } of docs) {
    const { dims, data } = vectors;
    if (query.length !== dims) continue;
    for (let p = 0; p * dims < data.length; p++) {
      let dot = 0;
      for (let i = 0; i < dims; i++) dot += data[p * dims + i]! * query[i]!;
      hits.push({ documentId, passage: p, score: dot });
    }
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, n);
}

/**
 * Reciprocal rank fusion of rankings (lexical and semantic): each passage
 * scores the sum of 1 / (60 + rank) over the rankings it appears in, so one
 * found near the top of both beats one found by either alone, and the two
 * scales (BM25, cosine) never have to be compared.
 */
export function fuse(rankings: Hit[][], k: number): Hit[] {
  const scores = new Map<string, Hit>();
  for (const ranking of rankings) {
    ranking.forEach((hit, rank) => {
      const key = `${hit.documentId}#${hit.passage}`;
      const entry = scores.get(key) ?? { documentId: hit.documentId, passage: hit.passage, score: 0 };
      entry.score += 1 / (60 + rank + 1);
      scores.set(key, entry);
    });
  }
  return [...scores.values()].sort((a, b) => b.score - a.score).slice(0, k);
}
