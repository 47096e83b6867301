// Stop strings, enforced on the text as it streams. WebLLM 0.2.86 finds a
// stop string in its decoded output and cuts it there, but the part of the
// string that reached the stream in an earlier token is never taken back
// (stop "\n\n" arriving as "\n" + "\n" leaves a "\n"; "###" can leave "##").
// The guard holds back any tail that could be the start of a stop string
// until the next text decides, so no part of a stop string is ever sent.

export class StopGuard {
  private text = '';
  private sent = 0;
  private cut = -1;

  constructor(private readonly stops: readonly string[]) {}

  /** True once a stop string has appeared: the rest of the generation is discarded. */
  get stopped(): boolean {
    return this.cut >= 0;
  }

  /** Takes the engine's next delta; returns the text that is safe to send now. */
  push(delta: string): string {
    if (this.cut >= 0 || this.stops.length === 0) return this.cut >= 0 ? '' : delta;
    this.text += delta;
    // A stop string can only start within the unsent tail (or just before it).
    const from = Math.max(0, this.sent - Math.max(...this.stops.map((s) => s.length)));
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.text.indexOf(stop, from);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.cut = cut;
      return this.take(cut);
    }
    return this.take(this.text.length - this.heldLength());
  }

  /**
   * The end of the generation. A held tail that is the start of a stop string
   * is dropped when the engine says it stopped (its own stop-string match);
   * otherwise it was text after all.
   */
  finish(finishReason: string | null): string {
    if (this.cut >= 0 || this.stops.length === 0) return '';
    if (finishReason === 'stop' && this.heldLength() > 0) return '';
    return this.take(this.text.length);
  }

  /** Length of the longest tail of the text that is a proper prefix of a stop string. */
  private heldLength(): number {
    let held = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, this.text.length); k > held; k--) {
        if (this.text.endsWith(stop.slice(0, k))) {
          held = k;
          break;
        }
      }
    }
    return held;
  }

  private take(until: number): string {
    const safe = Math.max(this.sent, until);
    const out = this.text.slice(this.sent, safe);
    this.sent = safe;
    return out;
  }
}
