// @vitest-environment jsdom
// A reply streamed into its message element, then finished: a long list's
// pieces join one list while it streams, and the finished render keeps the
// streamed elements (only what differs changes).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderMessage } from '../../src/render/markdown';
import { finishStream, streamInto } from '../../src/render/stream-view';
import { LiveReply } from '../../src/state/live-reply';

vi.mock('../../src/render/highlight-queue', () => ({ highlightLater: () => {} }));

function html(markup: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = markup;
  return div;
}

describe('stream view', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a streamed 120-item list is one list; finished, the same DOM as the whole render, with the streamed items kept', () => {
    const text = `Intro line.\n\n${Array.from({ length: 120 }, (_, i) => `- item ${i} with *stress*`).join('\n')}\n\nA closing paragraph.\n\n1. one\n2. two`;
    const root = document.createElement('div');
    document.body.append(root);
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    let seed = 5;
    for (let at = 0; at < text.length; ) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const size = 1 + (seed % 40);
      live.append(text.slice(at, at + size));
      at += size;
      vi.advanceTimersByTime(300);
    }
    stop();
    const lists = root.querySelectorAll('ul');
    // Finished pieces joined one list; the items still open sit in the tail.
    expect(root.querySelectorAll(':scope > ul').length).toBe(1);
    expect([...lists].reduce((n, l) => n + l.querySelectorAll(':scope > li').length, 0)).toBe(120);
    const kept = root.querySelector(':scope > ul > li:nth-child(50)')!;
    finishStream(root, renderMessage(text));
    expect(root.isEqualNode(html(renderMessage(text)))).toBe(true);
    // The streamed item is the one shown now: not rebuilt.
    expect(kept.isConnected).toBe(true);
    expect(root.querySelector('ul > li:nth-child(50)')).toBe(kept);
    root.remove();
  });
});
