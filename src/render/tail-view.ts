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

/** A long list's open items, which the list shows after its finished ones (stream-view.ts: ListTail). */
export interface OpenItems {
  readonly list: Element;
  readonly items: readonly Element[];
  /** Shows these items (the tail's first list's) as the open ones. */
  show(next: Element[]): void;
}

/** The open tail's DOM: updated where it changed for markdown, appended to while a code block is open. */
export class TailView {
  private code: { lang: string; box: HTMLElement; piece: Text; lines: number; text: string } | null = null;

  constructor(private root: HTMLElement) {}

  /** The tail's element (a new one after `adopt`). */
  get element(): HTMLElement {
    return this.root;
  }

  /**
   * Shows the tail; `open`: the long list it may continue, which shows the items of the tail's first
   * list in itself (null: leave that list's open items as they are).
   */
  show(tail: StreamTail, open: OpenItems | null = null): void {
    if (tail.kind === 'html') {
      // Most tokens of prose are plain words: appended to the text shown, with no parse, sanitize or diff.
      // The tail's end is its last open item when its own element shows nothing.
      const end = this.root.firstElementChild || !open?.items.length ? this.root : open.items.at(-1)!;
      if (!this.code && tail.appended && appendPlain(end, tail.appended)) return;
      if (this.code) this.root.className = TAIL_CLASS;
      this.code = null;
      const next = document.createElement('div');
      next.append(tail.nodes);
      const first = next.firstElementChild;
      if (open && tail.continued && first?.tagName === open.list.tagName) {
        open.show([...first.children]);
        first.remove();
      } else {
        open?.show([]);
        if (tail.continued) first?.classList.add('cont');
      }
      // Only what changed is replaced (usually the last item or line): the rest of the tail keeps its
      // nodes, so the browser styles and lays out only the change.
      morphdom(this.root, next, { childrenOnly: true });
      return;
    }
    open?.show([]);
    if (!this.code || this.code.lang !== tail.lang || !tail.text.startsWith(this.code.text)) {
      // The tail's element is the code block itself (its div), so that once the block closes it can
      // stay where it is, as the finished block (adopt).
      this.root.innerHTML = codeBlockShell(tail.lang);
      const shell = this.root.firstElementChild!;
      this.root.className = `${TAIL_CLASS} ${shell.className}`;
      this.root.replaceChildren(...shell.childNodes);
      const box = this.root.querySelector('code')!;
      this.code = { lang: tail.lang, box, piece: codePiece(box), lines: 0, text: '' };
    }
    this.append(tail.text);
  }

  /**
   * A code block closed: when it is the one this view shows (the same fence, the code shown so far
   * its start), the view's element becomes the finished block where it stands, with the rest of its
   * code, and the view goes on in a new element after it. Nothing is parsed or laid out again.
   * Returns whether it did.
   */
  adopt(code: { lang: string; text: string }): boolean {
    if (!this.shows(code)) return false;
    this.append(code.text);
    const done = this.root;
    done.classList.remove(TAIL_CLASS);
    this.root = document.createElement('div');
    this.root.className = TAIL_CLASS;
    done.after(this.root);
    this.code = null;
    return true;
  }

  /** Whether this view shows the start of that code block as it streamed: it would adopt it. */
  shows(code: { lang: string; text: string }): boolean {
    return this.code !== null && this.code.lang === code.lang && code.text.startsWith(this.code.text);
  }

  /** Appends what `text` has beyond the code shown, in pieces of CODE_PIECE_LINES lines. */
  private append(text: string): void {
    const code = this.code!;
    for (let from = code.text.length; from < text.length; ) {
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
    code.text = text;
  }
}

export const TAIL_CLASS = 'stream-tail';

/**
 * Appends plain text (markdown.ts: plainAppend) to the last text node shown, when that node shows
 * the end of the markdown it was rendered from as it is (not a link's or code's text, no markup
 * consumed after it). Returns false, changing nothing, when it does not: the tail is then rendered.
 */
function appendPlain(root: Element, { text, before }: { text: string; before: string }): boolean {
  const last = lastText(root);
  if (!last || last.parentElement!.closest('a, code, pre') || !before.endsWith(last.data)) return false;
  last.appendData(text);
  return true;
}

/** The last text node with more than spaces in it, in the last element at each level (null: the end is not text). */
function lastText(node: Node): Text | null {
  for (let child = node.lastChild; child; child = child.previousSibling) {
    if (child.nodeType === Node.ELEMENT_NODE) return lastText(child);
    if (child.nodeType === Node.TEXT_NODE && (child as Text).data.trim() !== '') return child as Text;
  }
  return null;
}

function codePiece(box: HTMLElement): Text {
  const piece = document.createElement('span');
  piece.className = 'code-piece';
  const text = document.createTextNode('');
  piece.append(text);
  box.append(piece);
  return text;
}
