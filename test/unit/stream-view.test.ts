// @vitest-environment jsdom
// A reply streamed into its message element, then finished: a long list's
// pieces join one list while it streams, and the finished render keeps the
// streamed elements (only what differs changes); a frame takes in a few
// lines at most, and the reply waits until the view has shown everything.
import DOMPurify from 'dompurify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderMessage } from '../../src/render/markdown';
import { GROUP_LINES } from '../../src/render/block-splitter';
import { finishStream, FRAME_BUDGET_MS, LINES_PER_FRAME, streamInto } from '../../src/render/stream-view';
import { LiveReply } from '../../src/state/live-reply';

vi.mock('../../src/render/highlight-queue', () => ({ highlightLater: () => {} }));

function html(markup: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = markup;
  return div;
}

/** Appends `text` to `live` in chunks of pseudo-random sizes (1 to `most` characters), calling `between` after each. */
function appendInChunks(live: LiveReply, text: string, seed: number, most: number, between: () => void): void {
  for (let at = 0; at < text.length; ) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (seed % most);
    live.append(text.slice(at, at + size));
    at += size;
    between();
  }
}

/** Streams `text` into `root` as a reply, in chunks (appendInChunks), a frame after each, until it is all shown; the view stopped. */
function streamWhole(root: HTMLElement, text: string, seed: number, most: number): void {
  const live = new LiveReply('c', 'm');
  const stop = streamInto(root, live);
  appendInChunks(live, text, seed, most, () => vi.advanceTimersToNextFrame());
  vi.advanceTimersByTime(300);
  stop();
}

/** A frame's cost is what its forced layout makes it: `cost()` ms each (performance.now is a clock that only layouts move). */
function framesCost(cost: () => number): void {
  let clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(() => {
    clock += cost();
    return new DOMRect();
  });
}

/** Stubs scheduler.postTask: the tasks the page asks for run when the test calls the function returned (`tasks` of them; by default until none is left, as one may ask for another). */
function ownTasks(): (tasks?: number) => void {
  const queue = new Set<() => void>();
  vi.stubGlobal('scheduler', {
    postTask(work: () => void, { signal }: { signal: AbortSignal }) {
      queue.add(work);
      signal.addEventListener('abort', () => queue.delete(work));
      return Promise.resolve();
    },
  });
  return (tasks = 100) => {
    for (let run = 0; run < tasks && queue.size > 0; run++) {
      const [work] = queue;
      queue.delete(work!);
      work!();
    }
  };
}

/** The markup each call to the sanitizer (a block's or the tail's parse, in jsdom) was given, in order. */
function sanitizedMarkup(sanitized: { mock: { calls: unknown[][] } }): string[] {
  return sanitized.mock.calls.map(([markup]) => String(markup));
}

/** A copy of a streamed reply's DOM without its groups of finished blocks or of a list's items (plain boxes that change no spacing). */
function ungrouped(root: HTMLElement): HTMLElement {
  const copy = root.cloneNode(true) as HTMLElement;
  for (const group of copy.querySelectorAll(':scope > .md-group, :scope > .md-group > :is(ul, ol) > .md-items')) group.replaceWith(...group.childNodes);
  return copy;
}

