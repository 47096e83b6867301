// Faults injected in a real browser: the engine worker killed during a reply
// and during a load, the GPU device lost mid-reply, the network dropping
// during a download, storage running out while saving a conversation.
import type { Page } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { useBrowser } from './browser-fixture';
import { ask, loadScriptedModel, MISTRAL_Q4F32, openScripted, send, MISTRAL_Q4F32_NAME, openChatSettings, closeChatSettings } from './helpers';
import type { SyntheticModel } from '../support/synthetic-model';

const browser = useBrowser({ webgpu: true });

const open = (model?: SyntheticModel) => openScripted(browser(), model);

/** Kills the engine worker the way a crash would: it just stops, with no message. */
async function killEngineWorker(page: Page): Promise<void> {
  const worker = page.workers().find((w) => w.url().includes('engine.worker'));
  expect(worker).toBeDefined();
  await worker!.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => {});
}

it('a worker that dies mid-reply: the partial reply is kept and marked, one click restarts and reloads, the next request is served', async () => {
  const { context, page, host } = await open();
  await loadScriptedModel(page);
  const reply = await send(page, 'Tell me everything [tokens=2000] [delay=20]');
  await expect.poll(async () => ((await reply.textContent()) ?? '').length).toBeGreaterThan(40);
  await killEngineWorker(page);

  const banner = page.getByTestId('engine-stopped');
  await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
  expect(await banner.textContent()).toMatch(/did not answer|stopped answering/);
  await expect.poll(() => reply.getAttribute('data-status')).toBe('interrupted');
  expect(((await reply.locator('.markdown').textContent()) ?? '').length).toBeGreaterThan(40);

  const shardsBefore = host.requests.filter((u) => u.includes('params_shard')).length;
  await banner.getByRole('button', { name: 'Restart engine' }).click();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  expect(await page.getByTestId('load-done').textContent()).toMatch(/from this browser’s cache/);
  expect(host.requests.filter((u) => u.includes('params_shard')).length).toBe(shardsBefore);
  expect(await ask(page, 'Are you back?')).toMatch(/^Echo: Are you back\?/);
  await context.close();
});

it('a worker that dies during a load: the load ends with a clear state and a restart loads the model', { timeout: 90_000 }, async () => {
  const { context, page, host } = await open();
  // Hold the manifest so the load is in flight when the worker dies.
  host.override('tensor-cache.json', 'unreachable');
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => page.locator('.load-progress').count()).toBe(1);
  await killEngineWorker(page);
  // While a load is in flight the watchdog allows 30 s (a real load can keep the worker busy).
  const banner = page.getByTestId('engine-stopped');
  await expect.poll(() => banner.count(), { timeout: 45_000 }).toBe(1);
  expect(await page.locator('.load-progress').count()).toBe(0);
  host.override('tensor-cache.json', null);
  await banner.getByRole('button', { name: 'Restart engine' }).click();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  expect(await ask(page, 'hello')).toMatch(/^Echo: hello/);
  await context.close();
});

it('a GPU device lost mid-reply: the reply so far is kept, the model panel offers to reload, and it serves again', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  const reply = await send(page, '[device-lost] a reply [tokens=100]');
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 20_000 }).toBe('interrupted');
  expect(await reply.textContent()).toMatch(/GPU device was lost/);
  const alert = page.locator('[role=alert][data-kind]');
  expect(await alert.getAttribute('data-kind')).toBe('device-lost');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  expect(await ask(page, 'still here?')).toMatch(/^Echo: still here\?/);
  await context.close();
});

it('an uncaught error in the worker: treated as a crash, with a restart', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  const worker = page.workers().find((w) => w.url().includes('engine.worker'))!;
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('boom from the worker');
    });
  });
  const banner = page.getByTestId('engine-stopped');
  await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
  expect(await banner.textContent()).toMatch(/The engine crashed: .*boom from the worker/);
  await banner.getByRole('button', { name: 'Restart engine' }).click();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  expect(await ask(page, 'after the crash')).toMatch(/^Echo: after the crash/);
  await context.close();
});

