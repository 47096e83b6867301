import { memo } from 'preact/compat';
import { renderMarkdown } from '../render/markdown';

/** A finished message as sanitized markdown; parsed once per text (and again once highlighting is ready). */
export const Markdown = memo(function Markdown({ text, highlight }: { text: string; highlight: boolean }) {
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(text, highlight) }} />;
});
