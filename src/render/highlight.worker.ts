// The highlight worker: highlight.js runs here, off the main thread, so a
// 400-line code block (about 50 ms of highlighting) never holds the page up.
// It answers with a tree of scopes and text (highlight-tree.ts), not HTML.
import * as Comlink from 'comlink';
import hljs from 'highlight.js/lib/common';
import { highlightedText, parseHighlighted, type HighlightNode } from './highlight-tree';

export interface HighlightApi {
  /** `code` highlighted as `language`, or null for a language highlight.js does not know. */
  highlight(code: string, language: string): HighlightNode[] | null;
}

const api: HighlightApi = {
  highlight(code, language) {
    if (!hljs.getLanguage(language)) return null;
    const tree = parseHighlighted(hljs.highlight(code, { language, ignoreIllegals: true }).value);
    // The tree must say the code exactly, or the code stays plain.
    return tree && highlightedText(tree) === code ? tree : null;
  },
};

Comlink.expose(api);
