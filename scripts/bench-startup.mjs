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

async function once(webgpu, url, setup) {
  const profile = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...BASE_ARGS, ...(webgpu ? GPU_ARGS : [])] });
  const scripts = [];
  context.on('request', (request) => {
    if (request.url().endsWith('.js')) scripts.push({ url: request.url(), at: Date.now() });
  });
  const page = context.pages()[0] ?? (await context.newPage());
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

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const withGpu = [];
const withoutGpu = [];
const baseGpu = [];
const baseNoGpu = [];
const floor = [];
const workerFloor = [];
for (let i = 0; i < RUNS; i++) {
  withGpu.push(await once(true, url));
  workerFloor.push(await once(true, `${url}floor.html`, routeWorkerFloor));
  if (baseline) baseGpu.push(await once(true, baseline.url));
  withoutGpu.push(await once(false, url));
  if (baseline) baseNoGpu.push(await once(false, baseline.url));
  floor.push(await blankPaint());
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
const markdown = `## Start-up (\`npm run bench:startup\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, headless Chromium, production build served locally, a fresh on-disk profile per run (a first visit), ${RUNS} runs each, medians. "Ready" is navigation to the model picker listing models (with WebGPU: the worker started, the GPU detected, the catalog built) or to the "WebGPU unavailable" state (without). 

| | first paint | ready | WebLLM requested before ready | WebLLM requested at all |
|---|---:|---:|---:|---:|
${row('SwiftShader WebGPU', withGpu)}
${row('no WebGPU', withoutGpu)}${baseline ? `\n${row(`SwiftShader WebGPU, commit ${BASELINE.slice(0, 7)}`, baseGpu)}\n${row(`no WebGPU, commit ${BASELINE.slice(0, 7)}`, baseNoGpu)}` : ''}

The floor here: a page of one line of text, in the same setup, first paints at ${median(floor).toFixed(0)} ms (${floor.map((v) => v.toFixed(0)).join(', ')}); a page that does nothing but start a worker that asks for the GPU adapter and list its answer (no app code, no IndexedDB) is ready at ${median(workerFloor.map((r) => r.readyMs)).toFixed(0)} ms (${workerFloor.map((r) => r.readyMs.toFixed(0)).join(', ')}).

Target (picker ready ≤ 200 ms cold): ${gpuReady <= 200 ? 'met' : 'NOT met'}.`;
writeSection('startup', markdown);
console.log(markdown);
