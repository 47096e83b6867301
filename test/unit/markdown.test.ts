// @vitest-environment jsdom
// The reply renderer: markdown features, and untrusted output made harmless.
import DOMPurify from 'dompurify';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { BlockSplitter, GROUP_LINES } from '../../src/render/block-splitter';
import { plainAppend, renderMarkdown, renderMessage, renderMessageInSlices, StreamingMarkdown, type StreamTail } from '../../src/render/markdown';
import { TailView } from '../../src/render/tail-view';
import { XSS_VECTORS } from '../support/xss-vectors';

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

const FORBIDDEN = 'script, iframe, object, embed, img, svg, math, style, link, meta, base, form, video, audio, source, template, noscript, marquee, details';

function assertHarmless(root: HTMLElement): void {
  expect(root.querySelectorAll(FORBIDDEN).length).toBe(0);
  for (const el of root.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      expect(attr.startsWith('on'), `${el.tagName} has ${attr}`).toBe(false);
      expect(attr).not.toBe('style');
      expect(attr).not.toBe('srcset');
    }
  }
  for (const a of root.querySelectorAll('a')) {
    const href = a.getAttribute('href');
    if (href !== null) expect(href).toMatch(/^(https:|mailto:)/i);
    expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  }
}

describe('renderMarkdown', () => {
  it('renders prose, lists, tables and code blocks with a copy button', () => {
    const root = dom(renderMarkdown('Some **bold** text.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst x = 1;\n```\n'));
    expect(root.querySelector('strong')?.textContent).toBe('bold');
    expect(root.querySelectorAll('li')).toHaveLength(2);
    expect(root.querySelectorAll('td')).toHaveLength(2);
    expect(root.querySelector('.code-block .code-lang')?.textContent).toBe('ts');
    expect(root.querySelector('.code-block button.copy-code')).not.toBeNull();
    expect(root.querySelector('.code-block code')?.textContent).toBe('const x = 1;');
  });

  it('links to https open safely; images become links and never load', () => {
    const root = dom(renderMarkdown('[site](https://example.org) and ![chart](https://example.org/c.png)'));
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.org', 'https://example.org/c.png']);
    expect(links.every((a) => a.getAttribute('target') === '_blank' && a.getAttribute('rel') === 'noopener noreferrer nofollow')).toBe(true);
    expect(root.querySelector('img')).toBeNull();
    expect(links[1]!.textContent).toContain('chart');
  });

  it.each(XSS_VECTORS.map((v, i) => [i + 1, v]))('vector %i is rendered harmless: %s', (_, vector) => {
    assertHarmless(dom(renderMarkdown(vector)));
  });

  it(`has a corpus of at least 30 vectors (${XSS_VECTORS.length})`, () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(30);
  });

  it('keeps the attributes that carry meaning: an ordered list’s first number, table alignment, task checkboxes, the copy button’s label', () => {
    const root = dom(renderMarkdown('17. seventeen\n18. eighteen\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n```js\nlet a;\n```'));
    expect(root.querySelector('ol')!.getAttribute('start')).toBe('17');
    expect(root.querySelector('th')!.getAttribute('align')).toBe('center');
    expect(root.querySelectorAll('input[type=checkbox][disabled]')).toHaveLength(2);
    expect(root.querySelector('input[checked]')).not.toBeNull();
    expect(root.querySelector('button.copy-code')!.getAttribute('aria-label')).toBe('Copy code');
  });

  it('raw HTML is shown as text, not parsed', () => {
    const root = dom(renderMarkdown('<b>bold?</b>'));
    expect(root.querySelector('b')).toBeNull();
    expect(root.textContent).toContain('<b>bold?</b>');
  });
});

/** A fragment's HTML. */
function html(fragment: DocumentFragment): string {
  const div = document.createElement('div');
  div.append(fragment.cloneNode(true));
  return div.innerHTML;
}

/** What a view shows for the tail (an open code block as its escaped text). */
const tailHtml = (tail: StreamTail) => (tail.kind === 'html' ? html(tail.nodes) : `<pre><code>${tail.text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)}</code></pre>`);

