// A reply in progress, written straight into its message's markdown element:
// finished blocks are appended once, only the open tail (the last element)
// changes, and an open code block only has text appended. Text that arrives
// between two frames is taken in once per animation frame, so a fast engine
// costs the page one update per frame, not one per token. The pieces of a
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

/** Streams `live` (after its prefix) into `root`, emptied first; returns the function that stops it (the DOM stays). */
export function streamInto(root: HTMLElement, live: LiveReply): () => void {
  root.textContent = '';
  const tail = root.appendChild(document.createElement('div'));
  tail.className = 'stream-tail';
  const markdown = new StreamingMarkdown();
  const view = new TailView(tail);
  let pending = '';
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const apply = () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = 0;
    timer = undefined;
    if (pending === '') return;
    const t0 = performance.now();
    const update = markdown.push(pending);
    pending = '';
    const last = tail.previousElementSibling;
    for (const block of update.blocks) appendBlock(root, tail, block);
    // Only the blocks just added are looked at (the reply so far can be thousands of elements).
    for (let added = last ? last.nextElementSibling : root.firstElementChild; added && added !== tail; added = added.nextElementSibling) highlightLater(added);
    view.show(update.tail);
    if (import.meta.env.MODE === 'e2e') {
      // For bench:render: the frame's work with its layout (forced here, as the frame would do it).
      void tail.getBoundingClientRect();
      performance.measure('render-frame', { start: t0, end: performance.now() });
    }
  };
  const receive = (delta: string) => {
    pending += delta;
    if (frame) return;
    frame = requestAnimationFrame(apply);
    // A hidden tab gets no frames: it still takes the text in, four times a second.
    timer = setTimeout(apply, HIDDEN_TAB_MS);
  };
  pending = live.prefix + live.text;
  apply();
  const unsubscribe = live.subscribe(receive);
  return () => {
    unsubscribe();
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
