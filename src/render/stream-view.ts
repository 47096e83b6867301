// A reply in progress, written straight into its message's markdown element:
// finished blocks are appended once, only the open tail (the last element)
// changes, and an open code block only has text appended (once it closes, it
// stays as shown: TailView.adopt). Text that arrives
// between two frames is taken in once per animation frame, so a fast engine
// costs the page one update per frame, not one per token, and a frame takes
// in a few finished lines at most (LINES_PER_FRAME), parsed in a task of
// their own before it (prepare); a plain word at the tail's end is appended to
// the text shown (TailView). The pieces of a
// long list join the list before them, so that when the reply ends the
// finished render finds the same elements and the browser lays out only what
// differs (finishStream). Finished blocks, and a long list's items, sit in
// groups of a few dozen (GROUP_SIZE), so that a change at the reply's end
// lays out the last group and the row of groups, not every block (or item)
// of a long reply again; a list's groups are taken out once the reply is
// finished, while the page is idle (ungroupWhenIdle). The open items of a long
// list are shown in the list itself (ListTail), where they stay once their
// piece is finished.
import morphdom from 'morphdom';
import { inTask, whenIdle } from '../idle';
import { highlightLater } from './highlight-queue';
import { StreamingMarkdown, type StreamBlock } from './markdown';
import { TAIL_CLASS, TailView } from './tail-view';
import type { LiveReply } from '../state/live-reply';

const HIDDEN_TAB_MS = 250;
const LISTS = new Set(['UL', 'OL']);
/**
 * Elements a group holds: finished blocks at the top level, or a long list's
 * items in the list (appendItems). The browser lays out a
 * box's children again when one of them changes: with every block at the top
 * level, each frame of a long mixed reply got slower as it grew (p50 1.2 ms in
 * its first third, 1.3–1.6 ms in its last, 4,000 tokens; docs/benchmarks.md).
 * A group is a plain div (styles.css: it changes no spacing).
 */
const GROUP_SIZE = 32;
const GROUP_CLASS = 'md-group';
/** A group of a long list's items, in the list while it streams (appendItems; taken out once finished: ungroupWhenIdle). */
const ITEMS_CLASS = 'md-items';
const ITEMS_SELECTOR = `:scope > .${GROUP_CLASS} > :is(ul, ol) > .${ITEMS_CLASS}`;
/** The pending ungrouping of a finished reply's lists, by the reply's element (its cancel). */
const ungrouping = new WeakMap<HTMLElement, () => void>();
/** The longest a finished reply's groups of items wait for an idle moment, each. */
const UNGROUP_TIMEOUT_MS = 1000;
/**
 * Finished lines a frame takes in, at most (one block always: a long list or
 * paragraph is cut in blocks of a few lines). Laying out a line costs about
 * 0.1–0.5 ms here, so a frame that took in everything from an engine far
 * faster than any reader (thousands of tokens a second) lasted 4–7 ms; such
 * an engine's text is shown at this rate and the view catches up after.
 * 4 lines a frame is 240 a second at 60 Hz, far above what a model writes in
 * a browser (tens of tokens, a few lines, a second): then nothing waits.
 */
export const LINES_PER_FRAME = 4;
/**
 * The time a frame's update may take, its layout included. A machine slower
 * than that at LINES_PER_FRAME (2 × AMD EPYC here: 2.0–2.4 ms a frame for 4 of
 * a list's lines) takes fewer lines a frame, down to one block, and more
 * again once frames are short: the page keeps its frames for input and
 * scrolling, and the text still comes faster than anyone reads (what a frame
 * leaves waits for the next one).
 */
export const FRAME_BUDGET_MS = 2;

/** The lines the next frame may take, after one that took some and cost `spent` ms. */
function nextLinesPerFrame(lines: number, spent: number): number {
  if (spent > FRAME_BUDGET_MS) return Math.max(1, lines - 1);
  if (spent < FRAME_BUDGET_MS / 2) return Math.min(LINES_PER_FRAME, lines + 1);
  return lines;
}