describe('stream view', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('a streamed 120-item list is one list, its items in groups of a few dozen; finished, the same DOM as the whole render once ungrouped, with the streamed items kept', () => {
    const text = `Intro line.\n\n${Array.from({ length: 120 }, (_, i) => `- item ${i} with *stress*`).join('\n')}\n\nA closing paragraph.\n\n1. one\n2. two`;
    const root = document.createElement('div');
    document.body.append(root);
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    appendInChunks(live, text, 5, 40, () => vi.advanceTimersByTime(300));
    stop();
    const lists = root.querySelectorAll('ul');
    // Finished pieces joined one list; the items still open sit in the tail.
    expect(root.querySelectorAll(':scope > .md-group > ul').length).toBe(1);
    expect([...lists].reduce((n, l) => n + l.querySelectorAll(':scope > li, :scope > .md-items > li').length, 0)).toBe(120);
    // The streamed list's first 32 items are its own children, the others sit in groups of 32.
    const groups = [...root.querySelectorAll(':scope > .md-group > ul > .md-items')];
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.slice(0, -1).map((g) => g.childElementCount)).toEqual(groups.slice(0, -1).map(() => 32));
    expect(root.querySelectorAll(':scope > .md-group > ul > li')).toHaveLength(32);
    const kept = groups[0]!.children[17]!;
    expect(kept.textContent).toBe('item 49 with stress');
    finishStream(root, renderMessage(text));
    expect(ungrouped(root).isEqualNode(html(renderMessage(text)))).toBe(true);
    // The streamed item is the one shown now, in its group: not rebuilt or moved.
    expect(kept.isConnected).toBe(true);
    expect([...root.querySelectorAll('ul li')][49]).toBe(kept);
    expect(kept.parentElement!.classList.contains('md-items')).toBe(true);
    // Once the page is idle, the groups of items are taken out, a group at a time: the list holds only
    // items (valid HTML), the same items, as the whole render has them.
    vi.advanceTimersByTime(50);
    expect(root.querySelectorAll('.md-items').length).toBeLessThan(groups.length);
    vi.advanceTimersByTime(1000);
    expect(root.querySelectorAll('.md-items')).toHaveLength(0);
    expect([...root.querySelector('ul')!.children].every((c) => c.tagName === 'LI')).toBe(true);
    expect([...root.querySelectorAll('ul li')][49]).toBe(kept);
    expect(ungrouped(root).isEqualNode(html(renderMessage(text)))).toBe(true);
    root.remove();
  });

  it('a reply that streams again into the same element before the last one is ungrouped keeps its groups while it streams', () => {
    const text = `${Array.from({ length: 120 }, (_, i) => `- item ${i}`).join('\n')}\n\nEnd.`;
    const root = document.createElement('div');
    document.body.append(root);
    streamWhole(root, text, 9, 40);
    finishStream(root, renderMessage(text));
    expect(root.querySelectorAll('.md-items').length).toBeGreaterThan(1);
    // A new version, before the page was idle (its text so far shown at once, in groups): the first
    // reply's pending ungrouping is cancelled with it.
    const live = new LiveReply('c', 'm');
    live.append(text.slice(0, -10));
    const stop = streamInto(root, live);
    const groups = root.querySelectorAll('.md-items').length;
    expect(groups).toBeGreaterThan(1);
    vi.advanceTimersByTime(2000);
    expect(root.querySelectorAll('.md-items')).toHaveLength(groups);
    live.append(text.slice(-10));
    vi.advanceTimersByTime(300);
    stop();
    finishStream(root, renderMessage(text));
    vi.advanceTimersByTime(2000);
    expect(root.querySelectorAll('.md-items')).toHaveLength(0);
    expect(ungrouped(root).isEqualNode(html(renderMessage(text)))).toBe(true);
    root.remove();
  });

  it('a long list streamed in chunks of any size shows, at every frame, the items of the text so far in order, its open items in the list itself; finished, the whole render', () => {
    const item = (i: number) =>
      i % 7 === 3 ? `- item ${i} with \`code\` and\n  a second line` : i % 11 === 5 ? `- item ${i}\n  - sub ${i}\n  - sub **${i}**` : `- item ${i}: **bold** \`s${i}\``;
    const text = `Intro.\n\n${Array.from({ length: 60 }, (_, i) => item(i)).join('\n')}\n\n1. one\n2. two\n\nEnd.`;
    const texts = (root: ParentNode) => [...root.querySelectorAll('li')].map((li) => li.textContent!.trim());
    for (const seed of [7, 42]) {
      const root = document.createElement('div');
      document.body.append(root);
      const live = new LiveReply('c', 'm');
      const stop = streamInto(root, live);
      let sent = '';
      let compared = 0;
      let openInList = 0;
      appendInChunks(live, text, seed, 24, () => {
        vi.advanceTimersToNextFrame();
        sent = live.text;
        // Caught up (a chunk is less than a line): what is shown is the text so far, its items in order.
        expect(texts(root)).toEqual(texts(html(renderMessage(sent))));
        compared++;
        if (root.querySelector('.stream-tail li') === null && root.querySelector('.md-group > ul > li') && /\n- [^\n]*$/.test(sent)) openInList++;
      });
      vi.advanceTimersByTime(300);
      stop();
      expect(compared).toBeGreaterThan(100);
      // The open items were shown in the list, not in the tail's own element.
      expect(openInList).toBeGreaterThan(50);
      finishStream(root, renderMessage(text));
      expect(ungrouped(root).isEqualNode(html(renderMessage(text)))).toBe(true);
      root.remove();
    }
  }, 60_000);

  it('a short list cut while it streams holds only items (a group of items is for long lists), streaming and finished', () => {
    const text = `Steps:\n\n${Array.from({ length: 7 }, (_, i) => `${i + 1}. step ${i}`).join('\n')}\n\nDone.`;
    const root = document.createElement('div');
    document.body.append(root);
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    appendInChunks(live, text, 3, 6, () => {
      vi.advanceTimersToNextFrame();
      for (const list of root.querySelectorAll('ol')) expect([...list.children].every((c) => c.tagName === 'LI')).toBe(true);
    });
    vi.advanceTimersByTime(300);
    stop();
    finishStream(root, renderMessage(text));
    expect(root.querySelectorAll('ol')).toHaveLength(1);
    expect([...root.querySelector('ol')!.children].map((c) => c.tagName)).toEqual(Array.from({ length: 7 }, () => 'LI'));
    root.remove();
  });

  it('a long reply of many blocks streams into groups of a few dozen; finished, the same DOM as the whole render once ungrouped, with the streamed blocks kept', () => {
    const parts = Array.from({ length: 120 }, (_, i) =>
      i % 10 === 3 ? `- point ${i}\n- and more` : i % 10 === 6 ? `\`\`\`js\nf(${i});\n\`\`\`` : i % 10 === 8 ? `${Array.from({ length: 9 }, (_, j) => `long line ${j} of ${i}`).join('\n')}` : `Paragraph ${i} with *stress*.`,
    );
    const text = parts.join('\n\n');
    const root = document.createElement('div');
    document.body.append(root);
    streamWhole(root, text, 11, 30);
    const groups = [...root.querySelectorAll(':scope > .md-group')];
    expect(groups.length).toBeGreaterThan(3);
    // A group holds a few dozen blocks (more only for the pieces of a block cut while it streamed).
    for (const group of groups) expect([...group.children].filter((c) => !c.classList.contains('cont')).length).toBeLessThanOrEqual(32);
    const kept = [...root.querySelectorAll('p')].find((p) => p.textContent === 'Paragraph 70 with stress.')!;
    expect(kept.parentElement!.classList.contains('md-group')).toBe(true);
    finishStream(root, renderMessage(text));
    expect(ungrouped(root).isEqualNode(html(renderMessage(text)))).toBe(true);
    // The streamed paragraph is the one shown now, in its group: not rebuilt or moved.
    expect(kept.isConnected).toBe(true);
    expect([...root.querySelectorAll('p')].find((p) => p.textContent === 'Paragraph 70 with stress.')).toBe(kept);
    root.remove();
  });

  it('a code block shown as it streamed stays the same element once it closes, not parsed and put in again; the finished render is the whole render', () => {
    const code = Array.from({ length: 40 }, (_, i) => `const v${i} = "<b>${i}</b>";`).join('\n');
    const text = `Intro.\n\n\`\`\`ts\n${code}\n\`\`\`\n\nAfter it.\n\n  \`\`\`js\n  indented(1);\n  \`\`\`\n\nThe end.`;
    const root = document.createElement('div');
    document.body.append(root);
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    let streamed: Element | null = null;
    for (let at = 0; at < text.length; at += 6) {
      live.append(text.slice(at, at + 6));
      vi.advanceTimersToNextFrame();
      const tail = root.querySelector('.stream-tail');
      if (tail?.classList.contains('code-block') && tail.querySelector('code.language-ts')) {
        streamed ??= tail;
        // Never the closing fence as code, while it arrives.
        expect(tail.querySelector('code')!.textContent).not.toMatch(/`$/);
      }
    }
    vi.advanceTimersByTime(300);
    expect(streamed).not.toBeNull();
    // The block that streamed is the finished one, in place, with all its code.
    expect(streamed!.isConnected).toBe(true);
    expect(streamed!.parentElement).toBe(root);
    expect(streamed!.className).toBe('code-block');
    expect(streamed!.querySelector('code')!.textContent).toBe(`${code}\n`);
    expect(root.querySelectorAll(':scope > .code-block, :scope > .md-group > .code-block')).toHaveLength(2);
    stop();
    finishStream(root, renderMessage(text));
    expect(ungrouped(root).isEqualNode(html(renderMessage(text)))).toBe(true);
    expect(root.querySelector('code.language-ts')!.closest('.code-block')).toBe(streamed);
    root.remove();
  });

  it('the blocks the next frame takes are parsed in a task of its own before it, and a code block the tail shows is never parsed', () => {
    const tasks = ownTasks();
    const sanitized = vi.spyOn(DOMPurify, 'sanitize');
    const parsed = () => sanitizedMarkup(sanitized);
    const root = document.createElement('div');
    document.body.append(root);
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    live.append('First *paragraph*.\n\nSecond');
    tasks();
    // The finished block, not the open tail (more text may come before the frame).
    expect(parsed()).toEqual([expect.stringContaining('First <em>paragraph</em>.')]);
    sanitized.mockClear();
    vi.advanceTimersToNextFrame();
    // The frame put in the block parsed before it, and parsed only the open tail.
    expect(parsed()).toEqual([expect.stringContaining('Second')]);
    expect(root.querySelector('.md-group em')!.textContent).toBe('paragraph');
    live.append(' one.\n\n```js\nlet a = 1;\n');
    vi.advanceTimersToNextFrame();
    const code = root.querySelector('.stream-tail.code-block');
    expect(code).not.toBeNull();
    live.append('```\n\nAfter.');
    sanitized.mockClear();
    tasks();
    vi.advanceTimersToNextFrame();
    // The code block stays as the tail showed it; only the new tail was parsed.
    expect(parsed()).toEqual([expect.stringContaining('After.')]);
    expect(code!.isConnected && !code!.classList.contains('stream-tail')).toBe(true);
    stop();
    finishStream(root, renderMessage(live.text));
    expect(ungrouped(root).isEqualNode(html(renderMessage(live.text)))).toBe(true);
    root.remove();
  });

  it('text that only changes the open tail, split in a task of its own, is shown at the next frame, and the reply does not wait for it', async () => {
    const tasks = ownTasks();
    const root = document.createElement('div');
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    for (const word of ['Hello', ' there', ' world.']) {
      live.append(word);
      tasks();
      vi.advanceTimersToNextFrame();
    }
    expect(root.querySelector('.stream-tail')!.textContent!.trim()).toBe('Hello there world.');
    let caughtUp = false;
    void live.caughtUp().then(() => (caughtUp = true));
    await Promise.resolve();
    expect(caughtUp).toBe(true);
    stop();
  });

  it('only a chunk that ends a line asks for a task before the frame (a block ends only at the end of a line)', () => {
    ownTasks();
    const post = vi.spyOn((globalThis as unknown as { scheduler: { postTask: () => Promise<void> } }).scheduler, 'postTask');
    const root = document.createElement('div');
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    live.append('Some words');
    live.append(' and more');
    expect(post).not.toHaveBeenCalled();
    live.append(' done.\n');
    expect(post).toHaveBeenCalledTimes(1);
    stop();
  });

  it('a task parses one block, and only the blocks the next frame takes are parsed ahead', () => {
    const tasks = ownTasks();
    const sanitized = vi.spyOn(DOMPurify, 'sanitize');
    const root = document.createElement('div');
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    // Pieces of GROUP_LINES items each, more than a frame takes.
    live.append(`${Array.from({ length: 4 * LINES_PER_FRAME }, (_, i) => `- item ${i}`).join('\n')}\n- open`);
    const parses: number[] = [];
    for (let task = 0; task < LINES_PER_FRAME; task++) {
      sanitized.mockClear();
      tasks(1);
      parses.push(sanitized.mock.calls.length);
    }
    const ahead = LINES_PER_FRAME / GROUP_LINES;
    expect(parses).toEqual(Array.from({ length: LINES_PER_FRAME }, (_, i) => (i < ahead ? 1 : 0)));
    sanitized.mockClear();
    vi.advanceTimersToNextFrame();
    expect(sanitized).not.toHaveBeenCalled();
    expect(root.querySelectorAll('li')).toHaveLength(LINES_PER_FRAME);
    stop();
  });

  it('with no task run before its frames, a frame parses one block, and the blocks after it wait for the next frame', () => {
    ownTasks();
    const sanitized = vi.spyOn(DOMPurify, 'sanitize');
    const root = document.createElement('div');
    document.body.append(root);
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    live.append('A **bold** start.\n\n- one\n- two\n\nEnd');
    const parsed: string[][] = [];
    for (let frame = 0; frame < 3; frame++) {
      sanitized.mockClear();
      vi.advanceTimersToNextFrame();
      parsed.push(sanitizedMarkup(sanitized));
    }
    // The first frame parses the first block; the second, the list and the open tail after it.
    expect(parsed).toEqual([[expect.stringContaining('<strong>bold</strong>')], [expect.stringContaining('<li>one</li>'), expect.stringContaining('End')], []]);
    expect(root.querySelector('.md-group strong')!.textContent).toBe('bold');
    expect(root.querySelectorAll('.md-group li')).toHaveLength(2);
    expect(root.querySelector('.stream-tail')!.textContent!.trim()).toBe('End');
    stop();
    root.remove();
  });

  it('text faster than the page: each frame shows a few more lines, the open tail waits for them, and caughtUp resolves once all is shown', async () => {
    const items = Array.from({ length: 40 }, (_, i) => `- item ${i}`).join('\n');
    const root = document.createElement('div');
    document.body.append(root);
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    let caughtUp = false;
    live.append(`${items}\n- still open`);
    void live.caughtUp().then(() => (caughtUp = true));
    const shown = () => root.querySelectorAll(':scope > .md-group > ul > li, :scope > .md-group > ul > .md-items > li').length;
    const open = () => root.textContent!.includes('still open');
    const counts: number[] = [];
    for (let frame = 0; frame < 40 && !open(); frame++) {
      vi.advanceTimersToNextFrame();
      await Promise.resolve();
      // Until the last finished line is shown, the tail (after it) stays empty and the reply waits.
      if (!open()) {
        counts.push(shown());
        expect(caughtUp).toBe(false);
      }
    }
    // One frame after another, at most LINES_PER_FRAME more items each.
    expect(counts.length).toBeGreaterThanOrEqual(40 / LINES_PER_FRAME - 2);
    for (let i = 1; i < counts.length; i++) expect(counts[i]! - counts[i - 1]!).toBeLessThanOrEqual(LINES_PER_FRAME);
    await Promise.resolve();
    expect(caughtUp).toBe(true);
    // The tail's items (the ones not finished yet) are shown in the list, after its finished ones: one list of every item.
    expect(root.querySelectorAll('ul')).toHaveLength(1);
    expect(shown()).toBe(41);
    expect([...root.querySelectorAll('li')].at(-1)!.textContent).toBe('still open');
    expect(root.querySelector('.stream-tail')!.querySelector('li')).toBeNull();
    stop();
    root.remove();
  });

  it('frames over their time budget make the next ones take fewer lines, down to one piece; short frames bring it back up', () => {
    let cost = 3 * FRAME_BUDGET_MS;
    framesCost(() => cost);
    const tasks = ownTasks();
    const root = document.createElement('div');
    document.body.append(root);
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    live.append(`${Array.from({ length: 200 }, (_, i) => `- item ${i}`).join('\n')}\n- open`);
    const shown = () => root.querySelectorAll('li').length;
    const steps: number[] = [];
    const frame = () => {
      const before = shown();
      // Tasks of their own run between frames (the blocks a frame takes are parsed then).
      tasks();
      vi.advanceTimersToNextFrame();
      steps.push(shown() - before);
    };
    for (let i = 0; i < 10; i++) frame();
    // The first frame took LINES_PER_FRAME lines; slow ones brought it down to one piece a frame.
    expect(steps[0]).toBe(LINES_PER_FRAME);
    expect(steps.slice(-4)).toEqual([GROUP_LINES, GROUP_LINES, GROUP_LINES, GROUP_LINES]);
    cost = FRAME_BUDGET_MS / 4;
    steps.length = 0;
    for (let i = 0; i < 10; i++) frame();
    expect(steps.slice(-4)).toEqual([LINES_PER_FRAME, LINES_PER_FRAME, LINES_PER_FRAME, LINES_PER_FRAME]);
    stop();
    root.remove();
  });

  it('a frame over its time budget that took all there was (the view kept up) also makes the next ones take fewer lines', () => {
    framesCost(() => 3 * FRAME_BUDGET_MS);
    const root = document.createElement('div');
    document.body.append(root);
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    const finished = () => root.querySelectorAll('.md-group li').length;
    const steps: number[] = [];
    let next = 0;
    for (let i = 0; i < 12; i++) {
      // Each frame, LINES_PER_FRAME more lines: as many as a frame may take.
      live.append(Array.from({ length: LINES_PER_FRAME }, () => `- item ${next++}\n`).join(''));
      const before = finished();
      vi.advanceTimersToNextFrame();
      steps.push(finished() - before);
    }
    // Slow frames brought it down to one piece a frame, though every frame had taken all there was.
    expect(steps.slice(-4)).toEqual([GROUP_LINES, GROUP_LINES, GROUP_LINES, GROUP_LINES]);
    stop();
    root.remove();
  });

  it('a hidden tab gets no frames: the text is still taken in, all of it, four times a second', async () => {
    vi.spyOn(window, 'requestAnimationFrame').mockImplementation(() => 1);
    const root = document.createElement('div');
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    live.append(`${Array.from({ length: 40 }, (_, i) => `- item ${i}`).join('\n')}\n\nDone.`);
    const caughtUp = live.caughtUp();
    vi.advanceTimersByTime(260);
    await caughtUp;
    expect(root.querySelectorAll('li')).toHaveLength(40);
    expect(root.textContent).toContain('Done.');
    stop();
  });

  it('a view that stops (the chat closed) does not keep the reply waiting', async () => {
    const root = document.createElement('div');
    const live = new LiveReply('c', 'm');
    const stop = streamInto(root, live);
    live.append(Array.from({ length: 40 }, (_, i) => `- item ${i}`).join('\n'));
    const caughtUp = live.caughtUp();
    stop();
    await caughtUp;
  });
});
