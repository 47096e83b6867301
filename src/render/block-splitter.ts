// Splits streamed markdown into finished blocks and an open tail, in one pass
// over each new chunk. A block is finished at a blank line outside a fenced
// code block; finished blocks are parsed once, only the tail is re-rendered,
// so the work per chunk does not grow with the length of the reply.
//
// A model can also write one very long block: a list of hundreds of items or
// a paragraph of hundreds of lines with no blank line. Such a block is cut
// into pieces of GROUP_LINES lines where markdown allows it without changing
// what the lines mean (before a new top-level list item; between two plain
// paragraph lines that do not make a setext heading), so the open tail stays
// short. Each piece says whether it was cut and whether it continues a cut
// one, so the view can join a cut list's lists (or a paragraph's
// paragraphs) without a gap while streaming; the finished message is
// rendered from its whole text.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/**
 * Lines a long list or paragraph may grow to before it is cut at the next safe place: the open
 * tail holds a few lines, so a frame that parses it again is short (the list at 100 tokens/s, p50
 * 1.1–1.3 ms a frame against 1.4–1.5 with 4 lines, in a probe on 2 × AMD EPYC).
 */
export const GROUP_LINES = 2;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)/;
// Lines that start something other than paragraph text (or turn the lines above into a heading).
const NOT_PARAGRAPH = /^(?: {0,3}(?:#{1,6}(?:\s|$)|>|\||[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)|<|(?:[-*_]\s*){3,}$|=+\s*$|-+\s*$)| {4}|\t)/;

/** Whether a long block that began with `first` may be cut just before `line`. */
function canCutBefore(first: string, line: string): boolean {
  // Before an item of the list itself, not before a nested one (indented further than the first item).
  if (LIST_ITEM.test(first)) return LIST_ITEM.test(line) && indent(line) <= indent(first);
  return !NOT_PARAGRAPH.test(first) && !NOT_PARAGRAPH.test(line) && line.trim() !== '';
}

function indent(line: string): number {
  return line.length - line.trimStart().length;
}

export interface Block {
  /** Markdown source. */
  text: string;
  /** Cut where markdown allowed it, not ended: the next block continues it. */
  cut: boolean;
  /** Continues a block that was cut. */
  continued: boolean;
}

export class BlockSplitter {
  /** Lines of the block being built (complete lines only). */
  private lines: string[] = [];
  /** The last, still incomplete line. */
  private partial = '';
  private fence: string | null = null;
  /** The block being built continues one that was cut. */
  private continuing = false;

  private end(done: Block[], cut: boolean): void {
    done.push({ text: this.lines.join('\n'), cut, continued: this.continuing });
    this.lines = [];
    this.continuing = cut;
  }

  /** Feeds a chunk; returns the blocks it finished. */
  push(chunk: string): Block[] {
    const done: Block[] = [];
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop()!;
    for (const line of parts) {
      const marker = FENCE.exec(line)?.[1];
      if (this.fence === null && marker) {
        this.fence = marker[0]!.repeat(marker.length);
      } else if (this.fence !== null && marker && marker[0] === this.fence[0] && marker.length >= this.fence.length && line.trim() === marker) {
        this.fence = null;
        this.lines.push(line);
        // A closed code block is a block of its own.
        this.end(done, false);
        continue;
      }
      if (this.fence === null && line.trim() === '') {
        if (this.lines.length > 0) this.end(done, false);
        this.continuing = false;
        continue;
      }
      if (this.fence === null && !marker && this.lines.length >= GROUP_LINES && canCutBefore(this.lines[0]!, line)) this.end(done, true);
      this.lines.push(line);
    }
    return done;
  }

  /** The open block: what is not finished yet. */
  get tail(): string {
    return this.lines.length === 0 ? this.partial : `${this.lines.join('\n')}\n${this.partial}`;
  }

  /** The open block continues one that was cut. */
  get tailContinues(): boolean {
    return this.continuing;
  }

  /** True while the tail is inside a fenced code block. */
  get inCode(): boolean {
    return this.fence !== null;
  }

  /** Ends the stream: whatever is open becomes the last block. */
  flush(): Block[] {
    const block = { text: this.tail, cut: false, continued: this.continuing };
    this.lines = [];
    this.partial = '';
    this.fence = null;
    this.continuing = false;
    return block.text.trim() === '' ? [] : [block];
  }
}
