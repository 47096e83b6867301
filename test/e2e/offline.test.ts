// Zero-server and offline: after the first visit a service worker serves the
// app; with a cached model a whole chat works with the network off and no
// request leaves the page. A new deploy shows a visible "update ready".
import { appendFile, cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';
import { ask, loadScriptedModel, MISTRAL_Q4F32_NAME } from './helpers';
import { routeModelHosts } from './model-host';
import { startStaticServer } from './static-server';

const browser = useBrowser({ webgpu: true });

it('after the first visit the app works offline, and a full chat with the cached model sends nothing', async () => {
  const { context, page } = await openPage(browser(), 'about:blank');
  const host = await routeModelHosts(context, { shards: 3, shardBytes: 16 * 1024 });
  await page.goto(`${inject('baseUrl')}/scripted/`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await loadScriptedModel(page);
  expect(await ask(page, 'online question')).toMatch(/^Echo: online question/);
  const hostRequestsOnline = host.requests.length;

  await context.setOffline(true);
  const requests: Request[] = [];
  context.on('request', (r) => requests.push(r));
  await page.reload();
  await expect.poll(() => page.locator('.message').count(), { timeout: 30_000 }).toBe(2);
  await loadScriptedModel(page);
  expect(await page.getByTestId('load-done').textContent()).toMatch(/from this browser’s cache \(no download\)/);
  expect(await ask(page, 'offline question')).toMatch(/^Echo: offline question/);

  // Nothing reached a network: every request was answered by the service worker.
  expect(host.requests.length).toBe(hostRequestsOnline);
  for (const request of requests) {
    const response = await request.response();
    expect(new URL(request.url()).origin, request.url()).toBe(new URL(inject('baseUrl')).origin);
    expect(response?.fromServiceWorker(), request.url()).toBe(true);
  }
  expect(requests.length).toBeGreaterThan(0);
  expect(await page.getByTestId('engine-status').textContent()).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  await context.close();
});

it('a new deploy is picked up with a visible "update ready", applied when the user chooses', { timeout: 120_000 }, async () => {
  // A copy of the build we can "deploy" again.
  const root = await mkdtemp(join(tmpdir(), 'deploy-'));
  await cp('dist-e2e', root, { recursive: true });
  const server = await startStaticServer({ '/scripted/': root });
  const { context, page } = await openPage(browser(), `${server.url}/scripted/`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  expect(await page.getByTestId('update-ready').count()).toBe(0);

  await appendFile(join(root, 'sw.js'), '\n// deploy 2\n');
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
  const banner = page.getByTestId('update-ready');
  await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
  expect(await banner.textContent()).toMatch(/A new version of the app is ready/);
  await banner.getByRole('button', { name: 'Reload to update' }).click();
  await expect.poll(() => page.evaluate(() => document.readyState), { timeout: 20_000 }).toBe('complete');
  await expect.poll(() => page.getByTestId('update-ready').count(), { timeout: 20_000 }).toBe(0);
  // What is tested is done. Closing this context (a service worker mid-update) has been seen to take
  // two minutes when another test file loads the machine; the browser fixture closes it at the end anyway.
  await Promise.race([context.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  await server.close();
});
