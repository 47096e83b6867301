// The chat UI with real tokens: the production app registers the tiny model
// as a user registers their own build, downloads it, streams a real reply,
// stops one, and after a reload loads it again from the cache without a
// single network request.
import { expect, inject, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';
import { closeChatSettings, openChatSettings, send, openModelSection } from './helpers';
import { routeTinyModel, TINY_LIB_URL, TINY_MODEL_ID, TINY_MODEL_URL } from './tiny-model-host';

const browser = useBrowser({ webgpu: true });

it('adds, downloads and loads the tiny model; streams a real reply; Stop works; a reload loads it from the cache with no request', async () => {
  const { context, page, errors } = await openPage(browser(), `${inject('baseUrl')}/app/`);
  const host = await routeTinyModel(context);
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe('No model loaded');

  await openModelSection(page, 'Custom models');
  await page.getByLabel(/Model URL/).fill(TINY_MODEL_URL);
  await page.getByLabel(/Model library URL/).fill(TINY_LIB_URL);
  await page.getByRole('button', { name: 'Add model' }).click();
  await expect.poll(() => page.locator('#model-select option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))).toContain(TINY_MODEL_ID);
  await page.locator('#model-select').selectOption(TINY_MODEL_ID);
  await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 120_000 }).toBe(`Ready: ${TINY_MODEL_ID} (custom)`);

  // A real reply streams in and ends with its stats (kept short: SwiftShader decodes ~15 tokens/s).
  // Seeded from the first message: random weights can end a reply with </s> at once, and the
  // long reply below depends on this one, so both must be the same on every run.
  await openChatSettings(page);
  await page.getByLabel('Max reply tokens').fill('24');
  await page.getByLabel('Seed').fill('5');
  await closeChatSettings(page);
  const reply = await send(page, 'Hello there');
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
  expect(((await reply.locator('.markdown').textContent()) ?? '').length).toBeGreaterThan(0);
  expect(await reply.textContent()).toMatch(/tokens\/s/);

  // Stop in the middle of a long one.
  await openChatSettings(page);
  await page.getByLabel('Max reply tokens').fill('400');
  await closeChatSettings(page);
  const long = await send(page, 'Tell me everything');
  await expect.poll(async () => ((await long.locator('.markdown').textContent()) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(5);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect.poll(() => long.getAttribute('data-status'), { timeout: 15_000 }).toBe('stopped');

  // After a reload: the custom model is still registered and, as the last one used and cached,
  // loads by itself from IndexedDB.
  const before = host.requests.length;
  await page.reload();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 120_000 }).toBe(`Ready: ${TINY_MODEL_ID} (custom)`);
  await expect(page.getByTestId('load-done').textContent()).resolves.toMatch(/from this browser’s cache/);
  expect(host.requests.slice(before)).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
}, 240_000);
