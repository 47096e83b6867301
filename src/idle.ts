// Work for the moments the page is idle: requestIdleCallback where the
// browser has it (Safari does not, nor does Node), a short timer elsewhere.

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
