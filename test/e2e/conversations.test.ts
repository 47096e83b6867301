// Conversations as a user keeps them: many chats, search, rename, delete,
// drafts and interrupted replies that survive a reload, per-message actions,
// export and import, per-chat settings, the context window, the theme.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';
import { ask, closeChatSettings, exportChat, loadScriptedModel, openChatSettings, send } from './helpers';
import { routeModelHosts } from './model-host';

const browser = useBrowser({ webgpu: true });

async function open() {
  const opened = await openPage(browser(), 'about:blank');
  await opened.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await routeModelHosts(opened.context, { shards: 2, shardBytes: 4096 });
  await opened.page.goto(`${inject('baseUrl')}/scripted/`);
  return opened;
}

const titles = (page: Page) => page.locator('.conversation-title').allTextContents();

it('keeps many conversations: new, search, rename, delete, restored after a reload with the draft', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  await ask(page, 'Paris travel tips');
  await page.getByRole('button', { name: 'New chat' }).click();
  // Typed right after switching: the draft loaded for the new chat must not overwrite it.
  await ask(page, 'Bread recipe with sourdough');
  expect(await titles(page)).toEqual(['Bread recipe with sourdough', 'Paris travel tips']);

  // Search matches titles and message text.
  await page.locator('#conversation-search').fill('paris');
  expect(await titles(page)).toEqual(['Paris travel tips']);
  await page.locator('#conversation-search').fill('sourdough');
  expect(await titles(page)).toEqual(['Bread recipe with sourdough']);
  await page.locator('#conversation-search').fill('');

  await page.getByRole('button', { name: 'Rename Paris travel tips' }).click();
  await page.locator('input[id^="rename-"]').fill('Trip to Paris');
  await page.locator('input[id^="rename-"]').press('Enter');
  expect(await titles(page)).toContain('Trip to Paris');

  // A draft in the input survives a reload.
  await page.locator('#prompt').fill('half-written question');
  await page.waitForTimeout(400);
  await page.reload();
  await expect.poll(() => titles(page)).toEqual(['Bread recipe with sourdough', 'Trip to Paris']);
  await expect.poll(() => page.locator('#prompt').inputValue()).toBe('half-written question');

  // Delete asks nothing (Undo is offered instead; see chat-ux.test.ts) and lasts.
  await page.getByRole('button', { name: 'Delete Trip to Paris' }).click();
  await expect.poll(() => titles(page)).toEqual(['Bread recipe with sourdough']);
  await page.reload();
  await expect.poll(() => titles(page)).toEqual(['Bread recipe with sourdough']);
  await context.close();
});

