// Code blocks are rendered plain and highlighted afterwards, a few at a time:
// highlight.js arriving, or a conversation with hundreds of code blocks
// opening, must never hold the main thread for long. Each slice works for at
// most SLICE_MS and then yields; the newest blocks (the ones at the bottom,
// where the reader is) go first.
import { highlightedCode, highlighterLoaded } from './markdown';

const SLICE_MS = 8;
const pending: HTMLElement[] = [];
let scheduled = false;

/** Queues the code blocks under `root` that are not highlighted yet. */
export function highlightLater(root: Element): void {
  let added = 0;
  for (const pre of root.getElementsByTagName('pre')) {
    const code = pre.firstElementChild;
    if (code instanceof HTMLElement && code.tagName === 'CODE' && /\blanguage-/.test(code.className) && !('highlighted' in code.dataset)) added = pending.push(code);
  }
  if (added === 0) return;
  schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  void highlighterLoaded.then(() => setTimeout(drain, 0));
}

function drain(): void {
  scheduled = false;
  const until = performance.now() + SLICE_MS;
  while (pending.length > 0 && performance.now() < until) {
    const code = pending.pop()!;
    if (!code.isConnected || code.dataset.highlighted) continue;
    code.dataset.highlighted = '';
    const language = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1];
    const html = language ? highlightedCode(code.textContent ?? '', language) : null;
    if (html !== null) code.innerHTML = html;
  }
  if (pending.length > 0) schedule();
}
