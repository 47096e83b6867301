// The comlink endpoint to the engine worker, across the worker's life. One
// `Comlink.wrap` over this endpoint serves every call: a restart swaps the
// worker underneath, and when a worker dies (an uncaught error, or silence
// the watchdog notices) every call still waiting is answered with an
// EngineStoppedError, in comlink's own reply format, instead of hanging.
import type * as Comlink from 'comlink';
import { EngineStoppedError, toPlainError } from '../../protocol/errors';
import { watchWorker } from './watchdog';

/** What the connection needs of a worker (a Worker, or a MessagePort and a way to close it in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

export interface ConnectionOptions {
  spawn: () => WorkerLike;
  /** A call the worker answers at once: the watchdog's heartbeat (no watchdog without it). */
  ping?: () => Promise<unknown>;
  /** How long a ping may go unanswered; `loading` is true while a model load is pending. */
  timeoutMs?: (loading: boolean) => number;
  intervalMs?: number;
  /** Told when the worker stops by itself (crash or silence), not when restarted. */
  onStopped?: (message: string) => void;
}

type Listener = EventListenerOrEventListenerObject;

export class EngineConnection implements Comlink.Endpoint {
  private readonly listeners = new Set<Listener>();
  /** Calls sent to the current worker and not answered yet: comlink message id → API path. */
  private readonly pending = new Map<string, string[]>();
  private worker!: WorkerLike;
  private alive = false;
  private stopWatching = () => {};
  private stoppedWith: Promise<never> = new Promise<never>(() => {});
  private rejectStopped: (error: Error) => void = () => {};

  constructor(private readonly options: ConnectionOptions) {
    this.spawnWorker();
  }

  /** Rejects with EngineStoppedError when the current worker stops. */
  get stopped(): Promise<never> {
    return this.stoppedWith;
  }

  // ----- Comlink.Endpoint -----
  postMessage(message: { id?: string; path?: string[] }, transfer: Transferable[] = []): void {
    if (message.id) this.pending.set(message.id, message.path ?? []);
    if (this.alive) this.worker.postMessage(message, transfer);
    else queueMicrotask(() => this.failPending('The engine stopped. Restart it to continue.'));
  }
  addEventListener(_type: string, listener: Listener): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: string, listener: Listener): void {
    this.listeners.delete(listener);
  }

  /** A fresh worker; the old one is terminated and its pending calls fail. */
  restart(): void {
    this.stop('The engine was restarted.', false);
    this.spawnWorker();
  }

  /** Stops the current worker: pending calls and open streams fail with EngineStoppedError. */
  stop(message: string, notify = true): void {
    if (!this.alive) return;
    this.alive = false;
    this.stopWatching();
    this.worker.terminate();
    this.rejectStopped(new EngineStoppedError(message));
    this.failPending(message);
    if (notify) this.options.onStopped?.(message);
  }

  private spawnWorker(): void {
    const worker = this.options.spawn();
    this.worker = worker;
    this.alive = true;
    this.stoppedWith = new Promise<never>((_, reject) => (this.rejectStopped = reject));
    this.stoppedWith.catch(() => {});
    worker.addEventListener('message', (event) => {
      if (this.worker !== worker) return;
      const id = (event.data as { id?: string } | null)?.id;
      if (id) this.pending.delete(id);
      this.deliver(event.data);
    });
    // An uncaught error leaves the engine in an unknown state: stop it cleanly.
    worker.addEventListener('error', (event) => {
      if (this.worker === worker) this.stop(`The engine crashed: ${event.message || 'an uncaught error in the worker'}.`);
    });
    const { ping, intervalMs, timeoutMs = (loading) => (loading ? 30_000 : 8_000) } = this.options;
    if (!ping) return;
    // Loading a model can keep the worker's event loop busy for seconds at a time
    // (compiling the model library, building a large tokenizer): allow more then.
    this.stopWatching = watchWorker({ ping, onDead: (reason) => this.stop(reason), intervalMs, timeoutMs: () => timeoutMs(this.loading) });
  }

  private get loading(): boolean {
    for (const path of this.pending.values()) if (path[0] === 'models' && path[1] === 'load') return true;
    return false;
  }

  /** Answers every pending call with comlink's "throw" reply, carrying an EngineStoppedError. */
  private failPending(message: string): void {
    const value = toPlainError(new EngineStoppedError(message));
    const ids = [...this.pending.keys()];
    this.pending.clear();
    for (const id of ids) this.deliver({ id, type: 'HANDLER', name: 'throw', value: { isError: true, value } });
  }

  private deliver(data: unknown): void {
    const event = new MessageEvent('message', { data });
    for (const listener of this.listeners) {
      if (typeof listener === 'function') listener(event);
      else listener.handleEvent(event);
    }
  }
}
