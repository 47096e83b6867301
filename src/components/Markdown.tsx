import { memo } from 'preact/compat';
import { useEffect, useRef } from 'preact/hooks';
import { highlightLater } from '../render/highlight-queue';
import { renderMessage } from '../render/markdown';

/** A finished message as sanitized markdown, parsed once per text; its code is highlighted afterwards, in the highlight worker. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => highlightLater(root.current!), [text]);
  return <div class="markdown" ref={root} dangerouslySetInnerHTML={{ __html: renderMessage(text) }} />;
});
