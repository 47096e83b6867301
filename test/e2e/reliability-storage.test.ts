// Damaged storage, as a user's profile can hold it: a record that is not a
// conversation, a message that is not a message, a database without its
// object store, a cached shard truncated or replaced by a web page after a
// verified download. None may hide data, block loads, or be trusted.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { useBrowser } from './browser-fixture';
import { ask, loadScriptedModel, MISTRAL_Q4F32, openScripted, shownMessages, openModelSection } from './helpers';
import type { SyntheticModel } from '../support/synthetic-model';

const browser = useBrowser({ webgpu: true });

const open = (model?: SyntheticModel) => openScripted(browser(), model);

/** Writes a raw record into one of the app's databases, as a damaged profile would hold it. */
function putRaw(page: Page, db: string, store: string, key: string, value: unknown, keyPath = false): Promise<void> {
  return page.evaluate(
    ([dbName, storeName, k, v, inline]) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(dbName as string);
        request.onsuccess = () => {
          const tx = request.result.transaction(storeName as string, 'readwrite');
          if (inline) tx.objectStore(storeName as string).put(v);
          else tx.objectStore(storeName as string).put(v, k as string);
          tx.oncomplete = () => {
            request.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        request.onerror = () => reject(request.error);
      }),
    [db, store, key, value, keyPath] as const,
  );
}

it('a damaged conversation record is listed apart, with export and delete; the others show; a damaged message is kept, not shown', async () => {
  const { context, page, errors } = await open();
  await loadScriptedModel(page);
  await ask(page, 'a healthy conversation');
  const [healthy] = await page.evaluate(() => [document.querySelector('.chat-title')?.textContent]);
  await putRaw(page, 'mistral-local', 'conversations', 'broken-1', { id: 'broken-1', title: 'Broken', messages: 'not an array' });
  // A readable conversation with one message whose content is not a string.
  await putRaw(page, 'mistral-local', 'conversations', 'half', {
    id: 'half',
    title: 'Half damaged',
    createdAt: 1,
    updatedAt: Date.now() + 1000,
    modelId: null,
    settings: {},
    messages: [
      { id: 'ok', role: 'user', content: 'readable question', status: 'done' },
      { id: 'bad', role: 'assistant', content: { not: 'text' }, status: 'done' },
    ],
  });
  await page.reload();
  await expect.poll(() => page.locator('.conversation-title').allTextContents()).toEqual(['Half damaged', healthy]);
  const damaged = page.getByTestId('damaged');
  expect(await damaged.textContent()).toMatch(/One stored conversation is damaged .* Export keeps its raw data/);
  const download = page.waitForEvent('download');
  await damaged.getByRole('button', { name: 'Export raw JSON' }).click();
  expect(await (await download).suggestedFilename()).toMatch(/^damaged-conversation-broken-1\.json$/);
  // The half-damaged chat shows its readable message and says one is damaged.
  await expect.poll(() => shownMessages(page)).toEqual(['readable question']);
  expect(await page.getByTestId('damaged-messages').textContent()).toMatch(/One stored message of this chat is damaged and not shown; they are kept/);
  // A change to it keeps the damaged message stored as it was.
  await page.locator('.conversation-list li.current button[aria-label^="Rename"]').click();
  await page.locator('.conversation-list li.current input').fill('Renamed');
  await page.locator('.conversation-list li.current input').press('Enter');
  await expect.poll(() => page.locator('.chat-title').textContent()).toBe('Renamed');
  await page.reload();
  await expect.poll(() => page.getByTestId('damaged-messages').count()).toBe(1);
  await page.getByTestId('damaged').getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => page.getByTestId('damaged').count()).toBe(0);
  expect(errors).toEqual([]);
  await context.close();
});

it('databases that exist without their object store are repaired: the model loads, conversations save', async () => {
  const { context, page } = await open();
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  // What a plain indexedDB.open of each name leaves behind: the database, no store.
  await page.evaluate(async () => {
    for (const name of ['mistral-local-cache-meta', 'mistral-local-custom-models', 'mistral-local', 'mistral-local-ui', 'webllm/model']) {
      await new Promise<void>((resolve) => {
        const deleting = indexedDB.deleteDatabase(name);
        deleting.onsuccess = deleting.onerror = deleting.onblocked = () => resolve();
      });
      await new Promise<void>((resolve) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
      });
    }
  });
  await page.reload();
  await loadScriptedModel(page);
  expect(await ask(page, 'saved after the repair')).toMatch(/^Echo: saved after the repair/);
  await page.reload();
  await expect.poll(() => shownMessages(page)).toEqual(['saved after the repair', expect.stringMatching(/^Echo: saved after the repair/)]);
  await context.close();
});

it('a shard truncated or replaced by a web page after a verified download is found before the next load and fetched again', async () => {
  const { context, page, host } = await open({ shards: 4, shardBytes: 8192 });
  await loadScriptedModel(page);
  const shardUrl = (i: number) => host.requests.find((u) => u.endsWith(`params_shard_${i}.bin`))!;
  await putRaw(page, 'webllm/model', 'urls', '', { url: shardUrl(1), data: new ArrayBuffer(100) }, true);
  await putRaw(page, 'webllm/model', 'urls', '', { url: shardUrl(2), data: '<!doctype html><p>Sign in to the Wi-Fi' }, true);
  // The storage view does not call it complete.
  await openModelSection(page, 'Storage');
  await expect.poll(() => page.locator('.storage-panel, [aria-label="Storage"]').first().textContent(), { timeout: 15_000 }).toMatch(/2\/4 weight files, partial .*2 damaged/);
  const before = host.requests.length;
  await page.reload();
  await loadScriptedModel(page);
  const refetched = host.requests.slice(before).filter((u) => u.includes('params_shard'));
  expect(refetched.map((u) => u.split('/').pop()).sort()).toEqual(['params_shard_1.bin', 'params_shard_2.bin']);
  await context.close();
});
