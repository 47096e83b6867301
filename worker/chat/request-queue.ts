// Serves generation requests one at a time, in arrival order. The engine has a
// single GPU pipeline; this queue (not WebLLM's internal lock) decides order,
// so that every request can be aborted whether it is waiting or running.
import { RequestAbortedError } from '../../protocol/errors';

export interface Slot {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Frees the engine for the next request. Idempotent. */
  release(): void;
}

interface Waiter {
  id: string;
  controller: AbortController;
  resolve(slot: Slot): void;
  reject(error: Error): void;
}

export class RequestQueue {
  private running: { id: string; controller: AbortController } | null = null;
  private readonly waiting: Waiter[] = [];

  get busy(): boolean {
    return this.running !== null;
  }
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves when it is this request's turn; rejects with AbortError if aborted while waiting. */
  acquire(id: string): Promise<Slot> {
    return new Promise<Slot>((resolve, reject) => {
      this.waiting.push({ id, controller: new AbortController(), resolve, reject });
      this.next();
    });
  }

  /** Aborts one request by id, or the running one and everything waiting. */
  abort(id?: string): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const waiter = this.waiting[i]!;
      if (id === undefined || waiter.id === id) {
        this.waiting.splice(i, 1);
        waiter.controller.abort();
        waiter.reject(new RequestAbortedError('The request was aborted before it started.'));
      }
    }
    if (this.running && (id === undefined || this.running.id === id)) this.running.controller.abort();
  }

  private next(): void {
    if (this.running || this.waiting.length === 0) return;
    const waiter = this.waiting.shift()!;
    const running = { id: waiter.id, controller: waiter.controller };
    this.running = running;
    let released = false;
    waiter.resolve({
      id: waiter.id,
      signal: waiter.controller.signal,
      release: () => {
        if (released) return;
        released = true;
        if (this.running === running) this.running = null;
        this.next();
      },
    });
  }
}
