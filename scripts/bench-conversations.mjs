// `npm run bench:conversations`: long conversations in the real UI. The
// production build in headless Chromium with an on-disk profile; four
// conversations (20, 200 and 200 messages, and 10,000) of realistic markdown
// replies (paragraphs, lists, a code block in every third reply) are written
// into the app's own IndexedDB record format, then the page is reloaded so
// they come through the app's read path. Measured in the page, medians of
// RUNS repetitions:
// - switching from one conversation to another, click to the next frame painted;
// - one keystroke in the message box (input event to the DOM updated, layout included);
// - one keystroke in the conversation search with 10,000 messages stored;
// - scrolling up through the 10,000-message conversation: frame intervals and long tasks;
// - long tasks over 50 ms during start-up with a 200-message chat of code replies on screen
//   (highlight.js arriving).
// Targets: switch ≤ 100 ms, keystroke ≤ 4 ms at any length, 10,000 messages open in ≤ 300 ms
// and scroll without long tasks, search ≤ 50 ms per keystroke, no highlighting task over 50 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, percentile, writeSection, servedProductionBuild } from './bench-lib.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const { chromium } = await import('playwright-core');
const { server, url } = await servedProductionBuild();
const profile = mkdtempSync(join(tmpdir(), 'bench-conversations-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'],
});
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(url);
await page.waitForSelector('#prompt');

// Deterministic realistic content (a small PRNG, so every run sees the same text).
function conversation(id, title, count, updatedAt) {
  let seed = count * 7919 + title.length;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const words = 'the model runs in your browser on the GPU and keeps every conversation on this machine so nothing you type leaves it while weights are cached for next time with quantized shards streaming from storage into memory'.split(' ');
  const sentence = (n) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' ');
  const messages = [];
  for (let i = 0; i < count; i++) {
    const user = i % 2 === 0;
    let content;
    if (user) content = `${sentence(8 + Math.floor(rand() * 20))}?`;
    else {
      content = `${sentence(40)}.\n\n- ${sentence(8)}\n- **${sentence(4)}** ${sentence(6)}\n- \`${words[i % words.length]}\` ${sentence(5)}\n\n${sentence(30)}.`;
      if (i % 6 === 1) content += `\n\n\`\`\`ts\nexport function step${i}(input: number[]): number {\n  let total = 0;\n  for (const value of input) total += value * ${i};\n  return total / input.length; // ${sentence(4)}\n}\n\`\`\`\n\n${sentence(12)}.`;
    }
    messages.push({ id: `${id}-${i}`, role: user ? 'user' : 'assistant', content, status: 'done' });
  }
  return { id, title, createdAt: updatedAt, updatedAt, modelId: null, messages, settings: {} };
}

const chats = [
  conversation('c20', 'Twenty messages', 20, 4),
  conversation('c200a', 'Two hundred messages A', 200, 3),
  conversation('c200b', 'Two hundred messages B', 200, 2),
  conversation('c10k', 'Ten thousand messages', 10_000, 1),
];
await page.evaluate(async (records) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('mistral-local');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const tx = db.transaction('conversations', 'readwrite');
  for (const r of records) tx.objectStore('conversations').put(r, r.id);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}, chats);

