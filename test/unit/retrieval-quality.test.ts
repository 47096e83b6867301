// Retrieval quality on the labelled set the tests carry: with passages small
// enough that each document spans many of them, the passage that answers
// must be among the top 3 for most questions (lexical BM25 alone).
import { expect, it } from 'vitest';
import { topKHitRate } from '../support/retrieval-set';

it('lexical retrieval puts the answering passage in the top 3 for at least 80% of the labelled questions', () => {
  const { hits, total, misses } = topKHitRate(3, 300);
  expect(total).toBe(24);
  expect(hits / total, `missed: ${misses.join(' | ')}`).toBeGreaterThanOrEqual(0.8);
});
