// `npm run bench:startup`: how soon a cold start is usable. The production
// build in headless Chromium with SwiftShader WebGPU, a fresh on-disk profile
// per run (a first visit: nothing cached, no service worker yet): time from
// navigation to first paint, and to the model picker ready (the worker up, GPU
// detected, the catalog listed), and whether WebLLM's 6 MB chunk was fetched
// before that (with WebGPU it is prefetched after; without, never).
// Medians of RUNS runs. The page reports its readiness itself (nothing is injected into it while it starts). Target: picker ready ≤ 200 ms. BASELINE=<commit> also
// builds that commit and alternates its runs with ours (same machine, same
// quarter hour); a one-line page's first paint in the same setup is the floor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, writeSection, servedProductionBuild, servedProductionBuildOf } from './bench-lib.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const { chromium } = await import('playwright-core');
const { server, url } = await servedProductionBuild();
const BASELINE = process.env.BASELINE;
const baseline = BASELINE ? await servedProductionBuildOf(BASELINE) : null;
const BASE_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const GPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];

/**
 * One first visit (a fresh on-disk profile: nothing cached, no service worker). `launched`: the
 * page is the browser's first, opened as the browser starts, so the browser's own start-up
 * (its network service, GPU process, font configuration) is still under way and is counted.
 * `running`: the browser has already shown a page of text in another tab, as a user's browser
 * has, and the app opens in a new tab (a new renderer process; WebGPU not yet used by anything).
 */
async function once(webgpu, url, { setup, browser = 'launched' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...BASE_ARGS, ...(webgpu ? GPU_ARGS : [])] });
  const scripts = [];
  context.on('request', (request) => {
    if (request.url().endsWith('.js')) scripts.push({ url: request.url(), at: Date.now() });
  });
  let page = context.pages()[0] ?? (await context.newPage());
  if (browser === 'running') {
    await page.route('http://warm.test/', (route) => route.fulfill({ contentType: 'text/html', body: WARM_PAGE }));
    await page.goto('http://warm.test/');
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0], null, { polling: 'raf' });
    await page.waitForTimeout(500);
    page = await context.newPage();
  }
  await setup?.(page);
  // The page reports its own readiness: Playwright's waitForFunction would inject its ~30 ms
  // script into the page's main thread in the middle of start-up, which no user's page runs.
  // A mutation observer notes when the state appears, and the next animation frame (painted) is "ready".
  let report;
  const reported = new Promise((resolve) => (report = resolve));
  await page.exposeFunction('__benchReady', (ms) => report(ms));
  await page.addInitScript((webgpu) => {
    const isReady = () =>
      webgpu
        ? document.querySelectorAll('#model-select option').length > 0
        : document.querySelector('[data-testid=engine-status]')?.textContent === 'WebGPU unavailable';
    const observer = new MutationObserver(() => {
      if (!isReady()) return;
      observer.disconnect();
      requestAnimationFrame(() => window.__benchReady(performance.now()));
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  }, webgpu);
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  const readyMs = await Promise.race([reported, page.waitForTimeout(30_000).then(() => Promise.reject(new Error('not ready in 30 s')))]);
  // First paint may be reported after "ready" (its frame is presented later): wait for it.
  const paint = await (await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime, null, { timeout: 10_000 })).jsonValue();
  const readyAt = started + readyMs;
  // Let a prefetch (with WebGPU) or a stray fetch (without) happen before counting.
  await page.waitForTimeout(3000);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  return {
    paint,
    readyMs,
    webllmFetched: scripts.some((s) => s.url.includes('engine.worker-lib-')),
    webllmBeforeReady: scripts.some((s) => s.url.includes('engine.worker-lib-') && s.at <= readyAt),
  };
}

/** What a user's browser has shown before they open the app: text in a few sizes and weights. */
const WARM_PAGE = '<!doctype html><title>another site</title><h1>Another site</h1><p>Some text, <b>bold</b>, <i>italic</i>, <small>small</small>, <code>code</code>.</p><input placeholder="search"><button>Go</button>';

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const withGpu = [];
const withoutGpu = [];
const baseGpu = [];
const baseNoGpu = [];
const floor = [];
const workerFloor = [];
const runningGpu = [];
const runningNoGpu = [];
const runningWorkerFloor = [];
for (let i = 0; i < RUNS; i++) {
  withGpu.push(await once(true, url));
  workerFloor.push(await once(true, `${url}floor.html`, { setup: routeWorkerFloor }));
  if (baseline) baseGpu.push(await once(true, baseline.url));
  withoutGpu.push(await once(false, url));
  if (baseline) baseNoGpu.push(await once(false, baseline.url));
  floor.push(await blankPaint());
  runningGpu.push(await once(true, url, { browser: 'running' }));
  runningWorkerFloor.push(await once(true, `${url}floor.html`, { setup: routeWorkerFloor, browser: 'running' }));
  runningNoGpu.push(await once(false, url, { browser: 'running' }));
}
await server.close();
await baseline?.close();

