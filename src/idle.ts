// Work for the moments the page is idle: requestIdleCallback where the
// browser has it (Safari does not, nor does Node), a short timer elsewhere;
// and work for a task of its own, soon, before the next frame (inTask).

/** What an idle period has left: the milliseconds before the page needs its thread again. */
export interface IdleDeadline {
  timeRemaining(): number;
}

/** Runs `work` when the page is idle (or after `timeout` ms at the latest, where the browser supports it); returns the function that cancels it. */
export function whenIdle(work: (deadline: IdleDeadline) => void, timeout?: number): () => void {
  if (typeof globalThis.requestIdleCallback === 'function') {
    const handle = globalThis.requestIdleCallback(work, timeout === undefined ? undefined : { timeout });
    return () => globalThis.cancelIdleCallback(handle);
  }
  const handle = setTimeout(() => {
    const start = performance.now();
    work({ timeRemaining: () => Math.max(0, 8 - (performance.now() - start)) });
  }, 50);
  return () => clearTimeout(handle);
}

type Scheduler = { postTask(work: () => void, options: { priority: 'user-visible'; signal: AbortSignal }): Promise<unknown> };

/**
 * Runs `work` soon, in a task of its own after what is waiting (input comes first in Chromium):
 * scheduler.postTask where the browser has it, a 0 ms timer elsewhere. Unlike an idle callback,
 * it comes before the next frame when the page is idle (an idle callback asked for during an
 * idle period runs in the next one: at 100 tokens/s, 5% of a list's pieces were parsed before the
 * frame that took them); scheduler.postTask's 'background' priority came after the frame half of
 * the time at 40 tokens/s. Returns the function that cancels it.
 */
export function inTask(work: () => void): () => void {
  const scheduler = (globalThis as { scheduler?: Partial<Scheduler> }).scheduler;
  if (typeof scheduler?.postTask === 'function') {
    const controller = new AbortController();
    scheduler.postTask(work, { priority: 'user-visible', signal: controller.signal }).catch(() => {});
    return () => controller.abort();
  }
  const handle = setTimeout(work, 0);
  return () => clearTimeout(handle);
}
