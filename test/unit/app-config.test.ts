// Our copy of WebLLM's Mistral records (kept as data so the worker starts
// without loading WebLLM) must be exactly what the pinned WebLLM ships.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { expect, it } from 'vitest';
import { MISTRAL_RECORDS } from '../../worker/engine/app-config';
import { FAMILIES } from '../../worker/models/families';
import { EMBEDDING_MODELS, EMBEDDING_RECORDS } from '../../worker/embeddings/embedding-models';

it('every Mistral record of WebLLM’s prebuilt list is ours, unchanged, and none other', () => {
  const prefixes = FAMILIES.map((f) => f.recordPrefix);
  const theirs = prebuiltAppConfig.model_list.filter((r) => prefixes.some((p) => r.model_id.startsWith(`${p}-`)));
  expect(theirs.length).toBeGreaterThan(0);
  expect(MISTRAL_RECORDS).toEqual(theirs);
});

it('our embedding records are WebLLM’s own, unchanged', () => {
  for (const ours of EMBEDDING_RECORDS) expect(prebuiltAppConfig.model_list.find((r) => r.model_id === ours.model_id)).toEqual(ours);
  for (const model of EMBEDDING_MODELS) expect(EMBEDDING_RECORDS.some((r) => r.model_id === model.recordId)).toBe(true);
});
