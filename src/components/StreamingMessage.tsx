import { useLayoutEffect, useRef } from 'preact/hooks';
import { highlightLater } from '../render/highlight-queue';
import { StreamingMarkdown } from '../render/markdown';
import { TailView } from '../render/tail-view';
import type { LiveReply } from '../state/live-reply';

const HIDDEN_TAB_MS = 250;

/**
 * The reply in progress, written straight to the DOM: finished blocks are
 * appended once, only the open tail changes, and an open code block only has
 * text appended. Text that arrives between two frames is taken in once per
 * animation frame, so a fast engine costs the page one update per frame, not
 * one per token. No component re-render per token either.
 */
export function StreamingMessage({ live, prefix }: { live: LiveReply; prefix: string }) {
  const blocks = useRef<HTMLDivElement>(null);
  const tail = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const markdown = new StreamingMarkdown();
    const view = new TailView(tail.current!);
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
      const root = blocks.current!;
      const last = root.lastElementChild;
      for (const block of update.blocks) {
        // The pieces of a long list or paragraph join without a gap (styles.css).
        if (block.continued) block.nodes.firstElementChild?.classList.add('cont');
        if (block.cut) block.nodes.lastElementChild?.classList.add('cut');
        root.append(block.nodes);
      }
      // Only the blocks just added are looked at (the reply so far can be thousands of elements).
      for (let added = last ? last.nextElementSibling : root.firstElementChild; added; added = added.nextElementSibling) highlightLater(added);
      view.show(update.tail);
      if (import.meta.env.MODE === 'e2e') {
        // For bench:render: the frame's work with its layout (forced here, as the frame would do it).
        void tail.current!.getBoundingClientRect();
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
    blocks.current!.textContent = '';
    pending = prefix + live.text;
    apply();
    const unsubscribe = live.subscribe(receive);
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [live, prefix]);
  return (
    <div class="markdown streaming">
      <div ref={blocks} />
      <div ref={tail} />
    </div>
  );
}
