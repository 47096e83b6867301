// Notices a worker that stopped answering. A dead worker fires no event (a
// worker that calls close(), or one stuck in a loop, just goes quiet), and
// comlink's pending promises would wait forever; a heartbeat tells.

export interface WatchdogOptions {
  ping: () => Promise<unknown>;
  onDead: (reason: string) => void;
  /** Time between pings. */
  intervalMs?: number;
  /** How long a ping may go unanswered (a function: longer while the worker is known to be busy). */
  timeoutMs?: number | (() => number);
}

/** Starts pinging; returns a function that stops. */
export function watchWorker({ ping, onDead, intervalMs = 3000, timeoutMs = 8000 }: WatchdogOptions): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const beat = () => {
    if (stopped) return;
    let answered = false;
    const limit = typeof timeoutMs === 'function' ? timeoutMs() : timeoutMs;
    const deadline = setTimeout(() => {
      if (!answered && !stopped) {
        stopped = true;
        onDead(`The engine did not answer for ${Math.round(limit / 1000)} s.`);
      }
    }, limit);
    ping().then(
      () => {
        answered = true;
        clearTimeout(deadline);
        timer = setTimeout(beat, intervalMs);
      },
      () => {
        // A rejected ping (the worker's side closed) is as dead as a silent one.
        clearTimeout(deadline);
        if (!stopped) {
          stopped = true;
          onDead('The engine stopped answering.');
        }
      },
    );
  };
  timer = setTimeout(beat, intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
