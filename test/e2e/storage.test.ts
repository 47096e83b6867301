// Models and storage in the production build with the real WebLLM worker and
// Chromium's real IndexedDB: the download in bytes, the cache view, Delete,
// WebLLM's own cache check, the quota refusal, persistence status.
import type { Page } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { manifestFor } from '../support/synthetic-model';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';
import { routeModelHosts } from './model-host';
import { openModelSection } from './helpers';

const browser = useBrowser({ webgpu: true });

const MODEL = { shards: 4, shardBytes: 256 * 1024 };
const MISTRAL = 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC';
const MINISTRAL = 'Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC';

/** Every URL in one of WebLLM's IndexedDB caches, read in the page. */
function cachedUrls(page: Page, scope: string): Promise<string[]> {
  return page.evaluate(
    (name) =>
      new Promise<string[]>((resolve) => {
        const open = indexedDB.open(name);
        open.onupgradeneeded = () => open.transaction!.abort();
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const keys = open.result.transaction('urls').objectStore('urls').getAllKeys();
          keys.onsuccess = () => resolve(keys.result as string[]);
        };
      }),
    scope,
  );
}

async function openStorage(page: Page) {
  await openModelSection(page, 'Storage');
  await expect.poll(() => page.getByTestId('storage-usage').count()).toBe(1);
}

it('downloads a model in bytes into the cache, lists it, and Delete frees it (WebLLM agrees before and after)', async () => {
  const { context, page } = await openPage(browser(), `${inject('baseUrl')}/app/`);
  const host = await routeModelHosts(context, MODEL);
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL);
  expect(await page.getByTestId('model-details').textContent()).toMatch(/Download≈ 4\.\d+ GB.*\(estimate\)/);

  await page.getByRole('button', { name: 'Load' }).click();
  // Weights download for real; then WebLLM fails on the model library, which these hosts lack.
  const alert = page.locator('[role=alert][data-kind]');
  await expect.poll(() => alert.getAttribute('data-kind'), { timeout: 30_000 }).toBe('file-missing');
  expect(await alert.textContent()).toMatch(/Mistral-7B-Instruct-v0\.3-q4f32_1_cs1k-webgpu\.wasm is missing on raw\.githubusercontent\.com/);
  expect(host.requests.filter((u) => u.includes('params_shard'))).toHaveLength(4);

  // The picker now knows the exact size and that the model is cached.
  await expect.poll(() => page.getByTestId('model-details').textContent()).toMatch(/cached in this browser \(no download\)/);

  await openStorage(page);
  const row = page.locator(`tr[data-model-id="${MISTRAL}"]`);
  await expect.poll(() => row.count()).toBe(1);
  expect(await row.textContent()).toMatch(/4\/4 weight files, complete/);
  // 1 MiB of shards plus the manifest and chat config: between 1.00 and 1.01 MB.
  expect(await row.getByTestId('bytes-on-disk').textContent()).toMatch(/^1\.00 MB$/);
  expect(await page.getByTestId('storage-persisted').textContent()).toMatch(/persistent storage (not )?granted|does not say/);

  await row.getByRole('button', { name: /Delete/ }).click();
  await expect.poll(() => page.getByTestId('delete-result').textContent()).toMatch(/Deleted Mistral-7B-Instruct-v0\.3-q4f32_1-MLC \(6 files; WebLLM confirms it is gone\)\. Before: .* used of .*\. After: .* used of/);
  await expect.poll(() => row.count()).toBe(0);
  expect((await cachedUrls(page, 'webllm/model')).filter((u) => u.includes('Mistral-7B'))).toEqual([]);
  expect(await cachedUrls(page, 'webllm/config')).toEqual([]);
  await context.close();
});

