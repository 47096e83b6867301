// Recovering from a stopped engine and from a bad network, as a hurried user
// meets them: a double-click on Send, Restart right after a hang, Retry after
// the worker died mid-download, the notice on a long scrolled chat, a download
// that stalls, a connection that drops halfway through a file.
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { useBrowser } from './browser-fixture';
import { ask, loadScriptedModel, MISTRAL_Q4F32, openScripted, send, storedConversations, MISTRAL_Q4F32_NAME } from './helpers';
import type { SyntheticModel } from '../support/synthetic-model';

const browser = useBrowser({ webgpu: true });

const open = (model?: SyntheticModel) => openScripted(browser(), model, { ignoreHTTPSErrors: true });

const engineWorker = (page: Page) => page.workers().find((w) => w.url().includes('engine.worker'))!;
const status = (page: Page) => page.getByTestId('engine-status').textContent();
const alerts = (page: Page) => page.locator('[role=alert]').allTextContents();

it('a real double-click on Send sends once and the reply runs to its end', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  await page.locator('#prompt').fill('Tell me a story [tokens=40] [delay=10]');
  await page.getByRole('button', { name: 'Send' }).dblclick();
  const reply = page.locator('.message-assistant').first();
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
  expect(await page.locator('.message-user').count()).toBe(1);
  expect(((await reply.locator('.markdown').textContent()) ?? '').split(' ').length).toBeGreaterThanOrEqual(40);
  // A Stop pressed on purpose, later, still stops.
  const second = await send(page, 'Another one [tokens=2000] [delay=20]');
  await expect.poll(async () => ((await second.textContent()) ?? '').length).toBeGreaterThan(20);
  await page.waitForTimeout(600);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect.poll(() => second.getAttribute('data-status')).toBe('stopped');
  await context.close();
});

it('Restart right after the engine hung restarts in one click: no "in use in another tab", the stale alert is gone', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  // The worker's thread spins: it answers nothing, as a hung shader compile or an endless loop would.
  await engineWorker(page).evaluate(() => {
    setTimeout(() => {
      for (;;);
    });
  });
  const reply = await send(page, 'are you there?');
  const banner = page.getByTestId('engine-stopped');
  await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
  expect(await banner.textContent()).toMatch(/did not answer for \d+ s/);
  await banner.getByRole('button', { name: 'Restart engine' }).click();
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  expect((await alerts(page)).join(' ')).not.toMatch(/another tab|did not answer|stopped/);
  // It hung before its first word: nothing to keep, so the reply says what happened.
  expect(await reply.getAttribute('data-status')).toBe('error');
  expect(await reply.textContent()).toMatch(/did not answer/);
  expect(await ask(page, 'back again')).toMatch(/^Echo: .*back again/);
  await context.close();
});

it('the model panel’s Load after the worker died mid-download restarts the engine and finishes the load', { timeout: 90_000 }, async () => {
  const { context, page, host } = await open({ shards: 4, shardBytes: 64 * 1024 });
  host.override('params_shard_2.bin', 'hang');
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => host.requests.some((u) => u.endsWith('params_shard_2.bin')), { timeout: 20_000 }).toBe(true);
  await engineWorker(page).evaluate(() => (self as unknown as { close(): void }).close()).catch(() => {});
  await expect.poll(() => page.getByTestId('engine-stopped').count(), { timeout: 45_000 }).toBe(1);
  host.override('params_shard_2.bin', null);
  // The stopped load is over (no stale progress, no Retry that cannot help); Load restarts the engine first.
  expect(await page.locator('.load-progress').count()).toBe(0);
  await page.locator('.model-panel').getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  expect(await page.getByTestId('engine-stopped').count()).toBe(0);
  expect(await ask(page, 'loaded?')).toMatch(/^Echo: loaded\?/);
  await context.close();
});

it('on a long chat scrolled anywhere, the engine-stopped notice and Restart are in view, and the composer points to it', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  for (let i = 0; i < 10; i++) await ask(page, `Question ${i} [tokens=80] [delay=1]`);
  const reply = await send(page, 'A long answer [tokens=2000] [delay=20]');
  await expect.poll(async () => ((await reply.textContent()) ?? '').length).toBeGreaterThan(40);
  // The user scrolls back up to read an earlier answer.
  await page.locator('.message').first().scrollIntoViewIfNeeded();
  await engineWorker(page).evaluate(() => (self as unknown as { close(): void }).close()).catch(() => {});
  const banner = page.getByTestId('engine-stopped');
  await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
  for (const scroll of ['top', 'bottom'] as const) {
    await page.locator('.message').nth(scroll === 'top' ? 0 : -1).scrollIntoViewIfNeeded();
    const restart = banner.getByRole('button', { name: 'Restart engine' });
    expect(await isInViewport(restart), `Restart in view with the chat scrolled to the ${scroll}`).toBe(true);
  }
  expect(await page.locator('#prompt').getAttribute('placeholder')).toMatch(/Restart engine/);
  expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
  // What is stored: every earlier reply done, the cut one interrupted with its text.
  const [stored] = await storedConversations(page);
  expect(stored!.messages.filter((m) => m.role === 'assistant' && m.status === 'done')).toHaveLength(10);
  await expect.poll(async () => (await storedConversations(page))[0]!.messages.at(-1)!.status).toBe('interrupted');
  await context.close();
});

it('a download with no data for a few seconds says it is stalled instead of showing a frozen speed, and goes on when data comes', { timeout: 60_000 }, async () => {
  const { context, page, host } = await open({ shards: 4, shardBytes: 64 * 1024 });
  host.override('params_shard_2.bin', 'hang');
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  await page.getByRole('button', { name: 'Load' }).click();
  const progress = page.locator('.load-progress');
  await expect.poll(() => progress.textContent(), { timeout: 20_000 }).toMatch(/stalled: no data for a few seconds/);
  expect(await progress.textContent()).not.toMatch(/\/s\b|left/);
  host.override('params_shard_2.bin', null);
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  await context.close();
});

it('a connection that drops halfway through a file is named a network problem, not a damaged file; Retry finishes', { timeout: 60_000 }, async () => {
  const { context, page, host } = await open({ shards: 4, shardBytes: 64 * 1024 });
  host.override('params_shard_1.bin', 'cut');
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  await page.getByRole('button', { name: 'Load' }).click();
  const alert = page.locator('[role=alert][data-kind]');
  await expect.poll(() => alert.getAttribute('data-kind'), { timeout: 40_000 }).toBe('network');
  const text = (await alert.textContent()) ?? '';
  expect(text).toMatch(/connection dropped mid-file/);
  expect(text).not.toMatch(/integrity/);
  host.override('params_shard_1.bin', null);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  await context.close();
});

/** Whether the element's box lies inside the viewport (not scrolled out, not clipped by the window). */
async function isInViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
  });
}
