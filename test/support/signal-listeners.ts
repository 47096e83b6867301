// An AbortSignal that tells which abort listeners are on it: what a request
// leaves on a caller's signal that outlives it.

/** `signal` with its listeners counted: the set holds those added and not removed. */
export function listenersOn(signal: AbortSignal): Set<unknown> {
  const listening = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => (listening.add(listener), add(type, listener, options))) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListener) => (listening.delete(listener), remove(type, listener))) as typeof signal.removeEventListener;
  return listening;
}