it('lists a model seeded straight into WebLLM’s IndexedDB cache with its size, and deletes every record', async () => {
  const { context, page } = await openPage(browser(), `${inject('baseUrl')}/app/`);
  await routeModelHosts(context, MODEL, { unreachable: true });
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL);
  const base = `https://huggingface.co/mlc-ai/${MINISTRAL}/resolve/main/`;
  const manifest = manifestFor({ shards: 2, shardBytes: 512 * 1024 });
  await page.evaluate(
    async ({ base, manifest, shards }) => {
      const put = (db: string, url: string, data: unknown) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(db, 1);
          open.onupgradeneeded = () => open.result.createObjectStore('urls', { keyPath: 'url' });
          open.onsuccess = () => {
            const tx = open.result.transaction('urls', 'readwrite');
            tx.objectStore('urls').put({ url, data });
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        });
      await put('webllm/model', `${base}tensor-cache.json`, manifest);
      for (let i = 0; i < shards.count; i++) {
        const bytes = new Uint8Array(shards.size);
        for (let j = 0; j < bytes.length; j++) bytes[j] = (i * 31 + j) & 0xff; // as shardBytes() makes them
        await put('webllm/model', `${base}params_shard_${i}.bin`, bytes.buffer);
      }
    },
    { base, manifest, shards: { count: 2, size: 512 * 1024 } },
  );
  await openStorage(page);
  const row = page.locator(`tr[data-model-id="${MINISTRAL}"]`);
  await expect.poll(() => row.count()).toBe(1);
  expect(await row.textContent()).toMatch(/2\/2 weight files, complete/);
  expect(await row.getByTestId('bytes-on-disk').textContent()).toBe('1.00 MB');
  // A conversation in the app's own database must survive the deletion.
  const readConversation = () =>
    page.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          const open = indexedDB.open('mistral-local');
          open.onupgradeneeded = () => open.result.createObjectStore('conversations');
          open.onsuccess = () => {
            const get = open.result.transaction('conversations').objectStore('conversations').get('current');
            get.onsuccess = () => resolve(get.result);
          };
        }),
    );
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const open = indexedDB.open('mistral-local');
        open.onupgradeneeded = () => open.result.createObjectStore('conversations');
        open.onsuccess = () => {
          const tx = open.result.transaction('conversations', 'readwrite');
          tx.objectStore('conversations').put({ id: 'c', title: 't', createdAt: 1, updatedAt: 1, modelId: null, messages: [{ id: 'm', role: 'user', content: 'keep me', status: 'done' }] }, 'current');
          tx.oncomplete = () => resolve();
        };
      }),
  );
  const saved = await readConversation();
  expect(saved).toMatchObject({ messages: [{ content: 'keep me' }] });
  await row.getByRole('button', { name: /Delete/ }).click();
  await expect.poll(() => page.getByTestId('delete-result').textContent()).toMatch(/\(3 files; WebLLM confirms it is gone\)\..*Your conversations are kept/);
  expect(await cachedUrls(page, 'webllm/model')).toEqual([]);
  expect(await readConversation()).toEqual(saved);
  await context.close();
});

// Chromium's quota override limits real writes but not navigator.storage.estimate(), so the
// up-front refusal (estimate vs size) is covered by unit tests; this covers the write-time path.
it('when storage runs out mid-download, says so with the numbers and caches no partial shard', async () => {
  const { context, page } = await openPage(browser(), `${inject('baseUrl')}/app/`);
  await routeModelHosts(context, MODEL);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 300 * 1024 });
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL);
  await page.getByRole('button', { name: 'Load' }).click();
  const alert = page.locator('[role=alert][data-kind]');
  await expect.poll(() => alert.getAttribute('data-kind'), { timeout: 30_000 }).toBe('storage-full');
  expect(await alert.textContent()).toMatch(/Storage ran out while saving (params_shard_\d\.bin|tensor-cache\.json) of Mistral-7B-Instruct-v0\.3-q4f32_1-MLC: \d+(\.\d+)? (KB|MB) of weights still need space/);
  // Each shard is one IndexedDB record written in one transaction: none is half there.
  const shards = (await cachedUrls(page, 'webllm/model')).filter((u) => u.includes('params_shard'));
  expect(shards.length).toBeLessThan(MODEL.shards);
  await context.close();
});
