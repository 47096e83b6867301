// @vitest-environment jsdom
// The reply renderer: markdown features, and untrusted output made harmless.
import { describe, expect, it } from 'vitest';
import { BlockSplitter } from '../../src/render/block-splitter';
import { renderMarkdown, StreamingMarkdown } from '../../src/render/markdown';
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
    const root = dom(renderMarkdown('Some **bold** text.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst x = 1;\n```\n', false));
    expect(root.querySelector('strong')?.textContent).toBe('bold');
    expect(root.querySelectorAll('li')).toHaveLength(2);
    expect(root.querySelectorAll('td')).toHaveLength(2);
    expect(root.querySelector('.code-block .code-lang')?.textContent).toBe('ts');
    expect(root.querySelector('.code-block button.copy-code')).not.toBeNull();
    expect(root.querySelector('.code-block code')?.textContent).toBe('const x = 1;');
  });

  it('links to https open safely; images become links and never load', () => {
    const root = dom(renderMarkdown('[site](https://example.org) and ![chart](https://example.org/c.png)', false));
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

  it('raw HTML is shown as text, not parsed', () => {
    const root = dom(renderMarkdown('<b>bold?</b>'));
    expect(root.querySelector('b')).toBeNull();
    expect(root.textContent).toContain('<b>bold?</b>');
  });
});

describe('streaming', () => {
  it('splits finished blocks at blank lines outside code fences', () => {
    const s = new BlockSplitter();
    expect(s.push('para one\n\npara ')).toEqual(['para one']);
    expect(s.push('two\n\n```js\nlet a;\n\nlet b;\n')).toEqual(['para two']);
    expect(s.inCode).toBe(true);
    expect(s.push('```\nafter')).toEqual(['```js\nlet a;\n\nlet b;\n```']);
    expect(s.tail).toBe('after');
    expect(s.flush()).toEqual(['after']);
  });

  it('streamed output, chunk by chunk, ends identical to rendering the whole text, and stays harmless', () => {
    const text = `${XSS_VECTORS.join('\n\n')}\n\nDone **now**.`;
    const md = new StreamingMarkdown();
    const blocks: string[] = [];
    for (let i = 0; i < text.length; i += 7) {
      const update = md.push(text.slice(i, i + 7));
      blocks.push(...update.blocks);
      assertHarmless(dom(update.tail));
    }
    blocks.push(...md.finish());
    const streamed = dom(blocks.join(''));
    assertHarmless(streamed);
    expect(streamed.textContent!.replace(/\s+/g, ' ')).toContain('Done now.');
  });
});
