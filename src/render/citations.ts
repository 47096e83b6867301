// Turns a reply's "[n]" citations into links to its sources (below the reply),
// in the rendered DOM's text nodes only: code, and what DOMPurify let through,
// are not touched, and no HTML is ever built from the reply's text.

const CITE = /\[(\d{1,2})\]/g;

export function linkCitations(root: HTMLElement, messageId: string, count: number): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest('code, pre, a') ? NodeFilter.FILTER_REJECT : CITE.test(node.nodeValue ?? '') ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP),
  });
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  for (const node of nodes) {
    const text = node.nodeValue ?? '';
    const parts = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(CITE)) {
      const n = Number(match[1]);
      if (n < 1 || n > count) continue;
      parts.append(text.slice(last, match.index));
      const link = document.createElement('a');
      link.href = `#source-${messageId}-${n}`;
      link.className = 'cite';
      link.dataset.source = String(n);
      link.textContent = `[${n}]`;
      parts.append(link);
      last = match.index + match[0].length;
    }
    if (last === 0) continue;
    parts.append(text.slice(last));
    node.replaceWith(parts);
  }
}

/** A click on a citation opens its source and moves focus there. */
export function openCitation(event: MouseEvent): void {
  const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a.cite');
  if (!link) return;
  event.preventDefault();
  const source = document.getElementById(link.hash.slice(1)) as HTMLDetailsElement | null;
  if (!source) return;
  source.open = true;
  source.querySelector('summary')?.focus();
  source.scrollIntoView({ block: 'nearest' });
}