/** Streams `live` (after its prefix) into `root`, emptied first; returns the function that stops it (the DOM stays). */
export function streamInto(root: HTMLElement, live: LiveReply): () => void {
  // A reply streams here again (a new version): the last one's groups are gone with it.
  ungrouping.get(root)?.();
  ungrouping.delete(root);
  root.textContent = '';
  const first = root.appendChild(document.createElement('div'));
  first.className = TAIL_CLASS;
  const markdown = new StreamingMarkdown();
  const view = new TailView(first);
  /** The list the open tail continues, whose open items it shows (null: none). */
  let listTail: ListTail | null = null;
  let pending = '';
  /** Text came in since the view last showed it (prepare may have split it already). */
  let unshown = false;
  let linesPerFrame = LINES_PER_FRAME;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let preparing: (() => void) | null = null;
  /** A block a frame need not parse: parsed already, or a code block the tail shows, which stays as it is (adopt). */
  const cheap = (block: StreamBlock) => block.parsed || (block.code !== null && view.shows(block.code));
  /**
   * In a task of its own before the next frame (idle.ts: inTask): the text that came in is
   * split, and the blocks that frame takes are parsed and sanitized (about a third of a frame that
   * takes in a block here), so the frame only puts them in and lays them out. A frame parses one
   * block at most (its first, when no such task came before it): the others wait for the next frame.
   */
  const prepare = () => {
    preparing = null;
    const t0 = performance.now();
    markdown.write(pending);
    pending = '';
    // One block a task (a block of 2 lines takes 0.2-0.5 ms here), so input never waits long.
    const next = markdown.upcoming(linesPerFrame).filter((block) => !cheap(block));
    if (next.length === 0) return;
    void next[0]!.nodes;
    if (next.length > 1) preparing = inTask(prepare);
    // For bench:render.
    if (import.meta.env.MODE === 'e2e') performance.measure('render-prepare', { start: t0 });
  };
  const schedule = () => {
    if (frame) return;
    // Until that frame, the view has text it has not shown (the reply waits for it: LiveReply.caughtUp).
    live.setBehind(view, true);
    frame = requestAnimationFrame(() => apply(linesPerFrame));
    // A hidden tab gets no frames: it still takes the text in (all of it), four times a second.
    timer = setTimeout(apply, HIDDEN_TAB_MS);
  };
  const apply = (maxLines = Infinity) => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    preparing?.();
    preparing = null;
    frame = 0;
    timer = undefined;
    if (!unshown && !markdown.behind) return;
    unshown = false;
    const t0 = performance.now();
    markdown.write(pending);
    pending = '';
    // After its first block, a frame takes only blocks it need not parse: at most one parse a frame
    // (a hidden tab's update takes everything).
    const update = markdown.take(maxLines, maxLines === Infinity ? undefined : cheap);
    // For bench:render: the blocks this frame parses.
    const parses = import.meta.env.MODE === 'e2e' ? update.blocks.filter((block) => !cheap(block)).length : 0;
    for (const block of update.blocks) {
      // A code block the tail showed as it streamed stays as it is shown: it is not parsed and laid out again.
      if (block.code && view.adopt(block.code)) continue;
      // Only the blocks just added are looked at (the reply so far can be thousands of elements).
      for (const added of appendBlock(groupFor(view.element, block), block, listTail)) highlightLater(added);
    }
    if (update.blocks.length > 0) listTail = ListTail.after(view.element, update.blocks.at(-1)!, listTail);
    // Behind: the tail comes after blocks not shown yet, so it waits for them (empty until then; a
    // long list's open items stay, as the next pieces take them).
    if (update.tail) view.show(update.tail, listTail);
    else view.show({ kind: 'html', nodes: document.createDocumentFragment(), continued: false }, null);
    // In a frame, the layout now, as the frame would do it after this callback: the update's whole
    // cost. (A hidden tab's update is left to lay out when the tab is shown.)
    const framed = maxLines !== Infinity;
    if (framed || import.meta.env.MODE === 'e2e') void view.element.getBoundingClientRect();
    const spent = performance.now() - t0;
    // A frame that took in lines tells how many the next may: one that took all there was too (4
    // lines of a paragraph took 2.3-4.6 ms in a tenth of such frames here, with the view keeping up).
    if (framed && update.blocks.length > 0) linesPerFrame = nextLinesPerFrame(linesPerFrame, spent);
    if (markdown.behind) {
      preparing = inTask(prepare);
      schedule();
    } else live.setBehind(view, false);
    // For bench:render.
    if (import.meta.env.MODE === 'e2e') performance.measure('render-frame', { start: t0, end: t0 + spent, detail: { blocks: update.blocks.length, parses } });
  };
  const receive = (delta: string) => {
    pending += delta;
    unshown = true;
    // Only the end of a line can finish a block (block-splitter.ts): a chunk without one has nothing to parse ahead.
    if (delta.includes('\n')) preparing ??= inTask(prepare);
    schedule();
  };
  pending = live.prefix + live.text;
  unshown = true;
  apply();
  const unsubscribe = live.subscribe(receive);
  return () => {
    unsubscribe();
    live.setBehind(view, false);
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    preparing?.();
  };
}

