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
  /** Rejects when the worker fails (it then answers nothing). */
  failed: Promise<never>;
}
let worker: Highlighter | null = null;

/** The worker, started once (when the page is idle after start-up, or by the first code block). */
export function startHighlighter(): Highlighter {
  if (worker) return worker;
  const spawned = spawnHighlightWorker();
  // A worker that cannot start (its file missing, blocked) answers nothing: code then stays plain.
  const failed = new Promise<never>((_, reject) => spawned.addEventListener('error', () => reject(new Error('The highlight worker stopped.'))));
  failed.catch(() => {});
  return (worker = { api: Comlink.wrap<HighlightApi>(spawned), failed });
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
    const { api, failed } = startHighlighter();
    while (pending.length > 0) {
      const code = pending.pop()!;
      if (!code.isConnected || 'highlighted' in code.dataset) continue;
      code.dataset.highlighted = '';
      const language = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1];
      const text = code.textContent ?? '';
      const tree = language ? await Promise.race([api.highlight(text, language), failed]).catch(() => null) : null;
      // Shown meanwhile as it was: replaced only if it still says the same.
      if (tree && code.isConnected && code.textContent === text) code.replaceChildren(buildHighlighted(tree));
    }
  } finally {
    draining = false;
  }
}
