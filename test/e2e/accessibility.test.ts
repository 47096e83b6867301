// Access and look: axe-core finds no serious or critical violations on the
// main screens; completed replies are announced once; the layout works from a
// 360 px phone to a desktop. Also takes the README's screenshots.
import { expect, inject, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';
import { ask, loadScriptedModel, openChatSettings, closeChatSettings, openModelSection, seriousViolations } from './helpers';
import { routeModelHosts } from './model-host';

const browser = useBrowser({ webgpu: true });

async function open(viewport?: { width: number; height: number }) {
  const opened = await openPage(browser(), 'about:blank', viewport);
  await routeModelHosts(opened.context, { shards: 2, shardBytes: 4096 });
  await opened.page.goto(`${inject('baseUrl')}/scripted/`);
  return opened;
}

it('has no serious or critical axe violations: empty state, model picker, chat with replies, settings (light and dark)', async () => {
  const { context, page } = await open();
  await expect.poll(() => page.locator('#model-select').count(), { timeout: 30_000 }).toBe(1);
  expect(await seriousViolations(page)).toEqual([]); // empty state + model picker with details
  await openModelSection(page, 'Storage');
  await openModelSection(page, 'Custom models');
  expect(await seriousViolations(page)).toEqual([]);
  await loadScriptedModel(page);
  await ask(page, 'Show me some code [markdown] [delay=0]');
  await ask(page, 'Thanks!');
  expect(await seriousViolations(page)).toEqual([]); // chat with replies
  await openChatSettings(page);
  expect(await seriousViolations(page)).toEqual([]); // the settings dialog
  await closeChatSettings(page);
  await page.getByRole('button', { name: 'Chat options' }).click();
  expect(await seriousViolations(page)).toEqual([]); // the chat menu
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousViolations(page)).toEqual([]);
  // With the dialogs and inline prompts open: the shortcut list, a rename, the Undo toast, the delete-in-use confirmation.
  await page.locator('body').press('?');
  await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.locator('button[aria-label^="Rename"]').first().click();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.locator('.message-user').first().getByRole('button', { name: /^Delete/ }).click();
  await expect.poll(() => page.getByTestId('undo-toast').count()).toBe(1);
  expect(await seriousViolations(page)).toEqual([]);
  await openModelSection(page, 'Storage');
  await page.locator(`tr[data-model-id] button[aria-label^="Delete"]`).first().click();
  await expect.poll(() => page.getByRole('button', { name: 'Unload and delete' }).count()).toBe(1);
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});

it('announces a completed reply once, not every token', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  const announcer = page.getByTestId('announcer');
  expect(await announcer.getAttribute('aria-live')).toBe('polite');
  const changes: string[] = [];
  await page.exposeFunction('recordAnnouncement', (text: string) => changes.push(text));
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid=announcer]')!;
    new MutationObserver(() => (window as unknown as { recordAnnouncement(t: string): void }).recordAnnouncement(el.textContent ?? '')).observe(el, { childList: true, subtree: true, characterData: true });
  });
  await ask(page, 'Announce this [tokens=40] [delay=10]');
  // What a screen reader would read: the region's non-empty texts.
  const spoken = () => changes.filter((t) => t.trim() !== '');
  await expect.poll(() => spoken().length).toBeGreaterThan(0);
  expect(spoken()).toHaveLength(1);
  expect(spoken()[0]).toMatch(/^Mistral replied: Echo: Announce this/);
  await context.close();
});

it('works on a 360 px phone: no horizontal scrolling, the chat list opens from a button; screenshots for the README', async () => {
  const desktop = await open({ width: 1280, height: 860 });
  await loadScriptedModel(desktop.page);
  await ask(desktop.page, 'How do I retry a fetch with backoff? [markdown] [delay=0]');
  await desktop.page.evaluate(() => window.scrollTo(0, 0));
  await desktop.page.screenshot({ path: 'docs/screenshot-desktop.png' });
  await desktop.context.close();

  const phone = await open({ width: 360, height: 740 });
  const page = phone.page;
  await loadScriptedModel(page);
  await ask(page, 'How do I retry a fetch with backoff? [markdown] [delay=0]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await page.locator('#sidebar').isVisible()).toBe(false);
  // The chat list opens as a drawer over the chat (the page does not move), with the focus in its search.
  const scrollBefore = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.getByRole('button', { name: 'Chats' }).click();
  expect(await page.locator('#sidebar').isVisible()).toBe(true);
  expect(await page.locator('#sidebar').evaluate((e) => getComputedStyle(e).position)).toBe('fixed');
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBe(scrollBefore);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('conversation-search');
  expect(await seriousViolations(page)).toEqual([]);
  // Escape closes it and gives the focus back to the button; so does its close button, and the backdrop.
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('#sidebar').isVisible()).toBe(false);
  await expect.poll(() => page.getByRole('button', { name: 'Chats' }).evaluate((e) => e === document.activeElement)).toBe(true);
  await page.getByRole('button', { name: 'Chats' }).click();
  await page.getByRole('button', { name: 'Close the chat list' }).click();
  await expect.poll(() => page.locator('#sidebar').isVisible()).toBe(false);
  await page.getByRole('button', { name: 'Chats' }).click();
  await page.locator('.drawer-backdrop').click({ position: { x: 350, y: 400 } });
  await expect.poll(() => page.locator('#sidebar').isVisible()).toBe(false);
  await page.locator('.message-assistant').last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshot-phone.png' });
  expect(await seriousViolations(page)).toEqual([]);
  await phone.context.close();
});

it('keyboard: Tab reaches the input and the model controls, with a visible focus ring', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  await page.locator('#prompt').focus();
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).toBe('solid');
  await page.keyboard.press('Shift+Tab');
  const before = await page.evaluate(() => document.activeElement?.tagName);
  expect(['BUTTON', 'SUMMARY', 'INPUT', 'SELECT', 'TEXTAREA']).toContain(before);
  await context.close();
});
