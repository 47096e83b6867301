// The open tail of a streaming reply, in the DOM: the part after the last
// finished block, which changes on every frame. Kept to what changed, so a
// frame costs the browser the style and layout of a few lines.
import morphdom from 'morphdom';
import { codeBlockShell, type StreamTail } from './markdown';

/**
 * An open code block's text goes in pieces of this many lines (display: block while streaming):
 * a frame's new text changes the last piece only, so the browser lays out a few lines, not the
 * whole block as it grows (one text node was re-laid out whole on each append).
 */
export const CODE_PIECE_LINES = 16;

/** The open tail's DOM: updated where it changed for markdown, appended to while a code block is open. */
export class TailView {
  private code: { lang: string; box: HTMLElement; piece: Text; lines: number; length: number } | null = null;

  constructor(private readonly root: HTMLElement) {}

  show(tail: StreamTail): void {
    if (tail.kind === 'html') {
      this.code = null;
      if (tail.continued) tail.nodes.firstElementChild?.classList.add('cont');
      // Only what changed is replaced (usually the last item or line): the rest of the tail keeps its
      // nodes, so the browser styles and lays out only the change.
      const next = document.createElement('div');
      next.append(tail.nodes);
      morphdom(this.root, next, { childrenOnly: true });
      return;
    }
    if (!this.code || this.code.lang !== tail.lang || tail.text.length < this.code.length) {
      this.root.innerHTML = codeBlockShell(tail.lang);
      const box = this.root.querySelector('code')!;
      this.code = { lang: tail.lang, box, piece: codePiece(box), lines: 0, length: 0 };
    }
    const code = this.code;
    const text = tail.text;
    for (let from = code.length; from < text.length; ) {
      if (code.lines === CODE_PIECE_LINES) {
        code.piece = codePiece(code.box);
        code.lines = 0;
      }
      let to = from;
      while (code.lines < CODE_PIECE_LINES && to < text.length) {
        const newline = text.indexOf('\n', to);
        if (newline < 0) to = text.length;
        else {
          to = newline + 1;
          code.lines++;
        }
      }
      code.piece.appendData(text.slice(from, to));
      from = to;
    }
    code.length = text.length;
  }
}

function codePiece(box: HTMLElement): Text {
  const piece = document.createElement('span');
  piece.className = 'code-piece';
  const text = document.createTextNode('');
  piece.append(text);
  box.append(piece);
  return text;
}
