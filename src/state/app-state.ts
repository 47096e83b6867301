// The app's state, as signals. Components read these; only the action modules
// in this folder write them.
import { computed, signal } from '@preact/signals';
import type { GpuReport, LoadedModel, LoadFailureKind, LoadProgress, ModelInfo } from '../../worker/contract';
import type { Conversation } from '../storage/conversations';

export type LoadState =
  | { status: 'idle' }
  | { status: 'loading'; modelId: string; progress: LoadProgress | null; bytesPerSecond: number | null }
  | { status: 'ready'; model: LoadedModel }
  | { status: 'error'; modelId: string; kind: LoadFailureKind; message: string };

/** null until the worker has answered. */
export const gpu = signal<GpuReport | null>(null);
export const models = signal<ModelInfo[]>([]);
export const selectedModelId = signal<string | null>(null);
export const loadState = signal<LoadState>({ status: 'idle' });
/** Set when the engine worker itself failed (script error, crash). */
export const engineFailure = signal<string | null>(null);

export function newConversation(): Conversation {
  const now = Date.now();
  return { id: crypto.randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, modelId: null, messages: [] };
}

export const conversation = signal<Conversation>(newConversation());
/** The reply being streamed, kept apart so each token does not copy the whole conversation. */
export const streamingReply = signal<{ messageId: string; text: string } | null>(null);
export const generating = computed(() => streamingReply.value !== null);
/** The last request's failure, shown under the conversation. */
export const chatError = signal<string | null>(null);

export const webgpuUsable = computed(() => gpu.value?.status === 'ok');
export const readyModel = computed(() => (loadState.value.status === 'ready' ? loadState.value.model : null));
