// Code blocks are rendered plain and highlighted afterwards, in the highlight
// worker (highlight.worker.ts): highlight.js never runs on the main thread,
// and a conversation with hundreds of code blocks opening, or a reply ending
// in a 400-line block, never holds it for long. The page only builds the
// answer's spans, a block at a time; the newest blocks (at the bottom, where
// the reader is) go first.
import * as Comlink from 'comlink';
import { buildHighlighted } from './highlight-tree';
import type { HighlightApi } from './highlight.worker';
import { spawnHighlightWorker } from './spawn-highlight-worker';

const pending: HTMLElement[] = [];
let draining = false;
interface Highlighter {
  api: Comlink.Remote<HighlightApi>;
  /** `call`'s answer, or a rejection once the worker fails (it then answers nothing). */
  answer<T>(call: Promise<T>): Promise<T>;
}
let worker: Highlighter | null = null;

/** The worker, started once (when the page is idle after start-up, or by the first code block). */
export function startHighlighter(): Highlighter {
  if (worker) return worker;
  const spawned = spawnHighlightWorker();
  // A worker that cannot start (its file missing, blocked) answers nothing: code then stays plain.
  // The calls in flight are told through a set that lets each go when it is answered, not by a
  // Promise.race with a page-long "failed" promise, which keeps a handler per block for the
  // page's life (and in Node 20's V8 the block's tree with it).
  let failure: Error | null = null;
  const waiting = new Set<(error: Error) => void>();
  spawned.addEventListener('error', () => {
    failure = new Error('The highlight worker stopped.');
    for (const fail of waiting) fail(failure);
    waiting.clear();
  });
  const answer = <T>(call: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.add(reject);
      const settle = () => waiting.delete(reject);
      call.then((value) => (settle(), resolve(value)), (error: unknown) => (settle(), reject(error)));
    });
  return (worker = { api: Comlink.wrap<HighlightApi>(spawned), answer });
}

/** Queues the code blocks under `root` that are not highlighted yet. */
export function highlightLater(root: Element): void {
  let added = 0;
  for (const pre of root.getElementsByTagName('pre')) {
    const code = pre.firstElementChild;
    if (code instanceof HTMLElement && code.tagName === 'CODE' && /\blanguage-/.test(code.className) && !('highlighted' in code.dataset)) added = pending.push(code);
  }
  if (added > 0) void drain();
}

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    const { api, answer } = startHighlighter();
    while (pending.length > 0) {
      const code = pending.pop()!;
      if (!code.isConnected || 'highlighted' in code.dataset) continue;
      code.dataset.highlighted = '';
      const language = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1];
      const text = code.textContent ?? '';
      const tree = language ? await answer(api.highlight(text, language)).catch(() => null) : null;
      // Shown meanwhile as it was: replaced only if it still says the same.
      if (tree && code.isConnected && code.textContent === text) code.replaceChildren(buildHighlighted(tree));
    }
  } finally {
    draining = false;
  }
}