/** Streams `text` in chunks of `size`; returns the finished blocks' HTML and the longest tail seen (in lines). */
function stream(text: string, size: number) {
  const md = new StreamingMarkdown();
  const blocks: string[] = [];
  let longestTail = 0;
  for (let i = 0; i < text.length; i += size) {
    const update = md.push(text.slice(i, i + size));
    blocks.push(...update.blocks.map((b) => html(b.nodes)));
    const tail = tailHtml(update.tail);
    if (update.tail.kind === 'html') longestTail = Math.max(longestTail, (tail.match(/<li/g) ?? []).length, (dom(tail).textContent!.match(/\n/g) ?? []).length);
  }
  blocks.push(...md.finish().map((b) => html(b.nodes)));
  return { html: blocks.join(''), longestTail };
}
const words = (html: string) => dom(html).textContent!.replace(/\s+/g, ' ').trim();

describe('streaming', () => {
  it('a 500-item list, a 300-line paragraph and a 400-line code block keep a short open tail, and say the same words as the whole text', { timeout: 60_000 }, () => {
    const list = Array.from({ length: 500 }, (_, i) => `${i % 2 ? '-' : '-'} item **${i}** with \`code\``).join('\n');
    const numbered = Array.from({ length: 60 }, (_, i) => `${i + 1}. step ${i + 1}`).join('\n');
    const paragraph = Array.from({ length: 300 }, (_, i) => `line ${i} of a long paragraph that goes on`).join('\n');
    const code = ['```ts', ...Array.from({ length: 400 }, (_, i) => `const v${i} = ${i}; // <b>`), '```'].join('\n');
    const text = [list, numbered, paragraph, code, 'The end.'].join('\n\n');
    const { html, longestTail } = stream(text, 37);
    // Bounded by the group size (plus markup newlines), not by the 500 items or 300 lines.
    expect(longestTail).toBeLessThanOrEqual(GROUP_LINES + 4);
    expect(words(html)).toBe(words(renderMarkdown(text)));
    // The cut list is still 500 items; the numbered one keeps its numbers.
    expect(dom(html).querySelectorAll('ul > li')).toHaveLength(500);
    const ol = [...dom(html).querySelectorAll('ol')];
    expect(ol.length).toBeGreaterThan(1);
    expect(ol.slice(1).every((o) => Number(o.getAttribute('start')) > 1)).toBe(true);
  });

  it('never cuts where the meaning would change: tables, setext headings, item continuations', () => {
    const table = ['| a | b |', '|---|---|', ...Array.from({ length: 40 }, (_, i) => `| ${i} | x |`)].join('\n');
    const s = new BlockSplitter();
    expect(s.push(`${table}\n`)).toEqual([]);
    const items = Array.from({ length: 30 }, (_, i) => `- item ${i}\n    continued ${i}`).join('\n');
    const cut = new BlockSplitter().push(`${items}\n`);
    // Cut only before an item, never between an item and its indented continuation.
    for (const block of cut) expect(block.text.startsWith('- item')).toBe(true);
    // Nor before a nested item (indented under its parent): it would become an item of the list itself.
    const nested = Array.from({ length: 30 }, (_, i) => `- item ${i}\n  - sub ${i}\n   - deeper ${i}`).join('\n');
    const nestedCut = new BlockSplitter().push(`${nested}\n`);
    expect(nestedCut.length).toBeGreaterThan(3);
    for (const block of nestedCut) expect(block.text.startsWith('- item')).toBe(true);
    const indented = new BlockSplitter().push(`${Array.from({ length: 12 }, (_, i) => ` - item ${i}`).join('\n')}\n`);
    expect(indented.length).toBeGreaterThan(1);
    const setext = [...Array.from({ length: 20 }, (_, i) => `text ${i}`), '==='].join('\n');
    const headingSplit = new BlockSplitter();
    const blocks = [...headingSplit.push(`${setext}\n`), ...headingSplit.flush()];
    expect(blocks.at(-1)!.text.split('\n').length).toBeGreaterThan(1);
  });

  it('the pieces of a cut list say so (cut, continued), so the view can join them; a blank line ends the run', () => {
    const s = new BlockSplitter();
    const items = Array.from({ length: 3 * GROUP_LINES + 1 }, (_, i) => `- item ${i}`).join('\n');
    const pieces = [...s.push(`${items}\n`)];
    expect(pieces.map((b) => [b.cut, b.continued])).toEqual([
      [true, false],
      [true, true],
      [true, true],
    ]);
    expect(s.tailContinues).toBe(true);
    const after = s.push('\nNext paragraph\n\n');
    expect(after.map((b) => [b.text.split('\n').length, b.cut, b.continued])).toEqual([
      [1, false, true],
      [1, false, false],
    ]);
    expect(s.tailContinues).toBe(false);
    // Through the renderer: the open tail of a cut list is marked as continuing it.
    const md = new StreamingMarkdown();
    const { blocks, tail } = md.push(`${items}\n- item`);
    expect(blocks.every((b) => b.cut)).toBe(true);
    expect(tail.kind === 'html' && tail.continued).toBe(true);
  });

  it('finished blocks wait unparsed until taken: a take holds at most the lines asked for (one block always), the tail only once nothing waits', () => {
    const items = Array.from({ length: 10 * GROUP_LINES }, (_, i) => `- item ${i}`).join('\n');
    const text = `Intro\n\n${items}\n\n\`\`\`js\n${Array.from({ length: 30 }, (_, i) => `f(${i});`).join('\n')}\n\`\`\`\n\nThe end, still open`;
    const md = new StreamingMarkdown();
    md.write(text);
    expect(md.behind).toBe(true);
    const taken: string[] = [];
    let takes = 0;
    for (;;) {
      const { blocks, tail } = md.take(GROUP_LINES);
      takes++;
      expect(blocks.length).toBeGreaterThan(0);
      // A piece of the list is GROUP_LINES items: never two in one take.
      expect(dom(blocks.map((b) => html(b.nodes)).join('')).querySelectorAll('li').length).toBeLessThanOrEqual(GROUP_LINES);
      taken.push(blocks.map((b) => html(b.nodes)).join(''));
      if (tail) {
        expect(md.behind).toBe(false);
        expect(tail.kind === 'html' && dom(html(tail.nodes)).textContent!.trim()).toBe('The end, still open');
        break;
      }
      expect(md.behind).toBe(true);
    }
    // The intro, ten pieces of the list, the 32-line code block (one block, taken alone).
    expect(takes).toBe(12);
    expect(dom(taken.join('')).querySelectorAll('li')).toHaveLength(10 * GROUP_LINES);
    expect(dom(taken.join('')).querySelector('code')!.textContent).toContain('f(29);');
    // Taking everything at once gives the same blocks.
    const whole = new StreamingMarkdown().push(text);
    expect(whole.blocks.map((b) => html(b.nodes)).join('')).toBe(taken.join(''));
    expect(md.take().blocks).toEqual([]);
    // A larger take holds more blocks: two pieces of the list in 2 × GROUP_LINES lines.
    const wide = new StreamingMarkdown();
    wide.write(`${items}\n\nAfter`);
    expect(dom(html(wide.take(2 * GROUP_LINES).blocks[1]!.nodes)).querySelectorAll('li')).toHaveLength(GROUP_LINES);
  });

  it('an open code block is reported as its text so far, which only grows', () => {
    const md = new StreamingMarkdown();
    md.push('Intro\n\n```py\n');
    let last = '';
    for (const piece of ['print(1)', '\nprint(2)\n', 'x = "<b>"']) {
      const { tail } = md.push(piece);
      expect(tail.kind).toBe('code');
      if (tail.kind !== 'code') return;
      expect(tail.lang).toBe('py');
      expect(tail.text.startsWith(last)).toBe(true);
      last = tail.text;
    }
    expect(last).toBe('print(1)\nprint(2)\nx = "<b>"');
    expect(html(md.push('\n```\n').blocks[0]!.nodes)).toContain('language-py');
  });

  it('splits finished blocks at blank lines outside code fences', () => {
    const s = new BlockSplitter();
    const texts = (blocks: { text: string }[]) => blocks.map((b) => b.text);
    expect(texts(s.push('para one\n\npara '))).toEqual(['para one']);
    expect(texts(s.push('two\n\n```js\nlet a;\n\nlet b;\n'))).toEqual(['para two']);
    expect(s.inCode).toBe(true);
    expect(texts(s.push('```\nafter'))).toEqual(['```js\nlet a;\n\nlet b;\n```']);
    expect(s.tail).toBe('after');
    expect(texts(s.flush())).toEqual(['after']);
  });

  it('a finished message rendered in slices is the same HTML as rendered whole (reference links, loose lists, code, vectors), and is then served from the cache', async () => {
    const text = [
      'Intro with a [reference link][docs] and **bold**.',
      '- loose item one\n\n- loose item two',
      '```js\nconst a = "<b>";\n```',
      '| a | b |\n|---|---|\n| 1 | 2 |',
      ...XSS_VECTORS,
      '[docs]: https://example.com/docs',
    ].join('\n\n');
    let slices = 0;
    await renderMessageInSlices(text, async () => void slices++);
    expect(slices).toBeGreaterThan(0);
    const whole = renderMarkdown(text);
    // The same DOM (a text-only piece may keep `&quot;` where the whole serializes `"`).
    expect(dom(renderMessage(text)).isEqualNode(dom(whole))).toBe(true);
    expect(dom(whole).querySelector('a[href="https://example.com/docs"]')).not.toBeNull();
    assertHarmless(dom(renderMessage(text)));
  });

  it('a long list is rendered in groups of items, with the same DOM as rendered whole: bullets, ordered from 3, loose, nested, tasks, vectors in items', async () => {
    const lists = [
      Array.from({ length: 130 }, (_, i) => `- item ${i} with *emphasis* and [a link](https://example.org/${i})`).join('\n'),
      Array.from({ length: 60 }, (_, i) => `${i + 3}. step ${i}`).join('\n'),
      Array.from({ length: 40 }, (_, i) => `- loose ${i}`).join('\n\n'),
      Array.from({ length: 30 }, (_, i) => `- parent ${i}\n  - child ${i}\n  - [ ] task ${i}`).join('\n'),
      XSS_VECTORS.map((v) => `- ${v.replace(/\n/g, ' ')}`).join('\n'),
    ];
    for (const text of lists) {
      const sanitize = vi.spyOn(DOMPurify, 'sanitize');
      let slices = 0;
      await renderMessageInSlices(text, async () => void slices++);
      expect(sanitize.mock.calls.length, text.slice(0, 20)).toBeGreaterThan(2);
      sanitize.mockClear();
      const shown = renderMessage(text);
      // Served from the cache: nothing sanitized again.
      expect(sanitize).not.toHaveBeenCalled();
      sanitize.mockRestore();
      expect(dom(shown).isEqualNode(dom(renderMarkdown(text))), text.slice(0, 20)).toBe(true);
      assertHarmless(dom(shown));
    }
  });

  it('streamed output, chunk by chunk, ends identical to rendering the whole text, and stays harmless', () => {
    const text = `${XSS_VECTORS.join('\n\n')}\n\nDone **now**.`;
    const md = new StreamingMarkdown();
    const blocks: string[] = [];
    for (let i = 0; i < text.length; i += 7) {
      const update = md.push(text.slice(i, i + 7));
      blocks.push(...update.blocks.map((b) => html(b.nodes)));
      assertHarmless(dom(tailHtml(update.tail)));
    }
    blocks.push(...md.finish().map((b) => html(b.nodes)));
    const streamed = dom(blocks.join(''));
    assertHarmless(streamed);
    expect(streamed.textContent!.replace(/\s+/g, ' ')).toContain('Done now.');
  });
});

