// A long conversation opens at its end with its latest messages; earlier ones
// come in as the reader scrolls up, without moving what they are reading;
// code blocks are highlighted after they are shown; search still finds text
// in messages that are not on screen.
import { expect, inject, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';

const browser = useBrowser({ webgpu: true });

const MESSAGES = 300;
const PAGE = 40;

function longChat(): string {
  const messages = Array.from({ length: MESSAGES }, (_, i) =>
    i % 2 === 0
      ? { role: 'user', content: `Question number ${i}: what about step ${i}?` }
      : { role: 'assistant', content: `Answer number ${i}.\n\n${'A line of explanation that takes some room. '.repeat(6)}\n\n\`\`\`js\nconst step${i} = (x) => x * ${i}; // answer ${i}\n\`\`\`` },
  );
  messages[3] = { role: 'assistant', content: 'The word only an old message holds: marmalade.' };
  return JSON.stringify({ title: 'A very long chat', messages });
}

it('opens a 300-message chat at its end, brings earlier messages in on scrolling up without moving the reader, and highlights code', async () => {
  const { context, page } = await openPage(browser(), `${inject('baseUrl')}/app/`);
  await page.locator('.conversation-list input[type=file]').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(longChat()) });
  await expect.poll(() => page.locator('.chat-title').textContent()).toBe('A very long chat');

  // Only the latest page is in the DOM, the last message is in view, and the rest is offered.
  const articles = page.locator('article.message');
  await expect.poll(() => articles.count()).toBe(PAGE);
  await expect.poll(() => articles.last().evaluate((e) => e.getBoundingClientRect().bottom <= innerHeight + 1)).toBe(true);
  expect(await articles.first().textContent()).toContain(`Question number ${MESSAGES - PAGE}:`);
  const earlier = page.getByRole('button', { name: `Show earlier messages (${MESSAGES - PAGE} more)` });
  await expect.poll(() => earlier.count()).toBe(1);

  // Code comes in plain and is highlighted afterwards, in the highlight worker (started when the page is idle):
  // the code says what it said, and highlight.js is in no script of the page itself.
  const lastCode = page.locator('article.message').last().locator('pre code');
  await expect.poll(() => lastCode.locator('.hljs-keyword').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  expect(await lastCode.textContent()).toBe(`const step${MESSAGES - 1} = (x) => x * ${MESSAGES - 1}; // answer ${MESSAGES - 1}`);
  expect(page.workers().some((w) => w.url().includes('highlight.worker'))).toBe(true);
  const pageScripts = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.js')));
  const sources = await Promise.all(pageScripts.filter((u) => !/worker/.test(u)).map((u) => fetch(u).then((r) => r.text())));
  expect(sources.some((code) => code.includes('highlightAuto'))).toBe(false);

  // Scrolling up: earlier messages come in, and the message the reader looks at stays where it was.
  const reading = page.locator(`article.message:has-text("Question number ${MESSAGES - PAGE}:")`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect.poll(() => articles.count()).toBeGreaterThan(PAGE);
  const top = await reading.evaluate((e) => e.getBoundingClientRect().top);
  expect(top).toBeGreaterThan(0);
  await page.waitForTimeout(300);
  expect(Math.abs((await reading.evaluate((e) => e.getBoundingClientRect().top)) - top)).toBeLessThan(2);

  // Keep going up to the first message: every message is there once, in order.
  for (let i = 0; i < 20 && (await articles.count()) < MESSAGES; i++) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(100);
  }
  expect(await articles.count()).toBe(MESSAGES);
  expect(await articles.first().textContent()).toContain('Question number 0:');
  expect(await page.getByRole('button', { name: /Show earlier messages/ }).count()).toBe(0);

  // Search finds text held only by an old message; the chat opened from the results starts at its end again.
  await page.locator('.list-head').getByRole('button', { name: 'New chat' }).click();
  await page.locator('#conversation-search').fill('marmalade');
  await expect.poll(() => page.locator('.conversation-title').allTextContents()).toEqual(['A very long chat']);
  await page.locator('.conversation-title', { hasText: 'A very long chat' }).click();
  await expect.poll(() => articles.count()).toBe(PAGE);
  await context.close();
});

it('the "Show earlier messages" button works from the keyboard and keeps focus in the conversation', async () => {
  const { context, page } = await openPage(browser(), `${inject('baseUrl')}/app/`);
  await page.locator('.conversation-list input[type=file]').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(longChat()) });
  const articles = page.locator('article.message');
  await expect.poll(() => articles.count()).toBe(PAGE);
  const earlier = page.getByRole('button', { name: /Show earlier messages/ });
  await earlier.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => articles.count()).toBeGreaterThanOrEqual(2 * PAGE);
  expect(await page.evaluate(() => document.activeElement?.closest('.message-list') !== null)).toBe(true);
  await context.close();
});

it('when the highlight worker cannot start, code stays plain and readable, and the chat works', async () => {
  const { context, page, errors } = await openPage(browser(), 'about:blank');
  await context.route(/highlight\.worker/, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(`${inject('baseUrl')}/app/`);
  await page.locator('.conversation-list input[type=file]').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(longChat()) });
  const code = page.locator('article.message').last().locator('pre code');
  await expect.poll(() => code.textContent()).toBe(`const step${MESSAGES - 1} = (x) => x * ${MESSAGES - 1}; // answer ${MESSAGES - 1}`);
  await page.waitForTimeout(1500);
  expect(await code.locator('span').count()).toBe(0);
  // Earlier messages still come in, with their code plain.
  await page.getByRole('button', { name: /^Show earlier messages/ }).click();
  await expect.poll(() => page.locator('article.message').count()).toBeGreaterThan(PAGE);
  expect(errors).toEqual([]);
  await context.close();
});
