// The reply being streamed. Chunks go straight to the subscribed renderer
// (no state update per token), so the work per chunk stays small and flat.

export type ChunkListener = (delta: string) => void;

export class LiveReply {
  text = '';
  private readonly listeners = new Set<ChunkListener>();

  constructor(
    readonly conversationId: string,
    readonly messageId: string,
    /** Text already in the message before this stream (a continued reply). */
    readonly prefix = '',
  ) {}

  append(delta: string): void {
    this.text += delta;
    for (const listener of this.listeners) listener(delta);
  }

  subscribe(listener: ChunkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
