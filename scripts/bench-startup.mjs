// `npm run bench:startup`: how soon a cold start is usable. The production
// build in headless Chromium with SwiftShader WebGPU, a fresh on-disk profile
// per run (a first visit: nothing cached, no service worker yet): time from
// navigation to first paint, and to the model picker ready (the worker up, GPU
// detected, the catalog listed), and whether WebLLM's 6 MB chunk was fetched
// before that (with WebGPU it is prefetched after; without, never).
// Medians of RUNS runs. Target: picker ready ≤ 200 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, writeSection, servedProductionBuild } from './bench-lib.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const { chromium } = await import('playwright-core');
const { server, url } = await servedProductionBuild();
const BASE_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const GPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];

async function once(webgpu) {
  const profile = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...BASE_ARGS, ...(webgpu ? GPU_ARGS : [])] });
  const scripts = [];
  context.on('request', (request) => {
    if (request.url().endsWith('.js')) scripts.push({ url: request.url(), at: Date.now() });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const started = Date.now();
  await page.goto(url);
  const ready = webgpu
    ? await page.waitForFunction(() => document.querySelectorAll('#model-select option').length > 0 && performance.now(), null, { timeout: 30_000, polling: 'raf' })
    : await page.waitForFunction(() => document.querySelector('[data-testid=engine-status]')?.textContent === 'WebGPU unavailable' && performance.now(), null, { timeout: 30_000, polling: 'raf' });
  const readyMs = await ready.jsonValue();
  const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
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
for (let i = 0; i < RUNS; i++) {
  withGpu.push(await once(true));
  withoutGpu.push(await once(false));
}
await server.close();

const row = (name, runs) =>
  `| ${name} | ${median(runs.map((r) => r.paint)).toFixed(0)} ms | ${median(runs.map((r) => r.readyMs)).toFixed(0)} ms (${runs.map((r) => r.readyMs.toFixed(0)).join(', ')}) | ${runs.some((r) => r.webllmBeforeReady) ? 'yes' : 'no'} | ${runs.every((r) => r.webllmFetched) ? 'yes (prefetched after ready)' : runs.some((r) => r.webllmFetched) ? 'sometimes' : 'never'} |`;
const gpuReady = median(withGpu.map((r) => r.readyMs));
const markdown = `## Start-up (\`npm run bench:startup\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, headless Chromium, production build served locally, a fresh on-disk profile per run (a first visit), ${RUNS} runs each, medians. "Ready" is navigation to the model picker listing models (with WebGPU: the worker started, the GPU detected, the catalog built) or to the "WebGPU unavailable" state (without). 

| | first paint | ready | WebLLM requested before ready | WebLLM requested at all |
|---|---:|---:|---:|---:|
${row('SwiftShader WebGPU', withGpu)}
${row('no WebGPU', withoutGpu)}

Target (picker ready ≤ 200 ms cold): ${gpuReady <= 200 ? 'met' : 'NOT met'}.`;
writeSection('startup', markdown);
console.log(markdown);
