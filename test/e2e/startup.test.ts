// The built page starts the engine worker from an inline script in its head (vite.config.ts:
// startEngineWorkerEarly), and the app adopts that worker (src/engine/spawn-worker.ts).
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { useBrowser } from './browser-fixture';

const browser = useBrowser({ webgpu: true });

const isEngineWorker = (url: string) => /\/engine\.worker-[^/]+\.js$/.test(url) && !url.includes('engine.worker-lib-');

/** A fresh context and page that record engine workers and CSP violations from the first byte. */
async function startPage(route?: (context: BrowserContext) => Promise<void>): Promise<{ context: BrowserContext; page: Page; workers: Worker[]; violations: () => Promise<string[]> }> {
  const context = await browser().newContext();
  await route?.(context);
  const page = await context.newPage();
  const workers: Worker[] = [];
  page.on('worker', (w) => {
    if (isEngineWorker(w.url())) workers.push(w);
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (globalThis as { __violations?: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${inject('baseUrl')}/app/`);
  return { context, page, workers, violations: () => page.evaluate(() => (globalThis as { __violations?: string[] }).__violations ?? []) };
}

const pickerListsModels = (page: Page) => expect.poll(() => page.locator('#model-select option').count(), { timeout: 30_000 }).toBeGreaterThan(0);

it('starts the engine worker from the page itself, allowed by the CSP, and the app uses that one worker', async () => {
  const { context, page, workers, violations } = await startPage();
  // The served page carries the script, and its CSP allows exactly that script by hash.
  const html = await (await page.request.get(`${inject('baseUrl')}/app/`)).text();
  expect(html).toMatch(/<script>[^<]*new Worker\("\.\/assets\/engine\.worker-[\w-]+\.js"/);
  expect(html).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  await pickerListsModels(page);
  expect(await violations()).toEqual([]);
  // Had the app spawned a worker of its own beside the page's, there would be two.
  await page.waitForTimeout(500);
  expect(workers.length).toBe(1);
  expect(await page.getByTestId('engine-status').textContent()).not.toBe('Engine stopped');
  await context.close();
});

it('replaces a worker that failed before the app took it, instead of reporting the engine stopped', async () => {
  let failed = 0;
  const { context, page, workers, violations } = await startPage(async (context) => {
    // The page's worker gets no script; the app's own script comes late, so the failure is surely first.
    await context.route((url) => isEngineWorker(url.href), async (route) => {
      if (failed++ === 0) await route.fulfill({ status: 404, body: 'gone' });
      else await route.continue();
    });
    await context.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
  });
  await pickerListsModels(page);
  expect(failed).toBe(2);
  expect(workers.length).toBeGreaterThanOrEqual(1);
  await page.waitForTimeout(500);
  expect(await page.getByTestId('engine-status').textContent()).not.toBe('Engine stopped');
  expect(await page.getByRole('heading', { name: 'The engine stopped' }).count()).toBe(0);
  expect(await violations()).toEqual([]);
  await context.close();
});