/** Reload with a conversation current and the long-task observer on from navigation start. */
async function reloadInto(id) {
  await page.evaluate(async (current) => {
    const db = await new Promise((resolve) => {
      const open = indexedDB.open('mistral-local-ui');
      open.onsuccess = () => resolve(open.result);
    });
    const tx = db.transaction('state', 'readwrite');
    tx.objectStore('state').put(current, 'current');
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, id);
  await page.addInitScript(() => {
    window.__longTasks = [];
    window.__startTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__longTasks.push(e.duration);
        window.__startTasks.push({ start: e.startTime, duration: e.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
    // When the first message is in the DOM: tasks before it are reading and first render, after it highlighting.
    new MutationObserver((_, observer) => {
      if (!document.querySelector('.message')) return;
      window.__chatShownAt = performance.now();
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.reload();
  await page.waitForSelector('.message');
}

// Helpers installed in the page: time an action to the next painted frame, or to the DOM updated.
async function install() {
  await page.evaluate(() => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    window.__switch = async (title) => {
      const button = [...document.querySelectorAll('.conversation-title')].find((b) => b.textContent === title);
      const start = performance.now();
      button.click();
      while (document.querySelector('.chat-title')?.textContent !== title) await new Promise((r) => setTimeout(r, 0));
      document.body.getBoundingClientRect();
      await frame();
      return performance.now() - start;
    };
    // One typed character: the input event, the renders it causes (Preact flushes in a microtask), and the layout.
    window.__type = async (selector, text) => {
      const field = document.querySelector(selector);
      const start = performance.now();
      field.value = text;
      field.dispatchEvent(new InputEvent('input', { bubbles: true, data: text.at(-1), inputType: 'insertText' }));
      await Promise.resolve();
      await Promise.resolve();
      document.body.getBoundingClientRect();
      return performance.now() - start;
    };
    window.__scrollUp = async (frames) => {
      window.__longTasks.length = 0;
      window.scrollTo(0, document.documentElement.scrollHeight);
      await frame();
      const intervals = [];
      let last = performance.now();
      for (let i = 0; i < frames; i++) {
        window.scrollBy(0, -700);
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        intervals.push(now - last);
        last = now;
      }
      return { intervals, longTasks: [...window.__longTasks], messages: document.querySelectorAll('.message').length };
    };
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const results = { switch20: [], switch200: [], open10k: [], key20: [], key200: [], key10k: [], search: [], startupTasks: [], scroll: null };

for (let run = 0; run < RUNS; run++) {
  // Start-up with 200 code-bearing replies on screen: every long task from navigation on.
  await reloadInto('c200a');
  await page.waitForTimeout(4000);
  results.startupTasks.push(await page.evaluate(() => window.__startTasks.map((t) => ({ ...t, before: t.start < window.__chatShownAt }))));
  await install();
  results.switch200.push(await page.evaluate(() => window.__switch('Two hundred messages B')));
  results.switch200.push(await page.evaluate(() => window.__switch('Two hundred messages A')));
  results.key200.push(await page.evaluate(() => window.__type('#prompt', 'h')));
  results.switch20.push(await page.evaluate(() => window.__switch('Twenty messages')));
  results.key20.push(await page.evaluate(() => window.__type('#prompt', 'h')));
  results.open10k.push(await page.evaluate(() => window.__switch('Ten thousand messages')));
  results.key10k.push(await page.evaluate(() => window.__type('#prompt', 'h')));
  // Matches early messages for its first letters, then nothing: the later keystrokes scan every message.
  const query = 'quarterly report';
  const perKey = [];
  for (let i = 1; i <= query.length; i++) perKey.push(await page.evaluate((q) => window.__type('#conversation-search', q), query.slice(0, i)));
  results.search.push(median(perKey));
  await page.evaluate(() => window.__type('#conversation-search', ''));
  await page.evaluate(() => window.__type('#prompt', ''));
  if (run === 0) results.scroll = await page.evaluate(() => window.__scrollUp(120));
}
await context.close();
await server.close();
rmSync(profile, { recursive: true, force: true });

const ms = (v) => `${v.toFixed(1)} ms`;
const med = (v) => `${ms(median(v))} (${v.map((x) => x.toFixed(0)).join(', ')})`;
const longest = (tasks) => (tasks.length ? Math.max(...tasks.map((t) => t.duration)) : 0);
const startupRead = results.startupTasks.map((t) => longest(t.filter((x) => x.before)));
const startupAfter = results.startupTasks.map((t) => longest(t.filter((x) => !x.before)));
const scroll = results.scroll;
const rows = [
  ['switch between two 200-message conversations, click to painted', med(results.switch200), '≤ 100 ms', median(results.switch200) <= 100],
  ['switch to the 20-message conversation', med(results.switch20), '—', true],
  ['open the 10,000-message conversation, click to painted', med(results.open10k), '≤ 300 ms', median(results.open10k) <= 300],
  ['one keystroke in the message box, 20 messages', med(results.key20), '≤ 4 ms', median(results.key20) <= 4],
  ['one keystroke in the message box, 200 messages', med(results.key200), '≤ 4 ms', median(results.key200) <= 4],
  ['one keystroke in the message box, 10,000 messages', med(results.key10k), '≤ 4 ms', median(results.key10k) <= 4],
  ['one keystroke in the search, 10,420 messages stored (median of the 16 keystrokes)', med(results.search), '≤ 50 ms', median(results.search) <= 50],
  [`scrolling up the 10,000-message chat, 120 frames of 700 px: frame interval p50 / p95 / max; long tasks; messages in the DOM after`, `${ms(percentile(scroll.intervals, 50))} / ${ms(percentile(scroll.intervals, 95))} / ${ms(Math.max(...scroll.intervals))}; ${scroll.longTasks.length} long tasks${scroll.longTasks.length ? ` (max ${Math.max(...scroll.longTasks).toFixed(0)} ms)` : ''}; ${scroll.messages}`, 'no long task', scroll.longTasks.length === 0],
  ['start-up, until the chat is on screen: longest task over 50 ms (reading the 10,420 stored messages, 7 MB, and the first render; 0 = none)', med(startupRead), '—', true],
  ['start-up, after the chat is on screen: longest task over 50 ms (highlight.js arriving, the 200-message chat of code replies highlighted; 0 = none)', med(startupAfter), 'none > 50 ms', median(startupAfter) <= 50],
];
const markdown = `## Long conversations (\`npm run bench:conversations\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, headless Chromium ${context.browser()?.version() ?? ""}, production build, on-disk profile. Conversations of realistic markdown replies (paragraphs, a list, a code block in every third reply; about 700 characters a reply) are written in the app's record format into its IndexedDB and read by the app after a reload. ${RUNS} runs, medians (each run's value in brackets). "Painted" is the next animation frame after the DOM shows the conversation, plus a task.

| what | median (runs) | target | |
|---|---:|---:|---|
${rows.map(([what, value, target, met]) => `| ${what} | ${value} | ${target} | ${met ? 'met' : 'NOT met'} |`).join('\n')}
`;
writeSection('conversations', markdown);
console.log(markdown);
