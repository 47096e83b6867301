// The cache manager's actions: what is stored, deleting a model, asking the
// browser to keep the cache (an evicted 4 GB cache is a second download).
import { documentsWorker } from '../documents/documents-client';
import { anyDocuments } from '../storage/documents';
import { signal } from '@preact/signals';
import type { CustomModelInput, DeleteResult, StorageReport } from '../../protocol/contract';
import { engine } from '../engine/bridge';
import { generating, loadState, models } from './app-state';

export const storageReport = signal<StorageReport | null>(null);
export const lastDelete = signal<DeleteResult | null>(null);
export const storageError = signal<string | null>(null);
/** Attached documents kept with conversations (apart from model files). */
export const documentsStored = signal<{ count: number; bytes: number } | null>(null);
export const customModelError = signal<string | null>(null);

export async function refreshModels(): Promise<void> {
  models.value = (await engine.models.list()).data;
}

export async function refreshStorage(): Promise<void> {
  try {
    // The documents worker reads the records to size them; with none stored it is not started.
    void anyDocuments()
      .then(async (any) => (documentsStored.value = any ? await documentsWorker().usage() : { count: 0, bytes: 0 }))
      .catch(() => {});
    storageReport.value = await engine.storage.report();
    storageError.value = null;
  } catch (error) {
    storageError.value = `Could not read the storage: ${(error as Error).message}`;
  }
}

/** The model loaded (or loading) now, whose files a Delete would pull from under it. */
export function modelInUse(): string | null {
  const state = loadState.value;
  return state.status === 'ready' ? state.model.modelId : state.status === 'loading' ? state.modelId : null;
}

/**
 * Deletes a model's cached files. The model in use is unloaded first (the
 * worker does that), and the app then says no model is loaded: never a
 * "Ready" header over a model that is gone.
 */
export async function deleteCachedModel(modelId: string): Promise<void> {
  if (generating.peek() && modelInUse() === modelId) {
    storageError.value = 'Stop the reply first: the model in use is writing it.';
    return;
  }
  const inUse = modelInUse() === modelId;
  try {
    lastDelete.value = await engine.storage.deleteModel(modelId);
    if (inUse && modelInUse() === modelId) loadState.value = { status: 'idle' };
  } catch (error) {
    storageError.value = `Could not delete ${modelId}: ${(error as Error).message}`;
  }
  await Promise.all([refreshStorage(), refreshModels()]);
}

/** navigator.storage.persist() exists on the main thread only; asked once a model is cached. */
export async function requestPersistence(): Promise<boolean | null> {
  const storage = navigator.storage;
  if (!storage?.persist) return null;
  const granted = (await storage.persisted()) || (await storage.persist());
  await refreshStorage();
  return granted;
}

export async function addCustomModel(input: CustomModelInput): Promise<boolean> {
  customModelError.value = null;
  try {
    await engine.models.addCustom(input);
    await refreshModels();
    return true;
  } catch (error) {
    customModelError.value = (error as Error).message;
    return false;
  }
}

export async function removeCustomModel(modelId: string): Promise<void> {
  try {
    await engine.models.removeCustom(modelId);
  } catch (error) {
    customModelError.value = (error as Error).message;
  }
  await Promise.all([refreshModels(), refreshStorage()]);
}
