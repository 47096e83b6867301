// A reply in progress, written straight into its message's markdown element:
// finished blocks are appended once, only the open tail (the last element)
// changes, and an open code block only has text appended (once it closes, it
// stays as shown: TailView.adopt). Text that arrives
// between two frames is taken in once per animation frame, so a fast engine
// costs the page one update per frame, not one per token, and a frame takes
// in a few finished lines at most (LINES_PER_FRAME); a plain word at the
// tail's end is appended to the text shown (TailView). The pieces of a
// long list join the list before them, so that when the reply ends the
// finished render finds the same elements and the browser lays out only what
// differs (finishStream).
import morphdom from 'morphdom';
import { highlightLater } from './highlight-queue';
import { StreamingMarkdown, type StreamBlock } from './markdown';
import { TailView } from './tail-view';
import type { LiveReply } from '../state/live-reply';

const HIDDEN_TAB_MS = 250;
const LISTS = new Set(['UL', 'OL']);
/**
 * Finished lines a frame takes in, at most (one block always: a long list or
 * paragraph is cut in blocks of 4 lines while text comes this fast, and of 8
 * while it keeps to the view's pace: StreamingMarkdown.write). Laying out a line costs about
 * 0.1–0.3 ms here, so a frame that took in everything from an engine far
 * faster than any reader (thousands of tokens a second) lasted 4–7 ms; such
 * an engine's text is now shown at this rate and the view catches up after.
 * 4 lines a frame is 240 a second at 60 Hz, far above what a model writes in
 * a browser (tens of tokens, a few lines, a second): then nothing waits.
 */
export const LINES_PER_FRAME = 4;

/** Streams `live` (after its prefix) into `root`, emptied first; returns the function that stops it (the DOM stays). */
export function streamInto(root: HTMLElement, live: LiveReply): () => void {
  root.textContent = '';
  const first = root.appendChild(document.createElement('div'));
  first.className = 'stream-tail';
  const markdown = new StreamingMarkdown();
  const view = new TailView(first);
  let pending = '';
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (frame) return;
    // Until that frame, the view has text it has not shown (the reply waits for it: LiveReply.caughtUp).
    live.setBehind(view, true);
    frame = requestAnimationFrame(() => apply(LINES_PER_FRAME));
    // A hidden tab gets no frames: it still takes the text in (all of it), four times a second.
    timer = setTimeout(apply, HIDDEN_TAB_MS);
  };
  const apply = (maxLines = Infinity) => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = 0;
    timer = undefined;
    if (pending === '' && !markdown.behind) return;
    const t0 = performance.now();
    markdown.write(pending);
    pending = '';
    const update = markdown.take(maxLines);
    const last = view.element.previousElementSibling;
    for (const block of update.blocks) {
      // A code block the tail showed as it streamed stays as it is shown: it is not parsed and laid out again.
      if (block.code && view.adopt(block.code)) continue;
      appendBlock(root, view.element, block);
    }
    // Only the blocks just added are looked at (the reply so far can be thousands of elements).
    for (let added = last ? last.nextElementSibling : root.firstElementChild; added && added !== view.element; added = added.nextElementSibling) highlightLater(added);
    // Behind: the tail comes after blocks not shown yet, so it waits for them (empty until then).
    view.show(update.tail ?? { kind: 'html', nodes: document.createDocumentFragment(), continued: false });
    if (markdown.behind) schedule();
    else live.setBehind(view, false);
    if (import.meta.env.MODE === 'e2e') {
      // For bench:render: the frame's work with its layout (forced here, as the frame would do it).
      void view.element.getBoundingClientRect();
      performance.measure('render-frame', { start: t0, end: performance.now(), detail: { blocks: update.blocks.length } });
    }
  };
  const receive = (delta: string) => {
    pending += delta;
    schedule();
  };
  pending = live.prefix + live.text;
  apply();
  const unsubscribe = live.subscribe(receive);
  return () => {
    unsubscribe();
    live.setBehind(view, false);
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/**
 * Puts a finished block before the tail. A piece that continues a list joins
 * the list before it (its items appended, as the finished render has them);
 * other pieces (a long paragraph's) join without a gap (styles.css).
 */
function appendBlock(root: HTMLElement, tail: Element, block: StreamBlock): void {
  const first = block.nodes.firstElementChild;
  const before = tail.previousElementSibling;
  if (block.continued && first && before && LISTS.has(first.tagName) && first.tagName === before.tagName) {
    before.append(...first.childNodes);
    first.remove();
    before.classList.toggle('cut', block.cut);
  } else {
    if (block.continued) first?.classList.add('cont');
    if (block.cut) block.nodes.lastElementChild?.classList.add('cut');
  }
  root.insertBefore(block.nodes, tail);
}

/**
 * Turns a streamed reply's DOM into its finished render (`html`, sanitized)
 * by changing only what differs: the elements the stream already showed keep
 * their layout (a 500-item list put in whole costs 25–40 ms of layout here;
 * morphed, about what changed). Code the highlight worker already did stays.
 */
export function finishStream(root: HTMLElement, html: string): void {
  const next = document.createElement('div');
  next.innerHTML = html;
  morphdom(root, next, {
    childrenOnly: true,
    onBeforeElUpdated: (from, to) => !(from.tagName === 'CODE' && 'highlighted' in (from as HTMLElement).dataset && from.className === to.className && from.textContent === to.textContent),
  });
}
