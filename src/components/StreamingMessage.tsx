import { useLayoutEffect, useRef } from 'preact/hooks';
import { StreamingMarkdown } from '../render/markdown';
import type { LiveReply } from '../state/live-reply';

/**
 * The reply in progress, written straight to the DOM: finished blocks are
 * appended once, only the open tail is replaced per chunk. No component
 * re-render per token, so the cost per chunk stays flat as the reply grows.
 */
export function StreamingMessage({ live, prefix }: { live: LiveReply; prefix: string }) {
  const blocks = useRef<HTMLDivElement>(null);
  const tail = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const markdown = new StreamingMarkdown();
    const apply = (delta: string) => {
      const update = markdown.push(delta);
      for (const html of update.blocks) blocks.current!.insertAdjacentHTML('beforeend', html);
      tail.current!.innerHTML = update.tail;
    };
    blocks.current!.textContent = '';
    apply(prefix + live.text);
    return live.subscribe(apply);
  }, [live, prefix]);
  return (
    <div class="markdown streaming">
      <div ref={blocks} />
      <div ref={tail} />
    </div>
  );
}
