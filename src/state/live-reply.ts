// The reply being streamed. Chunks go straight to the subscribed renderer
// (no state update per token), so the work per chunk stays small and flat.

export type ChunkListener = (delta: string) => void;

export class LiveReply {
  text = '';
  private readonly listeners = new Set<ChunkListener>();
  /** Views that still have received text to show (render/stream-view.ts takes a few lines a frame). */
  private readonly behind = new Set<object>();
  private caughtUpWaiters: (() => void)[] = [];

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

  /** A view says whether text it received is still to be shown. */
  setBehind(view: object, behind: boolean): void {
    if (behind) this.behind.add(view);
    else if (this.behind.delete(view) && this.behind.size === 0) {
      for (const resolve of this.caughtUpWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once every view shows all the text so far (at once when none is behind). */
  caughtUp(): Promise<void> {
    return this.behind.size === 0 ? Promise.resolve() : new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  subscribe(listener: ChunkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
