// The labelled retrieval set (test/fixtures/retrieval/labelled.json), scored
// the way the app retrieves: each document split into passages and indexed
// on its own, the question searched across all of them, a hit when one of
// the top k passages holds the phrase that answers it.
import { readFileSync } from 'node:fs';
import { toPassages, type Passage } from '../../src/documents/passages';
import { buildIndex, search } from '../../src/documents/retrieval';

interface LabelledSet {
  documents: { name: string; text: string }[];
  questions: { q: string; doc: string; answer: string }[];
}

export const LABELLED: LabelledSet = JSON.parse(readFileSync(new URL('../fixtures/retrieval/labelled.json', import.meta.url), 'utf8'));

/** Passage size as the app uses it, or smaller to make documents span more passages. */
export function topKHitRate(k: number, passageChars?: number): { hits: number; total: number; misses: string[] } {
  const docs = LABELLED.documents.map((d) => ({ name: d.name, passages: toPassages([{ number: null, text: d.text }], passageChars) }));
  const indexes = docs.map((d) => ({ documentId: d.name, index: buildIndex(d.passages) }));
  const byName = new Map<string, Passage[]>(docs.map((d) => [d.name, d.passages]));
  const misses: string[] = [];
  for (const { q, doc, answer } of LABELLED.questions) {
    const found = search(indexes, q, k).some((hit) => hit.documentId === doc && byName.get(doc)![hit.passage]!.text.includes(answer));
    if (!found) misses.push(q);
  }
  return { hits: LABELLED.questions.length - misses.length, total: LABELLED.questions.length, misses };
}
