// `npm run bench:render`: streaming replies into the real UI in headless
// Chromium (e2e build: the scripted engine in the worker) at 2,000 tokens/s.
// Four replies: mixed markdown (prose, code, list, table; 4,000 tokens) and
// the three single blocks that grow without end: a 500-item list, a 300-line
// paragraph, a 400-line code block; then the list at 100 tokens/s and the
// mixed reply at 40 tokens/s, rates a model reaches. Per animation frame, the main-thread time
// to take the new text in (split, parse, sanitize, DOM update) with its layout
// forced (as the frame would do it), as wall time and, in runs with Chromium's
// trace on, as the main thread's CPU time; long tasks over 50 ms; and the engine's
// rate with the page rendering against the same request read beside the UI
// with nothing rendered, and the heap such a read keeps once it ended. RUNS
// runs each, medians. Targets: p95 ≤ 2 ms at any point of a reply, no long
// task, the engine's rate not lowered by rendering.
// BASELINE=<commit> runs that commit's build beside ours, runs alternated (its
// rows are added); ONLY=list (a word of the replies' names) runs some replies.
import { machine, percentile as pct, startScriptedApp, stealSeconds, writeSection } from './bench-lib.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
/** As in src/render/stream-view.ts and block-splitter.ts (this script runs the built app, not the modules). */
const LINES_PER_FRAME = 4;
const FRAME_BUDGET_MS = 2;
const GROUP_LINES = 2;
const TOKENS_PER_SECOND = 2000;
const REPLIES = [
  { name: 'mixed markdown, 4,000 tokens', prompt: '[markdown] [tokens=4000]' },
  { name: 'one 500-item list', prompt: '[long-list]' },
  { name: 'one 300-line paragraph', prompt: '[long-paragraph]' },
  { name: 'one 400-line code block', prompt: '[long-code]' },
  // Mistral 7B on a good GPU writes tens of tokens a second, not thousands: the same list as a reader sees it.
  { name: 'one 500-item list, at 100 tokens/s', prompt: '[long-list]', rate: 100 },
  // At a rate a model reaches on a good GPU, most frames take in one word of prose or none.
  { name: 'mixed markdown, 1,000 tokens, at 40 tokens/s', prompt: '[markdown] [tokens=1000]', rate: 40 },
];

const BASELINE = process.env.BASELINE;
const ONLY = process.env.ONLY;

/** The app ready to stream long replies. */
async function started(commit) {
  const app = await startScriptedApp({ commit });
  const { page } = app;
  await page.getByRole('button', { name: 'Settings for this chat' }).click();
  await page.locator('#s-max-tokens').fill('4096');
  // For every chat of the run: each reply starts in a new chat, which takes the defaults (1,024 tokens).
  await page.getByRole('button', { name: 'Use these for new chats' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  });
  return app;
}
const apps = [{ label: '', app: await started() }];
if (BASELINE) apps.push({ label: `, commit ${BASELINE.slice(0, 7)}`, app: await started(BASELINE) });
let page;

/**
 * The main thread's own CPU time in each frame's update, from Chromium's trace: the thread time
 * between a 'render-frame' measure's start and end (the update, its forced layout included), on
 * the thread that made the measure. Trace events carry the thread's clock (tts) at their begin and
 * end; between two such points it is spread evenly over the wall time. Wall time counts the
 * moments the main thread waits for a core too (2 cores here, shared with the compositor, the
 * software rasterizer and the engine worker); this does not. (Before 2026-12-04 this took the
 * thread time of the whole JS call holding the measure, in the same process: that counted the
 * callback's work outside the update, e.g. a reply's first mount, and skipped the frames that no
 * call held.)
 */