/**
 * The least any page can do that asks a worker for the GPU: an inline module that starts a
 * module worker, which asks for the adapter and posts its features back; the page lists them
 * as the picker's one option. No app code, no IndexedDB, nothing else fetched.
 */
async function routeWorkerFloor(page) {
  await page.route(`${url}floor.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>floor</title><select id="model-select"></select><script type="module">
new Worker('./floor-worker.js', { type: 'module' }).onmessage = (e) => document.getElementById('model-select').append(new Option(e.data));
</script>`,
    }),
  );
  await page.route(`${url}floor-worker.js`, (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: "const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }); postMessage(a ? [...a.features].join(' ') : 'none');",
    }),
  );
}

/** First paint of a page holding one line of text, in the same setup: what this machine cannot go below. */
async function blankPaint() {
  const profile = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...BASE_ARGS, ...GPU_ARGS] });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.route(`${url}blank.html`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title><p>One line of text.</p>' }));
  await page.goto(`${url}blank.html`);
  const paint = await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime, null, { polling: 'raf' });
  const ms = await paint.jsonValue();
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  return ms;
}

const row = (name, runs) =>
  `| ${name} | ${median(runs.map((r) => r.paint)).toFixed(0)} ms | ${median(runs.map((r) => r.readyMs)).toFixed(0)} ms (${runs.map((r) => r.readyMs.toFixed(0)).join(', ')}) | ${runs.some((r) => r.webllmBeforeReady) ? 'yes' : 'no'} | ${runs.every((r) => r.webllmFetched) ? 'yes (prefetched after ready)' : runs.some((r) => r.webllmFetched) ? 'sometimes' : 'never'} |`;
const gpuReady = median(withGpu.map((r) => r.readyMs));
const runningReady = median(runningGpu.map((r) => r.readyMs));
const verdict = (ms) => `${ms <= 200 ? 'met' : 'NOT met'} (${ms.toFixed(0)} ms)`;
const markdown = `## Start-up (\`npm run bench:startup\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, headless Chromium, production build served locally, a fresh on-disk profile per run (a first visit), ${RUNS} runs each, medians. "Ready" is navigation to the model picker listing models (with WebGPU: the worker started, the GPU detected, the catalog built) or to the "WebGPU unavailable" state (without). Two ways a first visit happens: the app as the first page of a browser launched for it (the browser's own start-up, its network service, GPU process and font configuration, still under way and counted), and the app opened in a new tab of a browser that is already running and has shown another site's page of text ("in a running browser", as a user's browser is; WebGPU not yet used by any page).

| | first paint | ready | WebLLM requested before ready | WebLLM requested at all |
|---|---:|---:|---:|---:|
${row('SwiftShader WebGPU', withGpu)}
${row('no WebGPU', withoutGpu)}
${row('SwiftShader WebGPU, in a running browser', runningGpu)}
${row('no WebGPU, in a running browser', runningNoGpu)}${baseline ? `\n${row(`SwiftShader WebGPU, commit ${BASELINE.slice(0, 7)}`, baseGpu)}\n${row(`no WebGPU, commit ${BASELINE.slice(0, 7)}`, baseNoGpu)}` : ''}

The floor here: a page of one line of text, in the same setup, first paints at ${median(floor).toFixed(0)} ms (${floor.map((v) => v.toFixed(0)).join(', ')}); a page that does nothing but start a worker that asks for the GPU adapter and list its answer (no app code, no IndexedDB) is ready at ${median(workerFloor.map((r) => r.readyMs)).toFixed(0)} ms (${workerFloor.map((r) => r.readyMs.toFixed(0)).join(', ')}), and in a running browser at ${median(runningWorkerFloor.map((r) => r.readyMs)).toFixed(0)} ms (${runningWorkerFloor.map((r) => r.readyMs.toFixed(0)).join(', ')}).

Target (picker ready ≤ 200 ms cold, with WebGPU): in a running browser ${verdict(runningReady)}; as the first page of a browser launched for it ${verdict(gpuReady)}.`;
writeSection('startup', markdown);
console.log(markdown);
