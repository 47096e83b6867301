// What renders messages is not needed for first paint, nor for an empty chat:
// the message list (marked, DOMPurify, the streaming renderer) is fetched, and
// the highlight worker (highlight.js) started, once start-up is done and the
// page is idle, so they do not compete with the engine worker's start; code
// blocks are highlighted in that worker (render/highlight-queue.ts).
import { whenIdle } from '../idle';

/** The message list's module; a chat with messages imports it at once. */
export const loadMessageList = () => import('../components/MessageList');

/** After `started` (the model picker's first list) settles, when idle: the message list, then the highlight worker. */
export function loadRendererWhenIdle(started: Promise<unknown>): void {
  void started.finally(() =>
    whenIdle(() =>
      void loadMessageList()
        .then(() => import('../render/highlight-queue'))
        .then((m) => void m.startHighlighter())
        .catch(() => {}),
    ),
  );
}
