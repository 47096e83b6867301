// Files attached in the message box: read and indexed in the documents
// worker as soon as they are added (a chip shows each one's state), stored
// there in IndexedDB under the conversation's id, and sent with the next question.
import { signal } from '@preact/signals';
import * as Comlink from 'comlink';
import { documentsWorker } from '../documents/documents-client';
import { deleteDocument, documentId } from '../storage/documents';
import type { AttachmentRef } from '../storage/conversations';
import { conversation } from './app-state';

export interface PendingAttachment {
  key: string;
  name: string;
  size: number;
  state: 'reading' | 'indexed' | 'failed';
  /** 0..1 while reading (PDF pages). */
  progress: number;
  error?: string;
  ref?: AttachmentRef;
}

export const pendingAttachments = signal<PendingAttachment[]>([]);

function patch(key: string, change: Partial<PendingAttachment>): void {
  pendingAttachments.value = pendingAttachments.value.map((a) => (a.key === key ? { ...a, ...change } : a));
}

/** Adds files to the message being written; each is read and indexed off the main thread. */
export async function attachFiles(files: File[]): Promise<void> {
  const conversationId = conversation.value.id;
  await Promise.all(
    files.map(async (file) => {
      const key = documentId(conversationId);
      pendingAttachments.value = [...pendingAttachments.value, { key, name: file.name, size: file.size, state: 'reading', progress: 0 }];
      try {
        const result = await documentsWorker().ingest(file, key, Comlink.proxy((progress: number) => patch(key, { progress })));
        if (!result.ok) return patch(key, { state: 'failed', error: result.error });
        // Removed while it was being read: nothing is kept.
        if (!pendingAttachments.value.some((a) => a.key === key)) return void deleteDocument(key);
        patch(key, { state: 'indexed', progress: 1, ref: result.ref });
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

/** The attachments ready to go with a question; the composer's chips are cleared. */
export function takeAttachments(): AttachmentRef[] {
  const ready = pendingAttachments.value.flatMap((a) => (a.state === 'indexed' && a.ref ? [a.ref] : []));
  pendingAttachments.value = [];
  return ready;
}

export const attachmentsBusy = () => pendingAttachments.value.some((a) => a.state === 'reading');