/** The group a finished block goes in: the one before the tail, or a new one when that is full (a cut block stays with the block it continues). */
function groupFor(tail: Element, block: StreamBlock): Element {
  const before = tail.previousElementSibling;
  if (before?.classList.contains(GROUP_CLASS) && (block.continued || before.childElementCount < GROUP_SIZE)) return before;
  const group = document.createElement('div');
  group.className = GROUP_CLASS;
  tail.before(group);
  return group;
}

/**
 * Appends a finished block to its group; returns the elements it added. A
 * long list (cut in pieces while it streams) keeps its items in groups of
 * their own inside it, and a piece that continues it joins it (its items
 * appended, as the finished render has them); other continuing pieces (a
 * long paragraph's) join without a gap (styles.css).
 */
function appendBlock(group: Element, block: StreamBlock, listTail: ListTail | null): Element[] {
  const first = block.nodes.firstElementChild;
  const before = group.lastElementChild;
  let added: Element[] = [];
  let list: Element | null = null;
  const joins = first !== null && LISTS.has(first.tagName) && block.continued && first.tagName === before?.tagName;
  // The piece's items are the open items the list shows (ListTail): they take its render where they stand.
  if (joins && listTail?.list === before && block.nodes.childElementCount === 1) {
    before.classList.toggle('cut', block.cut);
    return listTail.finish([...first.children]);
  }
  listTail?.show([]);
  if (first && LISTS.has(first.tagName) && (block.cut || block.continued)) {
    list = joins ? before! : first;
    const items = [...first.childNodes];
    if (joins) {
      first.remove();
      list.classList.remove('cut');
    } else {
      first.replaceChildren();
      if (block.continued) first.classList.add('cont');
    }
    const appended = appendItems(list, items);
    if (joins) added = appended;
  } else if (block.continued) first?.classList.add('cont');
  added.push(...block.nodes.children);
  if (block.cut) (block.nodes.lastElementChild ?? list)?.classList.add('cut');
  group.append(block.nodes);
  return added;
}

/**
 * Appends a list's items (with the line breaks between them) to the list
 * while it holds fewer than GROUP_SIZE, then to its last group of items, or
 * to a new one once that holds GROUP_SIZE: Blink lays out
 * a list's children again when one is added, so appending to one 500-item
 * list laid out 500 items a time (2.2 ms p50 in a traced frame; a group
 * holds a box's children to a few dozen). A group is a plain div in the list:
 * the items' markers, numbers, spacing and accessibility tree in Chromium are
 * as without it (test/e2e/chat-ux.test.ts); it is not valid HTML, so it lasts
 * only while the reply streams (ungroupWhenIdle).
 */