describe('plain text appended to the tail', () => {
  /** The tail of `md` after `chunk`, and whether its nodes were read (the view rendered it, not appended to it). */
  function shown(view: TailView, md: StreamingMarkdown, chunk: string): boolean {
    const { blocks, tail } = md.push(chunk);
    expect(blocks).toEqual([]);
    let parsed = false;
    const watched = Object.create(tail, { nodes: { get: () => ((parsed = true), (tail as { nodes: DocumentFragment }).nodes) } }) as StreamTail;
    view.show(watched);
    return parsed;
  }
  // What the page shows: the space before a block's closing tag is not.
  const visible = (root: HTMLElement) => root.innerHTML.replace(/\s+(<\/(?:p|li|td|th|h[1-6]|blockquote)>)/g, '$1').replace(/\s+/g, ' ');

  it('is what rendering the whole tail shows, for any tail and any plain text (property), and most plain words take it', { timeout: 120_000 }, () => {
    const piece = fc.constantFrom(
      'word', 'Hello', 'été', '日本', '12', '1', '.', ':', ',', '**b**', '**open', '*em*', '*open', '_u_', '__x__', 'snake_case', '`c`', '`open',
      '[l](https://e.com)', '[open', '](x', 'www.ex', 'https://x.com', 'a@b.co', '&amp;', '&', '\\*', '<span>', '</b>', '|', '~~s~~', '~', '#', '!', '![i](https://e.com/i.png)', '  ', '=', '-', '---',
      '[a]:', '[^1]', '<', '<div>', '</p>', 'http', '://', 'e.com', '1986', '$', '^', '{', '"', "'", '(', ')', '%',
    );
    const line = fc.tuple(fc.constantFrom('', '- ', '* ', '1. ', '12) ', '> ', '# ', '### ', '    ', '  ', '| ', '- [ ] ', '> - '), fc.array(fc.tuple(piece, fc.constantFrom('', ' ')), { minLength: 1, maxLength: 6 }))
      .map(([marker, parts]) => marker + parts.map(([p, sep]) => p + sep).join(''));
    const tail = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
    const plain = fc.array(fc.constantFrom('a', 'Z', 'é', 'ß', '7', ' ', ',', '.', ';', ':', '?', "'", '"', '%'), { minLength: 1, maxLength: 6 }).map((c) => c.join(''));
    let appended = 0;
    fc.assert(
      fc.property(tail, fc.array(plain, { minLength: 1, maxLength: 4 }), (before, words) => {
        const md = new StreamingMarkdown();
        const root = document.createElement('div');
        const view = new TailView(root);
        md.push(before);
        view.show(md.take().tail!);
        let text = before;
        for (const word of words) {
          text += word;
          if (!shown(view, md, word)) appended++;
          const whole = document.createElement('div');
          new TailView(whole).show(new StreamingMarkdown().push(text).tail);
          expect(visible(root)).toBe(visible(whole));
        }
      }),
      { numRuns: Number(process.env.PLAIN_RUNS ?? 600) },
    );
    if (process.env.PLAIN_RUNS) console.log('appended', appended);
    expect(appended).toBeGreaterThan(200);
  });

  it('is offered only for text no syntax can use, at the end of a line that already has a letter, not in what may be a link', () => {
    expect(plainAppend('Here is', 'Here is a list')).toBe(' a list');
    expect(plainAppend('- item 12', '- item 12: done.')).toBe(': done.');
    expect(plainAppend('Here is', 'Here is **b')).toBeNull();
    expect(plainAppend('Here is', 'Here is\nmore')).toBeNull();
    // "1" may become an ordered list's marker, spaces an indented code block, "www.x" a link.
    expect(plainAppend('Intro\n1', 'Intro\n1.')).toBeNull();
    expect(plainAppend('- 1', '- 1. x')).toBeNull();
    expect(plainAppend('   ', '    code')).toBeNull();
    expect(plainAppend('see www', 'see www.example.com')).toBeNull();
    // A link's or code's text is not appended to (its href, its code would not follow).
    const md = new StreamingMarkdown();
    const root = document.createElement('div');
    const view = new TailView(root);
    view.show(md.push('Use `code').tail);
    expect(shown(view, md, ' more')).toBe(false);
    expect(shown(view, md, '` then')).toBe(true);
    expect(shown(view, md, ' text')).toBe(false);
    expect(root.textContent!.trim()).toBe('Use code more then text');
  });

  it('shows what the whole tail renders in the cases the property found: an autolink taking in the text after it, an HTML block turning into a paragraph', () => {
    for (const chunks of [['https://x.com', "'", 'a'], ['see www', '.example', '.com'], ['<span>', 'a'], ['[a]', ':', ' b'], ['1', '.', ' first']]) {
      const md = new StreamingMarkdown();
      const root = document.createElement('div');
      const view = new TailView(root);
      for (const chunk of chunks) view.show(md.push(chunk).tail);
      const whole = document.createElement('div');
      new TailView(whole).show(new StreamingMarkdown().push(chunks.join('')).tail);
      expect(visible(root), chunks.join('')).toBe(visible(whole));
    }
  });
});
