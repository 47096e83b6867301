// Highlighted code as data, not HTML: the highlight worker turns highlight.js's
// output into a tree of scopes and text, and the page builds it with
// createElement and text nodes. Nothing from the worker is parsed as HTML on
// the page, so no sanitizer pass is needed (and none runs over thousands of
// spans on the main thread).

/** Text, or a highlight.js scope (its classes) around more nodes. */
export type HighlightNode = string | { classes: string; children: HighlightNode[] };

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'" };
/** highlight.js's class names: `hljs-keyword`, `hljs-title function_`, `language-xml`. */
const CLASSES = /^[\w-]+(?: [\w-]+)*$/;
const TOKEN = /<span class="([^"<>]*)">|<\/span>|&(?:amp|lt|gt|quot|#x27|#39);|[^<&]+/y;

/**
 * Parses highlight.js's HTML, which holds only `<span class="…">`, `</span>`
 * and escaped text. Anything else (or unbalanced spans) gives null: the code
 * then stays plain.
 */
export function parseHighlighted(html: string): HighlightNode[] | null {
  const root: HighlightNode[] = [];
  const stack: HighlightNode[][] = [root];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < html.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(html);
    if (!match || match.index !== at) return null;
    const [token, classes] = match;
    const children = stack.at(-1)!;
    if (classes !== undefined) {
      if (!CLASSES.test(classes)) return null;
      const scope = { classes, children: [] as HighlightNode[] };
      children.push(scope);
      stack.push(scope.children);
    } else if (token === '</span>') {
      if (stack.length === 1) return null;
      stack.pop();
    } else {
      const text = ENTITIES[token] ?? token;
      if (typeof children.at(-1) === 'string') children[children.length - 1] += text;
      else children.push(text);
    }
  }
  return stack.length === 1 ? root : null;
}

/** The tree as DOM nodes (spans with classes, and text). */
export function buildHighlighted(nodes: HighlightNode[], doc: Document = document): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  const append = (parent: Node, list: HighlightNode[]) => {
    for (const node of list) {
      if (typeof node === 'string') parent.appendChild(doc.createTextNode(node));
      else {
        const span = doc.createElement('span');
        span.className = node.classes;
        append(span, node.children);
        parent.appendChild(span);
      }
    }
  };
  append(fragment, nodes);
  return fragment;
}

/** The text a tree says (what the code element held before it was highlighted). */
export function highlightedText(nodes: HighlightNode[]): string {
  return nodes.map((n) => (typeof n === 'string' ? n : highlightedText(n.children))).join('');
}
