import { memo } from 'preact/compat';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { highlightLater } from '../render/highlight-queue';
import { renderMessage } from '../render/markdown';
import { finishStream, streamInto } from '../render/stream-view';
import type { LiveReply } from '../state/live-reply';

/**
 * A message as sanitized markdown: while `live`, the reply streams into this
 * element (render/stream-view.ts); finished, its render (parsed once per text)
 * takes the streamed DOM's place by changing only what differs. Its code is
 * highlighted afterwards, in the highlight worker.
 */
export const Markdown = memo(function Markdown({ text, live = null }: { text: string; live?: LiveReply | null }) {
  const root = useRef<HTMLDivElement>(null);
  const streamed = useRef(false);
  useLayoutEffect(() => {
    if (!live) return;
    streamed.current = true;
    return streamInto(root.current!, live);
  }, [live]);
  useLayoutEffect(() => {
    if (live) return;
    const html = renderMessage(text);
    if (streamed.current) finishStream(root.current!, html);
    else root.current!.innerHTML = html;
    streamed.current = false;
  }, [text, live]);
  useEffect(() => {
    if (!live) highlightLater(root.current!);
  }, [text, live]);
  // Its children are this component's own (set above), not Preact's.
  return <div class={live ? 'markdown streaming' : 'markdown'} ref={root} />;
});
