// Steps several browser tests share.
import type { Browser, Locator, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { openPage } from './browser';
import { routeModelHosts } from './model-host';
import type { SyntheticModel } from '../support/synthetic-model';

export const MISTRAL_Q4F32 = 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC';
/** How the header names it (ids stay in its data-model-id). */
export const MISTRAL_Q4F32_NAME = 'Mistral 7B Instruct v0.3 (q4f32_1)';

/** A fresh context on the scripted build, with the model hosts played by routes. */
export async function openScripted(browser: Browser, model: SyntheticModel = { shards: 2, shardBytes: 4096 }, options: { ignoreHTTPSErrors?: boolean } = {}) {
  const opened = await openPage(browser, 'about:blank', undefined, options);
  const host = await routeModelHosts(opened.context, model);
  await opened.page.goto(`${inject('baseUrl')}/scripted/`);
  return { ...opened, host };
}

/**
 * Loads the recommended model in the scripted build (model hosts must be routed).
 * After a reload the model that was loaded loads by itself when cached: then this waits for it.
 */
export async function loadScriptedModel(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  const status = page.getByTestId('engine-status');
  // The start-up auto-load begins in the same render that fills the picker.
  if ((await status.textContent()) === 'No model loaded' && (await page.locator('.load-progress').count()) === 0) await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
}

/** Types a prompt, presses Enter, and returns the reply it starts (not waiting for it to finish). */
export async function send(page: Page, prompt: string): Promise<Locator> {
  const before = await page.locator('.message-assistant').count();
  await page.locator('#prompt').fill(prompt);
  await page.locator('#prompt').press('Enter');
  return page.locator('.message-assistant').nth(before);
}

/** Sends a prompt and waits until its reply is finished; returns the reply's text. */
export async function ask(page: Page, prompt: string): Promise<string> {
  const reply = await send(page, prompt);
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  return (await reply.locator('.markdown').textContent()) ?? '';
}

/** The conversations as IndexedDB holds them now (raw records, read in the page). */
export function storedConversations(page: Page): Promise<{ id: string; title: string; messages: { id: string; role: string; content: string; status: string }[] }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('mistral-local');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('conversations')) return resolve([]);
          const all = db.transaction('conversations').objectStore('conversations').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** The texts of the messages on screen, in order. */
export function shownMessages(page: Page): Promise<string[]> {
  return page.locator('.message').evaluateAll((els) => els.map((e) => (e.querySelector('.message-content, .markdown')?.textContent ?? '').trim()));
}

/** Opens the model panel (it folds to one line once a model is ready). */
export async function openModelPanel(page: Page): Promise<void> {
  const panel = page.locator('#model-panel');
  if (!(await panel.evaluate((d: HTMLDetailsElement) => d.open))) await panel.locator('> summary').click();
}

/** Opens the chat's settings dialog. */
export async function openChatSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings for this chat' }).click();
  await page.getByRole('dialog', { name: 'Settings for this chat' }).waitFor();
}

/** Closes it with its Done button (what a field being edited holds is committed on the way out). */
export async function closeChatSettings(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Settings for this chat' });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Exports the current chat from the chat menu; resolves with the download. */
export async function exportChat(page: Page, format: 'Markdown' | 'JSON') {
  await page.getByRole('button', { name: 'Chat options' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#chat-menu').getByRole('button', { name: `Export ${format}` }).click()]);
  return download;
}

/** Opens a section of the model panel. */
export async function openModelSection(page: Page, section: 'Storage' | 'Custom models'): Promise<void> {
  await openModelPanel(page);
  const panel = page.locator('#model-panel');
  const summary = panel.locator('details > summary', { hasText: section });
  if (!(await summary.evaluate((s) => (s.parentElement as HTMLDetailsElement).open))) await summary.click();
}

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (injected through the CDP, outside the page's CSP) and returns serious/critical findings. */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await AXE_SOURCE);
  const result = (await page.evaluate(() => (window as unknown as { axe: { run(o: object): Promise<{ violations: AxeViolation[] }> } }).axe.run({ resultTypes: ['violations'] }))) as {
    violations: AxeViolation[];
  };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