it('a GPU device lost during a load: a readable message with Retry, which then loads', async () => {
  const { context, page } = await open();
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  const worker = () => page.workers().find((w) => w.url().includes('engine.worker'))!;
  await worker().evaluate(() => ((globalThis as { __scriptedLoadFault?: string }).__scriptedLoadFault = 'DeviceLostError'));
  await page.getByRole('button', { name: 'Load' }).click();
  const alert = page.locator('[role=alert][data-kind]');
  await expect.poll(() => alert.getAttribute('data-kind'), { timeout: 30_000 }).toBe('device-lost');
  expect(await alert.textContent()).toMatch(/The GPU device was lost while loading .* most often because it ran out of memory/);
  await worker().evaluate(() => delete (globalThis as { __scriptedLoadFault?: string }).__scriptedLoadFault);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  await context.close();
});

it('the network dropping mid-download pauses with a message; Retry resumes without fetching finished files again', async () => {
  const { context, page, host } = await open({ shards: 8, shardBytes: 64 * 1024 });
  // Shards 0-3 arrive; then the network goes away.
  for (let i = 4; i < 8; i++) host.override(`params_shard_${i}.bin`, 'unreachable');
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  await page.getByRole('button', { name: 'Load' }).click();
  const alert = page.locator('[role=alert][data-kind]');
  await expect.poll(() => alert.getAttribute('data-kind'), { timeout: 40_000 }).toBe('network');
  expect(await alert.textContent()).toMatch(/Could not reach huggingface\.co to download params_shard_\d\.bin\. Check your connection and retry; finished files are kept\./);
  const fetchedBefore = new Set(host.requests.filter((u) => /params_shard_[0-3]/.test(u)));
  expect(fetchedBefore.size).toBe(4);

  for (let i = 4; i < 8; i++) host.override(`params_shard_${i}.bin`, null);
  const countBefore = host.requests.length;
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  const refetched = host.requests.slice(countBefore).filter((u) => u.includes('params_shard'));
  expect(refetched.every((u) => /params_shard_[4-7]/.test(u))).toBe(true);
  expect(new Set(refetched).size).toBe(4);
  await context.close();
});

it('storage full while saving a conversation: a clear message, and what is on screen stays', async () => {
  const { context, page } = await open();
  // Chromium's quota override reliably refuses writes when set before the origin stores anything.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 1 });
  await expect.poll(() => page.locator('.conversation-title').count(), { timeout: 30_000 }).toBe(1);
  await openChatSettings(page);
  await page.locator('#system-prompt').fill('Keep this prompt.');
  await closeChatSettings(page);
  await expect.poll(() => page.locator('main [role=alert]').textContent()).toMatch(/storage is full, so this conversation could not be saved\. Free space .* nothing on screen is lost/);
  expect(await page.locator('#system-prompt').inputValue()).toBe('Keep this prompt.');
  await context.close();
});

it('two tabs: one holds the model at a time; the other says so and can take it over; the first is told', async () => {
  const { context, page: first } = await open();
  await loadScriptedModel(first);
  const second = await context.newPage();
  await second.goto(`${inject('baseUrl')}/scripted/`);
  await expect.poll(() => second.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  await second.getByRole('button', { name: 'Load' }).click();
  const elsewhere = second.locator('[role=alert][data-kind=in-use-elsewhere]');
  await expect.poll(() => elsewhere.count(), { timeout: 20_000 }).toBe(1);
  expect(await elsewhere.textContent()).toMatch(/is in use in another tab/);

  await elsewhere.getByRole('button', { name: 'Use the model here' }).click();
  await expect.poll(() => second.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  const told = first.locator('[role=alert][data-kind=in-use-elsewhere]');
  await expect.poll(() => told.count(), { timeout: 20_000 }).toBe(1);
  expect(await told.textContent()).toMatch(/Another tab of this app took over the model/);
  expect(await first.getByTestId('engine-status').textContent()).not.toMatch(/^Ready/);
  expect(await ask(second, 'from the second tab')).toMatch(/^Echo: from the second tab/);

  // And back again.
  await told.getByRole('button', { name: 'Use the model here' }).click();
  await expect.poll(() => first.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  await expect.poll(() => second.locator('[role=alert][data-kind=in-use-elsewhere]').count(), { timeout: 20_000 }).toBe(1);
  await context.close();
});