it('a reply cut off by a reload is kept as interrupted and can be continued; regenerate, edit, copy, delete', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  const reply = await send(page, 'A long answer please [tokens=300]');
  // Wait until a save of the partial reply has happened (once a second).
  await expect.poll(async () => ((await reply.textContent()) ?? '').length, { timeout: 20_000 }).toBeGreaterThan(60);
  await page.waitForTimeout(1300);
  await page.reload();
  await expect.poll(() => reply.getAttribute('data-status')).toBe('interrupted');
  const partial = ((await reply.locator('.markdown').textContent()) ?? '').trim();
  expect(partial).toMatch(/^Echo: A long answer please/);
  expect(await reply.textContent()).toMatch(/Interrupted before the reply finished/);

  await loadScriptedModel(page);
  await reply.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  const continued = ((await reply.locator('.markdown').textContent()) ?? '').trim();
  expect(continued.startsWith(partial)).toBe(true);
  expect(continued.length).toBeGreaterThan(partial.length);

  // Regenerate replaces the last reply.
  const last = await send(page, '[params]');
  await expect.poll(() => last.getAttribute('data-status')).toBe('done');
  await last.getByRole('button', { name: 'Regenerate' }).click();
  await expect.poll(() => last.getAttribute('data-status')).toBe('done');
  expect(await page.locator('.message-assistant').count()).toBe(2);

  // Edit the last question and resend: the reply follows the new text.
  const question = page.locator('.message-user').last();
  await question.getByRole('button', { name: 'Edit' }).click();
  await question.locator('textarea').fill('Edited question');
  await question.getByRole('button', { name: 'Save and resend' }).click();
  await expect.poll(() => last.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
  expect(await last.locator('.markdown').textContent()).toMatch(/^Echo: Edited question/);

  // Copy puts the message on the clipboard.
  await last.getByRole('button', { name: 'Copy reply' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^Echo: Edited question/);

  // Delete removes the turn: the reply and its question.
  await last.getByRole('button', { name: 'Delete reply and its question' }).click();
  await expect.poll(() => page.locator('.message-assistant').count()).toBe(1);
  expect(await page.locator('.message-user').count()).toBe(1);
  await context.close();
});

it('Escape stops a reply; code blocks have a working Copy button', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  const reply = await send(page, '[markdown] [tokens=400] [delay=30]');
  await expect.poll(async () => ((await reply.textContent()) ?? '').length).toBeGreaterThan(30);
  await page.locator('#prompt').press('Escape');
  await expect.poll(() => reply.getAttribute('data-status')).toBe('stopped');

  await ask(page, '[markdown] [delay=0]');
  const block = page.locator('.message-assistant').last().locator('.code-block').first();
  await block.getByRole('button', { name: 'Copy code' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^export async function retry<T>/);
  await context.close();
});

it('exports Markdown and OpenAI-format JSON, imports the JSON back as a new chat, and rejects a bad file', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  await ask(page, 'Export me');
  const md = await exportChat(page, 'Markdown');
  const markdown = await readFile((await md.path())!, 'utf8');
  expect(markdown).toMatch(/^# Export me\n/);
  expect(markdown).toMatch(/## You\n\nExport me\n\n## Mistral\n\nEcho: Export me/);

  const json = await exportChat(page, 'JSON');
  const exported = JSON.parse(await readFile((await json.path())!, 'utf8'));
  expect(exported.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
  expect(exported.messages[0].content).toBe('Export me');

  // Import: always a new conversation; hostile text is shown as text.
  const hostile = { title: '<img src=x onerror=alert(1)>', messages: [...exported.messages, { role: 'user', content: '<script>alert(1)</script>' }] };
  await page.locator('.conversation-list input[type=file]').setInputFiles({ name: 'chat.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostile)) });
  await expect.poll(() => titles(page)).toEqual(['<img src=x onerror=alert(1)>', 'Export me']);
  expect(await page.locator('.message').count()).toBe(3);
  expect(await page.locator('.message-list img, .message-list script').count()).toBe(0);
  expect(await page.locator('.message-user').last().textContent()).toContain('<script>alert(1)</script>');

  await page.locator('.conversation-list input[type=file]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"messages": [{"role": "wizard", "content": "x"}]}') });
  await expect.poll(() => page.locator('.sidebar [role=alert]').textContent()).toMatch(/Could not import bad\.json: Message 1 has an unsupported role/);
  expect((await titles(page)).length).toBe(2);
  await context.close();
});

it('per-chat settings reach the engine and persist; a conversation too long for the context drops its oldest turns and says so', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  await openChatSettings(page);
  await page.locator('#system-prompt').fill('Answer like a pirate.');
  await page.locator('#system-prompt').blur();
  await page.locator('#s-temperature').fill('0.2');
  await page.locator('#s-temperature').blur();
  await page.locator('#s-seed').fill('42');
  await closeChatSettings(page);
  expect(await ask(page, '[params]')).toMatch(/temperature=0\.2 top_p=1 max_tokens=1024 seed=42 messages=2 system="Answer like a pirate\."/);
  await page.reload();
  await openChatSettings(page);
  await expect.poll(() => page.locator('#s-temperature').inputValue()).toBe('0.2');
  expect(await page.locator('#system-prompt').inputValue()).toBe('Answer like a pirate.');
  await closeChatSettings(page);

  // Import a long history (12 messages of 3,000 characters), then ask.
  const long = Array.from({ length: 12 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `turn ${i} ${'lorem ipsum '.repeat(250)}` }));
  await page.locator('.conversation-list input[type=file]').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ title: 'Long', messages: long })) });
  await expect.poll(() => page.locator('.chat-title').textContent()).toBe('Long');
  await loadScriptedModel(page);
  expect(await ask(page, '[params]')).toMatch(/messages=\d+/);
  const note = page.locator('.message-assistant').last().locator('.message-note');
  expect(await note.textContent()).toMatch(/^\d+ earlier messages were left out to fit the model’s context window\.$/);
  await context.close();
});

it('the theme follows the system and can be switched; the choice is kept', async () => {
  const { context, page } = await open();
  await page.emulateMedia({ colorScheme: 'dark' });
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await expect.poll(bg).toBe('rgb(22, 20, 18)');
  await page.getByRole('button', { name: /Theme: system/ }).click();
  await expect.poll(bg).toBe('rgb(251, 250, 248)');
  await page.reload();
  await expect.poll(bg).toBe('rgb(251, 250, 248)');
  await expect.poll(() => page.getByRole('button', { name: /Theme: light/ }).count()).toBe(1);
  await context.close();
});
