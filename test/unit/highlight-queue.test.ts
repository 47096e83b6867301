// @vitest-environment jsdom
// The page's side of highlighting: code blocks are sent to the highlight
// worker (here over a real MessageChannel, with comlink on both ends) and
// their answers built into the page; nothing of an answered call is kept, and
// a worker that fails leaves code plain without holding the queue.
import * as Comlink from 'comlink';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { HighlightNode } from '../../src/render/highlight-tree';

const channel = vi.hoisted(() => ({ current: null as unknown }));
vi.mock('../../src/render/spawn-highlight-worker', () => ({ spawnHighlightWorker: () => channel.current }));
/** Every tree the page built, held weakly: a kept answer stays reachable after garbage collection. */
const built = vi.hoisted(() => [] as WeakRef<object>[]);
vi.mock('../../src/render/highlight-tree', async (original) => {
  const real = await original<typeof import('../../src/render/highlight-tree')>();
  return { ...real, buildHighlighted: (tree: HighlightNode[]) => (built.push(new WeakRef(tree)), real.buildHighlighted(tree)) };
});

let port: MessagePort;
/** The worker's error events (a Worker's "error"); its messages go over the channel. */
let errors: EventTarget;
let answering = true;
beforeEach(() => {
  vi.resetModules();
  const { port1, port2 } = new MessageChannel();
  // The worker's side: one scope around the whole code, which says the code exactly.
  Comlink.expose({ highlight: (code: string) => (answering ? [{ classes: 'hljs-keyword', children: [code] }] : new Promise(() => {})) }, port1 as unknown as Comlink.Endpoint);
  port = port2;
  errors = new EventTarget();
  channel.current = {
    postMessage: (message: unknown, transfer: Transferable[]) => port2.postMessage(message, transfer as never),
    addEventListener: (type: string, listener: never) => (type === 'error' ? errors : port2).addEventListener(type, listener),
    removeEventListener: (type: string, listener: never) => (type === 'error' ? errors : port2).removeEventListener(type, listener),
  };
  answering = true;
  built.length = 0;
  document.body.replaceChildren();
});
afterEach(() => port.close());

function codeBlocks(count: number, from = 0): HTMLElement {
  const root = document.body.appendChild(document.createElement('div'));
  root.innerHTML = Array.from({ length: count }, (_, i) => `<pre><code class="language-js">const n${from + i} = ${from + i};</code></pre>`).join('');
  return root;
}
const highlighted = (root: Element) => [...root.querySelectorAll('code')].filter((c) => c.querySelector('.hljs-keyword'));

it('highlights each queued block, newest first, and keeps none of the answers once built', async () => {
  const { highlightLater } = await import('../../src/render/highlight-queue');
  const root = codeBlocks(50);
  highlightLater(root);
  await vi.waitFor(() => expect(highlighted(root)).toHaveLength(50));
  expect(highlighted(root)[49]!.textContent).toBe('const n49 = 49;');
  expect(built).toHaveLength(50);
  // A WeakRef's target stays alive until the job that made it ends: collect after it.
  await new Promise((resolve) => setTimeout(resolve, 0));
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  // A Promise.race with the page-long "worker failed" promise left each answer in that promise's handlers.
  expect(built.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
});

it('a worker that fails leaves the block in flight and the later ones plain, and the queue goes on', async () => {
  const { highlightLater } = await import('../../src/render/highlight-queue');
  answering = false;
  const first = codeBlocks(1);
  highlightLater(first);
  await vi.waitFor(() => expect(first.querySelector('code')!.dataset.highlighted).toBe(''));
  errors.dispatchEvent(new Event('error'));
  const later = codeBlocks(3, 1);
  highlightLater(later);
  await vi.waitFor(() => expect([...later.querySelectorAll('code')].every((c) => 'highlighted' in c.dataset)).toBe(true));
  expect(highlighted(first)).toHaveLength(0);
  expect(highlighted(later)).toHaveLength(0);
  expect(later.querySelector('code')!.textContent).toBe('const n1 = 1;');
});