function framesCpu(trace) {
  const events = trace.traceEvents ?? trace;
  // Every measure of one name has the same id; they never overlap, so a begin pairs with the next end.
  const measures = [];
  for (const e of events.filter((x) => x.name === 'render-frame' && String(x.cat).includes('blink.user_timing')).sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'b') measures.push({ pid: e.pid, tid: e.tid, start: e.ts });
    else if (e.ph === 'e' && measures.at(-1)?.end === undefined) measures.at(-1).end = e.ts;
  }
  if (measures.length === 0) return [];
  const { pid, tid } = measures[0];
  // (wall, thread) clock pairs on that thread, in wall order.
  const points = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid || e.tts === undefined) continue;
    points.push([e.ts, e.tts]);
    if (e.ph === 'X' && e.dur !== undefined && e.tdur !== undefined) points.push([e.ts + e.dur, e.tts + e.tdur]);
  }
  points.sort((a, b) => a[0] - b[0]);
  const threadTime = (ts) => {
    let lo = 0;
    let hi = points.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (points[mid][0] <= ts) lo = mid;
      else hi = mid - 1;
    }
    const [a, b = a] = points.slice(lo, lo + 2);
    return b[0] === a[0] ? a[1] : a[1] + ((b[1] - a[1]) * (ts - a[0])) / (b[0] - a[0]);
  };
  return measures.filter((m) => m.end !== undefined).map((m) => (threadTime(m.end) - threadTime(m.start)) / 1000);
}

/** The same reply streamed with Chromium's trace on (it slows the page a little): each frame's main-thread CPU time. */
async function renderedTraced(prompt, rate) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink.user_timing', transferMode: 'ReturnAsStream' });
  await rendered(prompt, rate);
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  let data = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    data += chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  await cdp.detach();
  return framesCpu(JSON.parse(data));
}

/** Streams one reply through the UI; per-frame times (first and last third) and the engine's token rate. */
async function rendered(prompt, rate) {
  await page.evaluate(() => {
    performance.clearMeasures('render-frame');
    performance.clearMeasures('chunk');
    performance.clearMeasures('ungroup');
    performance.clearMeasures('render-prepare');
    window.__longTasks.length = 0;
  });
  await page.locator('#prompt').fill(`${prompt} [delay=${1000 / rate}]`);
  await page.locator('#prompt').press('Enter');
  await page.waitForFunction(() => document.querySelector('.message-assistant:last-of-type')?.getAttribute('data-status') === 'done', null, { timeout: 180_000, polling: 100 });
  // A finished list's groups of items are taken out while the page is idle (stream-view.ts:
  // ungroupWhenIdle); its long tasks count too. A build that keeps the groups is waited for 2 s.
  await page.waitForFunction(() => !document.querySelector('.message-assistant:last-of-type .md-items'), null, { timeout: 2000, polling: 50 }).catch(() => {});
  return page.evaluate(() => {
    const measures = performance.getEntriesByName('render-frame');
    const frames = measures.map((e) => e.duration);
    // Blocks each frame took in (null from a build that does not say): a frame that adds to a long list lays the list out again.
    const blocks = measures.map((e) => e.detail?.blocks ?? null);
    // Blocks each frame parsed itself (null from a build before 2026-12-04, which parsed every block it took).
    const parses = measures.map((e) => e.detail?.parses ?? null);
    const chunks = performance.getEntriesByName('chunk');
    const seconds = (chunks.at(-1).startTime - chunks[0].startTime) / 1000;
    const last = measures.at(-1);
    // How long after the engine's last token the view had shown it all (it takes a few lines a frame).
    const behind = Math.max(0, last.startTime + last.duration - chunks.at(-1).startTime);
    const ungroups = performance.getEntriesByName('ungroup');
    const ungroup = {
      each: ungroups.map((e) => e.duration),
      // How long after the view had shown everything the last group was taken out.
      after: ungroups.length > 0 ? ungroups.at(-1).startTime + ungroups.at(-1).duration - (last.startTime + last.duration) : null,
      left: document.querySelectorAll('.message-assistant:last-of-type .md-items').length,
    };
    // The tasks that parse, before a frame, the blocks it takes, one block each (a build before 2026-12-04 has none).
    const prepared = performance.getEntriesByName('render-prepare').map((e) => e.duration);
    return { frames, blocks, parses, tokensPerSecond: chunks.length / seconds, behind, longTasks: [...window.__longTasks], ungroup, prepared };
  });
}

