// @vitest-environment jsdom
// Highlighted code crosses from the highlight worker as data: highlight.js's
// output parses into scopes and text that say the code exactly, anything else
// is refused, and the page builds it without parsing HTML.
import hljs from 'highlight.js/lib/common';
import { describe, expect, it } from 'vitest';
import { buildHighlighted, highlightedText, parseHighlighted } from '../../src/render/highlight-tree';
import { XSS_VECTORS } from '../support/xss-vectors';

const SAMPLES: [string, string][] = [
  ['typescript', 'const greet = (name: string): string => `Hello, ${name} & <you>`;\n/* multi\n   line */\nclass A extends B { x = "q\'uote"; }\n'],
  ['python', 'def f(x):\n    """doc <b>"""\n    return x ** 2 if x > 0 else -x  # comment & more\n'],
  ['xml', '<div class="a">text &amp; <script>alert(1)</script></div>\n'],
  ['bash', 'echo "$HOME" > /tmp/x && cat <<EOF\nhi\nEOF\n'],
];

describe('highlight tree', () => {
  it('parses highlight.js output for several languages into a tree that says the code exactly, and builds the same DOM highlight.js would', () => {
    for (const [language, code] of SAMPLES) {
      const html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
      const tree = parseHighlighted(html);
      expect(tree, language).not.toBeNull();
      expect(highlightedText(tree!)).toBe(code);
      const built = document.createElement('code');
      built.append(buildHighlighted(tree!));
      const parsed = document.createElement('code');
      parsed.innerHTML = html;
      expect(built.isEqualNode(parsed), language).toBe(true);
      expect(built.querySelectorAll('span[class^="hljs-"]').length).toBeGreaterThan(0);
    }
  });

  it('also for the attack corpus, as code: the text stays text', () => {
    for (const vector of XSS_VECTORS) {
      const tree = parseHighlighted(hljs.highlight(vector, { language: 'xml', ignoreIllegals: true }).value);
      expect(highlightedText(tree!)).toBe(vector);
      const built = document.createElement('code');
      built.append(buildHighlighted(tree!));
      expect(built.querySelectorAll(':not(span)').length).toBe(0);
      expect([...built.querySelectorAll('span')].every((s) => s.getAttributeNames().join() === 'class')).toBe(true);
    }
  });

  it('refuses anything but spans with class names and escaped text', () => {
    for (const html of [
      '<img src=x onerror=alert(1)>',
      '<span class="hljs-keyword" onclick="x">a</span>',
      '<span class="a"><b>x</b></span>',
      '<span class="a">unclosed',
      'stray </span>',
      '<span class="x&quot;y">a</span>',
      'a & b',
      '&nbsp;',
    ]) {
      expect(parseHighlighted(html), html).toBeNull();
    }
    expect(parseHighlighted('')).toEqual([]);
    expect(parseHighlighted('a &lt;b&gt; &amp; &quot;c&quot; &#x27;d&#x27;')).toEqual(['a <b> & "c" \'d\'']);
  });
});
