// Splits streamed markdown into finished blocks and an open tail, in one pass
// over each new chunk. A block is finished at a blank line outside a fenced
// code block; finished blocks are parsed once, only the tail is re-rendered,
// so the work per chunk does not grow with the length of the reply.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export class BlockSplitter {
  /** Lines of the block being built (complete lines only). */
  private lines: string[] = [];
  /** The last, still incomplete line. */
  private partial = '';
  private fence: string | null = null;

  /** Feeds a chunk; returns the blocks it finished (as markdown source). */
  push(chunk: string): string[] {
    const done: string[] = [];
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
        done.push(this.lines.join('\n'));
        this.lines = [];
        continue;
      }
      if (this.fence === null && line.trim() === '') {
        if (this.lines.length > 0) done.push(this.lines.join('\n'));
        this.lines = [];
        continue;
      }
      this.lines.push(line);
    }
    return done;
  }

  /** The open block: what is not finished yet. */
  get tail(): string {
    return this.lines.length === 0 ? this.partial : `${this.lines.join('\n')}\n${this.partial}`;
  }

  /** True while the tail is inside a fenced code block. */
  get inCode(): boolean {
    return this.fence !== null;
  }

  /** Ends the stream: whatever is open becomes the last block. */
  flush(): string[] {
    const tail = this.tail;
    this.lines = [];
    this.partial = '';
    this.fence = null;
    return tail.trim() === '' ? [] : [tail];
  }
}