/** The page's JS heap after a garbage collection (Chromium's own count, over CDP). */
async function heapAfterGc() {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/**
 * The same request read beside the UI, nothing rendered: the engine's own rate here, and the
 * heap the read kept once it ended (the client should keep nothing of a finished stream).
 */
async function unrendered(prompt, rate) {
  const before = await heapAfterGc();
  const read = await page.evaluate(async (text) => {
    const engine = window.__engine;
    const model = document.querySelector('#model-select').value;
    const stream = await engine.chat.completions.create({ model, messages: [{ role: 'user', content: text }], stream: true, max_tokens: 4096 });
    let first = 0;
    let last = 0;
    let tokens = 0;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      if (!chunk.choices[0]?.delta.content) continue;
      last = performance.now();
      first ||= last;
      tokens++;
    }
    return { tokensPerSecond: tokens / ((last - first) / 1000), chunks };
  }, `${prompt} [delay=${1000 / rate}]`);
  return { ...read, kept: (await heapAfterGc()) - before };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
/** The last third's frames that took in a finished block: their share of its frames and their p50 (medians of the runs). */
function blockFrames(uis) {
  if (uis.some((ui) => ui.blocks.includes(null))) return { blockShare: null, blockP50: null };
  const last = (xs) => xs.slice(-Math.ceil(xs.length / 3));
  const shares = [];
  const p50s = [];
  for (const ui of uis) {
    const blocks = last(ui.blocks);
    const taking = last(ui.frames).filter((_, i) => blocks[i] > 0);
    shares.push(taking.length / blocks.length);
    if (taking.length > 0) p50s.push(pct(taking, 50));
  }
  return { blockShare: median(shares), blockP50: p50s.length > 0 ? median(p50s) : null };
}
const rows = [];
/** Per build: the heap its reads beside the UI kept, over all replies and runs, and the chunks they read. */
const kept = apps.map(() => ({ bytes: 0, chunks: 0 }));
for (const reply of REPLIES.filter((r) => !ONLY || r.name.includes(ONLY))) {
  const runsOf = apps.map(() => []);
  const stealFrom = stealSeconds();
  const timeFrom = performance.now();
  for (let i = 0; i < RUNS; i++) {
    for (const [which, { app }] of apps.entries()) {
      page = app.page;
      const alone = await unrendered(reply.prompt, reply.rate ?? TOKENS_PER_SECOND);
      kept[which].bytes += alone.kept;
      kept[which].chunks += alone.chunks;
      const ui = await rendered(reply.prompt, reply.rate ?? TOKENS_PER_SECOND);
      // A new chat each time, so every run starts from the same page.
      await page.getByRole('button', { name: /New chat/ }).first().click();
      const cpu = await renderedTraced(reply.prompt, reply.rate ?? TOKENS_PER_SECOND);
      await page.getByRole('button', { name: /New chat/ }).first().click();
      runsOf[which].push({ ui: { ...ui, cpu }, alone });
    }
  }
  // The share of the machine's CPU the hypervisor took while this reply's runs ran (2 cores).
  const steal = (stealSeconds() - stealFrom) / (((performance.now() - timeFrom) / 1000) * 2);
  const third = (frames, which) => (which === 0 ? frames.slice(0, Math.ceil(frames.length / 3)) : frames.slice(-Math.ceil(frames.length / 3)));
  for (const [which, runs] of runsOf.entries()) {
    rows.push({
      name: reply.name + apps[which].label,
      frames: median(runs.map((r) => r.ui.frames.length)),
      earlyP50: median(runs.map((r) => pct(third(r.ui.frames, 0), 50))),
      earlyP95: median(runs.map((r) => pct(third(r.ui.frames, 0), 95))),
      lateP50: median(runs.map((r) => pct(third(r.ui.frames, 2), 50))),
      lateP95: median(runs.map((r) => pct(third(r.ui.frames, 2), 95))),
      max: median(runs.map((r) => Math.max(...r.ui.frames))),
      ...blockFrames(runs.map((r) => r.ui)),
      cpuEarlyP95: median(runs.map((r) => pct(third(r.ui.cpu, 0), 95))),
      cpuLateP95: median(runs.map((r) => pct(third(r.ui.cpu, 2), 95))),
      longTasks: Math.max(...runs.map((r) => r.ui.longTasks.filter((d) => d > 50).length)),
      behind: median(runs.map((r) => r.ui.behind)),
      rendered: median(runs.map((r) => r.ui.tokensPerSecond)),
      alone: median(runs.map((r) => r.alone.tokensPerSecond)),
      ungrouped: median(runs.map((r) => r.ui.ungroup.each.length)),
      ungroupP50: median(runs.map((r) => pct(r.ui.ungroup.each, 50))),
      ungroupMax: median(runs.map((r) => Math.max(0, ...r.ui.ungroup.each))),
      ungroupAfter: median(runs.map((r) => r.ui.ungroup.after ?? NaN)),
      groupsLeft: Math.max(...runs.map((r) => r.ui.ungroup.left)),
      // Blocks parsed ahead, against the blocks the frames took (a block taken twice is not: it is one block).
      preparedShare: median(runs.map((r) => r.ui.prepared.length / Math.max(1, r.ui.blocks.reduce((n, b) => n + (b ?? 0), 0)))),
      parsingShare: runs.some((r) => r.ui.parses.includes(null)) ? null : median(runs.map((r) => r.ui.parses.filter((n) => n > 0).length / r.ui.parses.length)),
      prepareP50: median(runs.map((r) => (r.ui.prepared.length > 0 ? pct(r.ui.prepared, 50) : NaN))),
      prepareP95: median(runs.map((r) => (r.ui.prepared.length > 0 ? pct(r.ui.prepared, 95) : NaN))),
      steal,
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
}
/**
 * The browser's own floor for a frame's update here: one word appended to a box that holds
 * nothing else, alone in a blank page, and the layout forced, as the app's measure does (median
 * of 60, each after a frame). No update of the app's can cost less.
 */
async function layoutFloor(context) {
  const blank = await context.newPage();
  await blank.setContent('<div id="box" style="contain: strict; width: 200px; height: 100px"></div>');
  const ms = await blank.evaluate(async () => {
    const box = document.getElementById('box');
    const times = [];
    for (let i = 0; i < 60; i++) {
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const t0 = performance.now();
      box.append(document.createTextNode(' word'));
      void box.getBoundingClientRect();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[times.length >> 1];
  });
  await blank.close();
  return ms;
}
const floor = await layoutFloor(apps[0].app.page.context());
console.log(`floor: ${floor.toFixed(1)} ms`);
const keptLine = kept.map((k, which) => `${(k.bytes / 2 ** 20).toFixed(1)} MiB over ${k.chunks.toLocaleString('en')} chunks${apps[which].label}`).join('; ');
console.log(`heap kept by the reads beside the UI: ${keptLine}`);
for (const { app } of apps) await app.close();
const app = apps[0].app;

const ms = (v) => v.toFixed(1);
const meets = rows.filter((r) => !r.name.includes(', commit ')).every((r) => r.earlyP95 <= 2 && r.lateP95 <= 2 && r.longTasks === 0);
if (!ONLY) writeSection(
  'render',
  `## Streaming render (\`npm run bench:render\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, headless Chromium ${app.version}, e2e build (scripted engine in the worker) at ${TOKENS_PER_SECOND} tokens/s unless the row says otherwise, ${RUNS} runs each, medians.
"Per frame" is the main-thread time to take in the text that arrived since the last animation frame (split finished blocks, put them in, parsed and sanitized once, most of them before the frame (below), at most ${LINES_PER_FRAME} finished lines a frame, fewer, down to one piece, while frames take over ${FRAME_BUDGET_MS} ms (since 2026-12-04 also frames that took all there was), update the open tail, where a plain word at its end is appended to the text shown with no parse; an open code block only has text appended, in pieces of 16 lines) **including the layout it causes**, forced at the end of the update. Chromium coarsens \`performance.now()\` to 0.1 ms here. "Main-thread CPU" is the same update's thread time from Chromium's trace (the thread's clock between the start and end of the update's measure, its forced layout included, spread evenly between the trace's events; before 2026-12-04 the thread time of the whole call that held the measure, which also counted work outside it, such as a reply's first mount), in separate runs with the trace on (which slows the page somewhat): wall time also counts the moments the main thread waits for one of the 2 cores; this does not. "Engine tok/s" is the rate the chunks reached the page, with the UI rendering them and with the same request read beside the UI, nothing rendered. "All shown" is how long after the engine's last token the view had shown every line (an engine faster than the lines a frame takes is shown at that rate). Each reply runs in a new chat with a 4,096-token limit (before 2026-12-02 only the first run had it: the later runs stopped at the default 1,024 tokens, about 200 of the list's 500 items). "Frames that take in a block" added a finished block to the reply (a long list or paragraph is cut in pieces of ${GROUP_LINES} lines, 4 before 2026-12-03, and each piece joins the one before it; while it streams, a list's items after its first 32 sit in groups of 32 inside it (since 2026-12-03; before, all of them; since 2026-12-04 the groups are taken out once the reply is finished), so that Blink lays out the last group and the row of groups, not the whole list again; since 2026-12-03 a list's open items are shown in the list itself and stay there once their piece is finished); the other frames only changed the open tail. A build before 2026-12-02 does not report which frames took in a block. "CPU stolen" is the share of the machine's 2 cores the hypervisor gave other tenants while the reply's runs ran, both builds together (steal time in /proc/stat, since 2026-12-04): the same code's frames take longer when it is high.

| reply | frames | p50 / p95 per frame, first third | p50 / p95, last third | last third's frames that take in a block: share, p50 | longest frame | main-thread CPU p95, first / last third (traced) | long tasks > 50 ms | engine tok/s rendered / alone | all shown, after the last token | CPU stolen |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.map((r) => `| ${r.name} | ${r.frames} | ${ms(r.earlyP50)} / ${ms(r.earlyP95)} ms | ${ms(r.lateP50)} / ${ms(r.lateP95)} ms | ${r.blockShare === null ? 'not reported' : `${(100 * r.blockShare).toFixed(0)}%${r.blockP50 === null ? '' : `, ${ms(r.blockP50)} ms`}`} | ${ms(r.max)} ms | ${ms(r.cpuEarlyP95)} / ${ms(r.cpuLateP95)} ms | ${r.longTasks} | ${r.rendered.toFixed(0)} / ${r.alone.toFixed(0)} | ${r.behind.toFixed(0)} ms | ${(100 * r.steal).toFixed(1)}% |`).join('\n')}

Once a reply is finished, its long lists' groups of items are taken out while the page is idle, one group an idle moment, its layout forced in it (a div in a list is not valid HTML, and axe's "list" rule flags it; the "long tasks" column counts this time too): ${rows.filter((r) => r.ungrouped > 0 || r.groupsLeft > 0).map((r) => (r.ungrouped > 0 ? `${r.name}: ${r.ungrouped} groups, ${ms(r.ungroupP50)} ms p50 and ${ms(r.ungroupMax)} ms the longest each, the last ${r.ungroupAfter.toFixed(0)} ms after the view had shown everything${r.groupsLeft > 0 ? ` (${r.groupsLeft} left after 2 s)` : ''}` : `${r.name}: the groups kept (${r.groupsLeft} after 2 s)`)).join('; ') || 'no reply had any'}.

The blocks a frame takes are parsed and sanitized before it, in a task of their own, one block a task (since 2026-12-04; a frame parses one block at most, its first, when no such task came before it), as a share of the blocks the frames took (a code block the open tail showed as it streamed is never parsed, and counts as not parsed ahead): ${rows.filter((r) => r.parsingShare !== null).map((r) => `${r.name}: ${(100 * r.preparedShare).toFixed(0)}% of its blocks${r.prepareP50 === r.prepareP50 ? `, ${ms(r.prepareP50)} / ${ms(r.prepareP95)} ms p50 / p95 a task` : ''}, ${(100 * r.parsingShare).toFixed(0)}% of its frames parsed one`).join('; ') || 'no reply had any'}.

The browser's floor on this machine, for comparison: one word appended to an empty, contained box in a blank page, with its layout forced the same way, takes ${floor.toFixed(1)} ms (median of 60); no frame's update can cost less.

Main-thread heap kept by the reads beside the UI once each had ended (the engine's chunks through our client, nothing rendered; garbage collected before and after each read, summed over every reply and run): ${keptLine}. A finished stream should leave nothing behind.

Targets (p95 ≤ 2 ms per frame at any point of a reply, no long task over 50 ms, rendering not lowering the engine's rate): ${meets ? 'met' : 'NOT met'}.`,
);