function appendItems(list: Element, nodes: Node[]): Element[] {
  const items: Element[] = [];
  let into = list.lastElementChild?.classList.contains(ITEMS_CLASS) ? list.lastElementChild : null;
  for (const node of nodes) {
    if (node instanceof Element) {
      // A list's first GROUP_SIZE items are its own children: a short list holds only items (a div in
      // a list is not valid HTML, and axe's "list" rule flags it); only a long one has groups.
      if (into ? into.childElementCount >= GROUP_SIZE : list.childElementCount >= GROUP_SIZE) {
        into = list.appendChild(document.createElement('div'));
        into.className = ITEMS_CLASS;
      }
      items.push(node);
    }
    (into ?? list).append(node);
  }
  return items;
}

/**
 * The open items of a long list, shown in the list itself, after its
 * finished items, not in the tail's own element: when the piece they belong
 * to is finished, its render is morphed onto them where they stand (nothing
 * changes when the tail showed them as they are), so a frame that takes in a
 * piece of the list lays out what changed, not its items again (moving or
 * putting in two items laid them out anew: 1.0–1.2 ms here, against 0.5 ms
 * for a changed word). The tail's render decides what they show (TailView).
 */
class ListTail {
  /** The open items, at the list's end, in order. */
  items: Element[] = [];

  private constructor(readonly list: Element) {}

  /** The list tail after `last`, the last block taken: its list, when it is a long list's piece that the tail continues. */
  static after(tail: Element, last: StreamBlock, current: ListTail | null): ListTail | null {
    const end = tail.previousElementSibling?.lastElementChild;
    const list = last.cut && end && LISTS.has(end.tagName) ? end : null;
    if (current?.list === list) return current;
    current?.show([]);
    return list ? new ListTail(list) : null;
  }

  /** Shows `next` (the tail's items): each morphed onto the open item at its place, the others added or taken out. */
  show(next: Element[]): void {
    const kept = Math.min(next.length, this.items.length);
    for (let i = 0; i < kept; i++) morphdom(this.items[i]!, next[i]!);
    for (const item of this.items.slice(kept)) removeItem(item);
    this.items = [...this.items.slice(0, kept), ...this.append(next.slice(kept))];
  }

  /** The next piece of the list is finished with `done` (its items): the open items take them, in order; returns the items it holds. */
  finish(done: Element[]): Element[] {
    const taken = Math.min(done.length, this.items.length);
    for (let i = 0; i < taken; i++) morphdom(this.items[i]!, done[i]!);
    const finished = [...this.items.slice(0, taken), ...this.append(done.slice(taken))];
    this.items = this.items.slice(taken);
    return finished;
  }

  /** Adds items at the list's end, each with the line break after it (as the render has them). */
  private append(items: Element[]): Element[] {
    if (items.length > 0) appendItems(this.list, items.flatMap((item) => [item, document.createTextNode('\n')]));
    return items;
  }
}

/** Takes out an open item with the line break after it, and its group of items if that is left empty. */
function removeItem(item: Element): void {
  const group = item.parentElement;
  if (item.nextSibling?.nodeType === Node.TEXT_NODE) item.nextSibling.remove();
  item.remove();
  if (group?.classList.contains(ITEMS_CLASS) && group.childElementCount === 0) group.remove();
}

/**
 * Turns a streamed reply's DOM into its finished render (`html`, sanitized)
 * by changing only what differs: the elements the stream already showed keep
 * their layout (a 500-item list put in whole costs 25–40 ms of layout here;
 * morphed, about what changed). Code the highlight worker already did stays.
 */
