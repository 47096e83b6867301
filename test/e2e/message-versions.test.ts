// Answer and question versions in one conversation: Regenerate keeps the old
// reply, editing an earlier question keeps what followed it, ‹ / › switch, and
// export and reloads follow the versions shown.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { useBrowser } from './browser-fixture';
import { ask, exportChat, loadScriptedModel, openScripted } from './helpers';

const browser = useBrowser({ webgpu: true });
const texts = (page: Page) => page.locator('.message').evaluateAll((els) => els.map((e) => (e.querySelector('.message-content, .markdown')?.textContent ?? '').trim().split(' ').slice(0, 3).join(' ')));

it('Regenerate keeps the earlier reply as a version; ‹ / › switch between them, also after a reload', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  const full = await ask(page, 'tell me [tokens=60] [delay=5]');
  const reply = page.locator('.message-assistant').last();
  // A second version, stopped early: shorter, and marked Stopped.
  await reply.getByRole('button', { name: 'Regenerate' }).click();
  await expect.poll(async () => ((await reply.locator('.markdown').textContent()) ?? '').length).toBeGreaterThan(5);
  await page.keyboard.press('Escape');
  await expect.poll(() => reply.getAttribute('data-status')).toBe('stopped');
  const stopped = (await reply.locator('.markdown').textContent()) ?? '';
  expect(stopped.length).toBeLessThan(full.length);
  const switcher = reply.getByRole('group', { name: /^Reply version/ });
  expect(await switcher.getAttribute('aria-label')).toBe('Reply version 2 of 2');

  await reply.getByRole('button', { name: 'Previous version' }).click();
  await expect.poll(() => reply.locator('.markdown').textContent()).toBe(full);
  expect(await reply.getAttribute('data-status')).toBe('done');
  expect(await switcher.getAttribute('aria-label')).toBe('Reply version 1 of 2');
  await page.waitForTimeout(300);
  await page.reload();
  await expect.poll(() => page.locator('.message-assistant').last().locator('.markdown').textContent()).toBe(full);
  await page.locator('.message-assistant').last().getByRole('button', { name: 'Next version' }).click();
  await expect.poll(() => page.locator('.message-assistant').last().locator('.markdown').textContent()).toBe(stopped);
  expect(await page.locator('.message-assistant').last().textContent()).toMatch(/Stopped/);
  await context.close();
});

it('editing an earlier question keeps the conversation: the new version has its own reply, the old one comes back with what followed it; export follows', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  await ask(page, 'first question [tokens=3]');
  await ask(page, 'second question [tokens=3]');
  await ask(page, 'third question [tokens=3]');
  const before = await texts(page);
  expect(before).toEqual(['first question [tokens=3]', 'Echo: first question', 'second question [tokens=3]', 'Echo: second question', 'third question [tokens=3]', 'Echo: third question']);

  const second = page.locator('.message-user').nth(1);
  await second.getByRole('button', { name: 'Edit' }).click();
  await second.locator('textarea').fill('changed question [tokens=3]');
  await second.getByRole('button', { name: 'Save and resend' }).click();
  await expect.poll(() => texts(page)).toEqual(['first question [tokens=3]', 'Echo: first question', 'changed question [tokens=3]', 'Echo: changed question']);
  await expect.poll(() => page.locator('.message-assistant').last().getAttribute('data-status')).toBe('done');
  // Still one conversation (no "(edited)" copy), and the question says it has two versions.
  expect(await page.locator('.conversation-title').count()).toBe(1);
  expect(await second.getByRole('group', { name: /^Question version/ }).getAttribute('aria-label')).toBe('Question version 2 of 2');

  // Export shows the versions on screen.
  const exported = async () => {
    const file = await exportChat(page, 'JSON');
    return (JSON.parse(await readFile((await file.path())!, 'utf8')) as { messages: { content: string }[] }).messages.map((m) => m.content.split(' ').slice(0, 2).join(' '));
  };
  expect(await exported()).toEqual(['first question', 'Echo: first', 'changed question', 'Echo: changed']);

  await second.getByRole('button', { name: 'Previous version' }).click();
  await expect.poll(() => texts(page)).toEqual(before);
  expect(await exported()).toEqual(['first question', 'Echo: first', 'second question', 'Echo: second', 'third question', 'Echo: third']);
  // The next question goes on from the version shown.
  expect(await ask(page, 'fourth question [tokens=3]')).toMatch(/^Echo: fourth question/);
  await second.getByRole('button', { name: 'Next version' }).click();
  await expect.poll(() => texts(page)).toEqual(['first question [tokens=3]', 'Echo: first question', 'changed question [tokens=3]', 'Echo: changed question']);
  await second.getByRole('button', { name: 'Previous version' }).click();
  await expect.poll(() => texts(page)).toEqual([...before, 'fourth question [tokens=3]', 'Echo: fourth question']);
  await context.close();
});
