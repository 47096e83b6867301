// Plain headless Chromium: navigator.gpu exists but requestAdapter() returns
// null, the real "no usable WebGPU" path.
import { expect, inject, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';

const browser = useBrowser({ webgpu: false });

it('says WebGPU is unavailable, names browsers that work, and still shows the saved conversation', async () => {
  const { context, page } = await openPage(browser(), `${inject('baseUrl')}/app/`);
  const requested: string[] = [];
  context.on('request', (r) => requested.push(r.url()));
  // Save a conversation the way the app does (idb-keyval's store), then reload.
  await page.evaluate(async () => {
    const open = indexedDB.open('mistral-local');
    open.onupgradeneeded = () => open.result.createObjectStore('conversations');
    const db: IDBDatabase = await new Promise((ok) => (open.onsuccess = () => ok(open.result)));
    const tx = db.transaction('conversations', 'readwrite');
    tx.objectStore('conversations').put(
      {
        id: 'c1',
        title: 'Saved',
        createdAt: 1,
        updatedAt: 1,
        modelId: null,
        messages: [
          { id: 'm1', role: 'user', content: 'What is WebGPU?', status: 'done' },
          { id: 'm2', role: 'assistant', content: 'A web API for GPUs.', status: 'done' },
        ],
      },
      'current',
    );
    await new Promise((ok) => (tx.oncomplete = ok));
    db.close();
  });
  await page.reload();
  const notice = page.getByRole('alert').filter({ hasText: 'WebGPU is not available' });
  await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
  const text = (await notice.textContent()) ?? '';
  expect(text).toMatch(/no usable GPU adapter/);
  expect(text).toMatch(/Chrome or Edge 113\+/);
  expect(text).toMatch(/enable-unsafe-webgpu/);
  expect(await page.getByTestId('engine-status').textContent()).toBe('WebGPU unavailable');
  // The saved conversation is read and shown after the notice can be (CI once read it before it was there).
  const messages = async () => (await page.locator('.message-user .message-content, .message-assistant .markdown').allTextContents()).map((t) => t.trim());
  await expect.poll(messages, { timeout: 10_000 }).toEqual(['What is WebGPU?', 'A web API for GPUs.']);
  // No endless spinner: no load UI at all, and the input says why it is off.
  expect(await page.locator('.load-progress').count()).toBe(0);
  expect(await page.locator('#prompt').getAttribute('placeholder')).toBe('Load a model to start chatting');
  // WebLLM (6 MB) was never downloaded; the engine worker's small entry was.
  await page.waitForTimeout(2500);
  expect(requested.some((u) => /engine\.worker-[^/]+\.js$/.test(u) && !u.includes('engine.worker-lib-'))).toBe(true);
  expect(requested.filter((u) => u.includes('engine.worker-lib-'))).toEqual([]);
  await context.close();
});

it('without JavaScript the page still names the app and says what it needs; with it, the app replaces that header', async () => {
  const context = await browser().newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${inject('baseUrl')}/app/`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mistral, in your browser');
  expect(await page.locator('body').innerText()).toContain('JavaScript is turned off here');
  await context.close();

  const { context: withJs, page: app } = await openPage(browser(), `${inject('baseUrl')}/app/`);
  await expect.poll(() => app.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe('WebGPU unavailable');
  // One header: index.html's is gone.
  expect(await app.getByRole('heading', { level: 1 }).count()).toBe(1);
  expect(await app.getByText('Starting…').count()).toBe(0);
  await withJs.close();
});
