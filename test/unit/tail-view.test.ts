// @vitest-environment jsdom
// The streaming reply's open tail in the DOM: an open code block grows in
// pieces of a few lines, and always says exactly the text so far.
import { describe, expect, it } from 'vitest';
import { StreamingMarkdown } from '../../src/render/markdown';
import { CODE_PIECE_LINES, TailView } from '../../src/render/tail-view';

describe('TailView', () => {
  it('an open code block, fed in chunks of any size, holds the text so far in pieces of at most CODE_PIECE_LINES lines', () => {
    const root = document.createElement('div');
    const view = new TailView(root);
    const code = Array.from({ length: 70 }, (_, i) => `  const line${i} = ${'x'.repeat(i % 9)};`).join('\n');
    let seed = 3;
    let text = '';
    for (let at = 0; at < code.length; ) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const size = 1 + (seed % 90);
      text = code.slice(0, (at += size));
      view.show({ kind: 'code', lang: 'ts', text });
      expect(root.querySelector('code')!.textContent).toBe(text);
      const pieces = [...root.querySelectorAll('code .code-piece')].map((p) => p.textContent!);
      // Every piece but the last is full: exactly CODE_PIECE_LINES lines, each ended by its newline.
      for (const piece of pieces.slice(0, -1)) expect(piece.split('\n').length - 1).toBe(CODE_PIECE_LINES);
      expect(pieces.at(-1)!.split('\n').length - 1).toBeLessThanOrEqual(CODE_PIECE_LINES);
    }
    expect(root.querySelectorAll('code .code-piece').length).toBe(Math.ceil(70 / CODE_PIECE_LINES));
    expect(root.querySelector('pre')).not.toBeNull();
    // Another block (or text that did not grow) starts a fresh shell.
    view.show({ kind: 'code', lang: 'py', text: 'print(1)\n' });
    expect(root.querySelector('code')!.textContent).toBe('print(1)\n');
    expect(root.querySelectorAll('code .code-piece').length).toBe(1);
  });

  it('the tail of a streamed code block says what the finished block says', () => {
    const reply = '```js\n' + Array.from({ length: 40 }, (_, i) => `console.log(${i});`).join('\n') + '\n';
    const markdown = new StreamingMarkdown();
    const root = document.createElement('div');
    const view = new TailView(root);
    for (let at = 0; at < reply.length; at += 7) view.show(markdown.push(reply.slice(at, at + 7)).tail);
    expect(root.querySelector('code')!.textContent).toBe(reply.slice('```js\n'.length));
  });
});
