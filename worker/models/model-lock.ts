// One tab at a time holds a model on the GPU: two tabs each loading a 4 GB
// model would exhaust GPU memory. A Web Lock, held while a model is loaded,
// makes a second tab wait or take over (steal), and tells the first tab it lost it.

const LOCK_NAME = 'mistral-local:gpu-model';

type Locks = { request(name: string, options: { ifAvailable?: boolean; steal?: boolean }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown> };

export class ModelLock {
  private release: (() => void) | null = null;

  constructor(private readonly locks: Locks | undefined = (globalThis.navigator as { locks?: Locks } | undefined)?.locks) {}

  get held(): boolean {
    return this.release !== null;
  }

  /**
   * Takes the lock (or steals it from another tab when `takeOver`). Resolves
   * false when another tab holds it. `onLost` runs if another tab steals it later.
   */
  async acquire(takeOver: boolean, onLost: () => void): Promise<boolean> {
    if (this.release) return true;
    // Without Web Locks (old browsers, Node), this tab cannot see others: proceed.
    if (!this.locks) return true;
    let granted!: (ok: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (granted = resolve));
    const held = this.locks.request(LOCK_NAME, takeOver ? { steal: true } : { ifAvailable: true }, async (lock) => {
      if (!lock) {
        granted(false);
        return;
      }
      await new Promise<void>((resolve) => {
        this.release = () => {
          this.release = null;
          resolve();
        };
        granted(true);
      });
    });
    held.catch(() => {
      // Stolen by another tab (the request rejects with AbortError).
      if (this.release) {
        this.release = null;
        onLost();
      }
    });
    return decided;
  }

  releaseLock(): void {
    this.release?.();
  }
}
