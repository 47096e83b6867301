// The production build with the real WebLLM worker in Chromium with a real
// (SwiftShader) WebGPU adapter: detection, variant choice, and a load whose
// model host is unreachable.
import { expect, inject, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';

const browser = useBrowser({ webgpu: true });

it('detects the adapter, offers only q4f32_1 variants, and a load with the host unreachable or a file missing ends in a readable error', async () => {
  const { context, page, errors } = await openPage(browser(), 'about:blank');
  // WebLLM's chunk held back until the picker is up: the picker must not need it.
  let releaseWebLLM!: () => void;
  const webllmHeld = new Promise<void>((release) => (releaseWebLLM = release));
  let webllmRequested = false;
  await context.route(/engine\.worker-lib-[^/]+\.js$/, async (route) => {
    webllmRequested = true;
    await webllmHeld;
    await route.continue();
  });
  await page.goto(`${inject('baseUrl')}/app/`);
  // Model host requests fail like a dropped connection, on any machine; the
  // Ministral repository answers 404 instead, like a missing file.
  await context.route(/huggingface\.co|raw\.githubusercontent\.com/, (route) =>
    /Ministral/.test(route.request().url()) ? route.fulfill({ status: 404, body: 'Entry not found' }) : route.abort('internetdisconnected'),
  );

  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toBe('No model loaded');
  await expect(page.locator('.notice-warn').textContent()).resolves.toMatch(/software adapter \(swiftshader\)/);
  const options = await page.locator('#model-select option').evaluateAll((els) =>
    els.map((e) => ({ id: (e as HTMLOptionElement).value, disabled: (e as HTMLOptionElement).disabled })),
  );
  expect(options.filter((o) => !o.disabled).map((o) => o.id)).toEqual(['Mistral-7B-Instruct-v0.3-q4f32_1-MLC', 'Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC']);
  expect(options.filter((o) => o.disabled).every((o) => o.id.includes('q4f16_1'))).toBe(true);
  expect(await page.locator('#model-select').inputValue()).toBe('Mistral-7B-Instruct-v0.3-q4f32_1-MLC');
  // The picker came up with WebLLM still held; with a usable GPU it is prefetched after that.
  await expect.poll(() => webllmRequested, { timeout: 10_000 }).toBe(true);
  releaseWebLLM();

  await page.getByRole('button', { name: 'Load' }).click();
  const alert = page.locator('[role=alert][data-kind]');
  await expect.poll(() => alert.getAttribute('data-kind'), { timeout: 30_000 }).toBe('network');
  expect(await alert.textContent()).toMatch(/Could not reach huggingface\.co to download tensor-cache\.json/);

  // Still usable: retry, or pick another model.
  await page.getByRole('button', { name: 'Pick another model' }).click();
  await expect.poll(() => page.locator('#model-select').isEnabled()).toBe(true);
  await page.locator('#model-select').selectOption('Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => alert.getAttribute('data-kind'), { timeout: 30_000 }).toBe('file-missing');
  expect(await alert.textContent()).toMatch(/tensor-cache\.json for Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC could not be downloaded \(HTTP 404\)/);
  await expect(page.getByRole('button', { name: 'Retry' }).isEnabled()).resolves.toBe(true);
  expect(errors).toEqual([]);
  await context.close();
});
