// The whole chat path in a real browser, with the scripted engine in the
// worker (test build): load, stream, Stop mid-stream, send again, reload.
import { expect, inject, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';
import { openModelPanel } from './helpers';
import { routeModelHosts } from './model-host';

const browser = useBrowser({ webgpu: true });

it('streams a reply, stops it mid-stream, sends again, and keeps the conversation across a reload', async () => {
  const { context, page, errors } = await openPage(browser(), `${inject('baseUrl')}/scripted/`);
  // The weights are downloaded for real (synthetic files) before the scripted engine takes over.
  const host = await routeModelHosts(context, { shards: 4, shardBytes: 256 * 1024 });

  // SwiftShader has no shader-f16: the recommended pick is a q4f32_1 variant.
  const select = page.locator('#model-select');
  await expect.poll(() => select.inputValue()).toBe('Mistral-7B-Instruct-v0.3-q4f32_1-MLC');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe('Ready: Mistral 7B Instruct v0.3 (q4f32_1)');
  expect(host.requests.filter((u) => u.includes('params_shard'))).toHaveLength(4);

  const prompt = page.locator('#prompt');
  await prompt.fill('Tell me a long story [tokens=400]');
  await prompt.press('Enter');
  const reply = page.locator('.message-assistant').last();
  await expect.poll(() => reply.getAttribute('data-status')).toBe('streaming');
  await expect.poll(async () => (await reply.textContent())?.length ?? 0).toBeGreaterThan(40);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect.poll(() => reply.getAttribute('data-status')).toBe('stopped');
  const stoppedText = (await reply.locator('.markdown').textContent()) ?? '';
  expect(stoppedText).toMatch(/^Echo: Tell me a long story/);
  // 400 tokens at 40 ms each would take 16 s: Stop cut it short.
  expect(stoppedText.split(' ').length).toBeLessThan(300);

  // Shift+Enter adds a line instead of sending.
  await prompt.fill('Second question');
  await prompt.press('Shift+Enter');
  await prompt.type('on two lines');
  expect(await prompt.inputValue()).toBe('Second question\non two lines');
  await prompt.press('Enter');
  const second = page.locator('.message-assistant').nth(1);
  await expect.poll(() => second.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
  expect(await second.locator('.markdown').textContent()).toMatch(/^Echo: Second question\s+on two lines/);
  expect(await second.locator('.message-stats').textContent()).toMatch(/tokens/);



  // The conversation is in IndexedDB: it survives a reload.
  await page.reload();
  await expect.poll(() => page.locator('.message').count()).toBe(4);
  expect(await page.locator('.message-assistant').first().getAttribute('data-status')).toBe('stopped');
  // The model loads again by itself (the last one used, cached) from IndexedDB: no second download.
  await expect.poll(() => page.getByTestId('load-done').textContent(), { timeout: 30_000 }).toMatch(/from this browser’s cache \(no download\)/);
  // With the setting off, a reload leaves the choice to the user. (The model panel folded itself once the model was ready.)
  expect(await page.locator('#model-panel').evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
  await openModelPanel(page);
  await page.getByLabel(/Load the last model by itself/).uncheck();
  await page.reload();
  await expect.poll(() => page.locator('#model-select').isEnabled(), { timeout: 30_000 }).toBe(true);
  await page.waitForTimeout(1000);
  expect(await page.getByTestId('engine-status').textContent()).toBe('No model loaded');
  expect(await page.getByLabel(/Load the last model by itself/).isChecked()).toBe(false);
  await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => page.getByTestId('load-done').textContent(), { timeout: 30_000 }).toMatch(/from this browser’s cache \(no download\)/);
  expect(host.requests.filter((u) => u.includes('params_shard'))).toHaveLength(4);
  expect(errors).toEqual([]);
  await context.close();
});
