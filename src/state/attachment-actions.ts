// Files attached in the message box (loaded with the first one): read and indexed in the documents
// worker as soon as they are added (a chip shows each one's state), stored
// there in IndexedDB under the conversation's id, and sent with the next question.
import * as Comlink from 'comlink';
import { documentsWorker } from '../documents/documents-client';
import { deleteDocument, documentId } from '../storage/documents';
import { engine } from '../engine/bridge';
import { conversation, pendingAttachments, semanticSearch, type PendingAttachment } from './app-state';

import { EMBEDDING_MODEL } from './embedding-model';
const EMBED_BATCH = 16;
/** A passage is cut to this many characters before embedding (the model reads 512 tokens). */
const EMBED_CHARS = 1200;

/** Embeds a stored document's passages a batch at a time; the vectors go back to the documents worker in one transfer. */
async function embedPassages(key: string, count: number): Promise<void> {
  const worker = documentsWorker();
  let data: Float32Array | null = null;
  let dims = 0;
  for (let from = 0; from < count; from += EMBED_BATCH) {
    const texts = (await worker.passageTexts(key, from, EMBED_BATCH)).map((t) => t.slice(0, EMBED_CHARS));
    const response = await engine.embeddings.create({ model: EMBEDDING_MODEL, input: texts });
    for (const [i, item] of response.data.entries()) {
      const vector = item.embedding as number[];
      if (!data) {
        dims = vector.length;
        data = new Float32Array(count * dims);
      }
      data.set(vector, (from + i) * dims);
    }
    patch(key, { progress: Math.min(1, (from + EMBED_BATCH) / count) });
  }
  if (data) await worker.storeVectors(key, EMBEDDING_MODEL, dims, Comlink.transfer(data, [data.buffer]));
}


function patch(key: string, change: Partial<PendingAttachment>): void {
  pendingAttachments.value = pendingAttachments.value.map((a) => (a.key === key ? { ...a, ...change } : a));
}

/** Adds files to the message being written; each is read and indexed off the main thread. */
export async function attachFiles(files: File[]): Promise<void> {
  const conversationId = conversation.value.id;
  await Promise.all(
    files.map(async (file) => {
      const key = documentId(conversationId);
      pendingAttachments.value = [...pendingAttachments.value, { key, name: file.name, size: file.size, state: 'reading', step: 'reading', progress: 0 }];
      try {
        const result = await documentsWorker().ingest(file, key, Comlink.proxy((progress: number) => patch(key, { progress })));
        if (!result.ok) return patch(key, { state: 'failed', error: result.error });
        let warning: string | undefined;
        if (semanticSearch.peek() && result.passages > 0 && pendingAttachments.value.some((a) => a.key === key)) {
          patch(key, { step: 'embedding', progress: 0 });
          await embedPassages(key, result.passages).catch((error: Error) => (warning = `Searched by keywords only: ${error.message}`));
        }
        // Removed while it was being read: nothing is kept.
        if (!pendingAttachments.value.some((a) => a.key === key)) return void deleteDocument(key);
        patch(key, { state: 'indexed', progress: 1, ref: result.ref, ...(warning ? { warning } : {}) });
      } catch (error) {
        patch(key, { state: 'failed', error: `This file could not be stored (${(error as Error).message}).` });
      }
    }),
  );
}

export function removeAttachment(key: string): void {
  const removed = pendingAttachments.value.find((a) => a.key === key);
  pendingAttachments.value = pendingAttachments.value.filter((a) => a.key !== key);
  if (removed?.state === 'indexed') void deleteDocument(key);
}