export function finishStream(root: HTMLElement, html: string): void {
  const next = document.createElement('div');
  next.innerHTML = html;
  // The later pieces of a block cut while it streamed (a long paragraph's) are part of the first
  // one in the finished render: taken out first, so that each element after them meets its own.
  for (const piece of root.querySelectorAll(`:scope > .${GROUP_CLASS} > .cont`)) {
    if (piece.nextSibling?.nodeType === Node.TEXT_NODE) piece.nextSibling.remove();
    piece.remove();
  }
  if (root.querySelector(`:scope > .${GROUP_CLASS}`)) grouped(next, root, GROUP_CLASS);
  morphdom(root, next, {
    childrenOnly: true,
    onBeforeElUpdated: (from, to) => !(from.tagName === 'CODE' && 'highlighted' in (from as HTMLElement).dataset && from.className === to.className && from.textContent === to.textContent),
  });
  if (root.querySelector(ITEMS_SELECTOR)) ungroupWhenIdle(root);
}

/**
 * Takes a finished reply's long lists out of their groups of items (they
 * serve the streaming only: appendItems), a group at a time while the page
 * is idle, so that a list holds only items, as a reply rendered whole does:
 * a div in a list is not valid HTML, axe's "list" rule flags it, and a
 * browser other than Chromium may not read the items as the list's. Moving
 * a group's items lays them out again: 23–38 ms for a 500-item list's 15
 * groups at once here, about 2 ms a group, so one group an idle moment.
 */
function ungroupWhenIdle(root: HTMLElement): void {
  const work = () => {
    const group = root.isConnected ? root.querySelector(ITEMS_SELECTOR) : null;
    if (!group) return void ungrouping.delete(root);
    const t0 = performance.now();
    group.replaceWith(...group.childNodes);
    // Its layout now, in this idle moment, not in the next frame's.
    void root.getBoundingClientRect();
    // For bench:render.
    if (import.meta.env.MODE === 'e2e') performance.measure('ungroup', { start: t0 });
    ungrouping.set(root, whenIdle(work, UNGROUP_TIMEOUT_MS));
  };
  ungrouping.set(root, whenIdle(work, UNGROUP_TIMEOUT_MS));
}

/**
 * Puts the finished render's elements (`next`'s children) in groups as the
 * stream showed them (`shown`'s), so that each group is compared with the
 * group that showed the same blocks: each streamed element is one finished
 * element (finishStream took out the pieces that continued one), and a long
 * list's items are grouped as its streamed items were. The rest (what the
 * open tail showed) goes in a group of its own after them.
 */
function grouped(next: Element, shown: Element, groupClass: string): void {
  // Each finished element with the text nodes (line breaks) after it, as the stream's blocks have them.
  const leading: Node[] = [];
  const finished: Node[][] = [];
  for (const node of [...next.childNodes]) {
    if (node.nodeType === Node.ELEMENT_NODE) finished.push([node]);
    else (finished.at(-1) ?? leading).push(node);
  }
  next.replaceChildren(...leading);
  let at = 0;
  const take = (into: Element, as: Element) => {
    const [element, ...after] = finished[at++]! as [Element, ...Node[]];
    into.append(element, ...after);
    if (as.tagName === element.tagName && as.querySelector(`:scope > .${ITEMS_CLASS}`)) grouped(element, as, ITEMS_CLASS);
  };
  const group = () => {
    const div = next.appendChild(document.createElement('div'));
    div.className = groupClass;
    return div;
  };
  for (const element of shown.children) {
    if (at >= finished.length) break;
    if (element.classList.contains(groupClass)) {
      const into = group();
      for (const child of element.children) if (at < finished.length) take(into, child);
    } else if (!element.classList.contains(TAIL_CLASS)) {
      // A code block the stream showed in place (TailView.adopt): at the top level, where it stands.
      take(next, element);
    }
  }
  if (at < finished.length) group().append(...finished.slice(at).flat());
}
