// Several tabs of the app on one conversation, and reloads at bad moments:
// no write drops what another tab saved, open tabs show each other's changes,
// and text that was on screen survives a reload.
import type { Page } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { useBrowser } from './browser-fixture';
import { ask, loadScriptedModel, openScripted, send, shownMessages, storedConversations } from './helpers';

const browser = useBrowser({ webgpu: true });
const url = () => `${inject('baseUrl')}/scripted/`;

const open = () => openScripted(browser());

async function rename(page: Page, title: string): Promise<void> {
  await page.locator('.conversation-list li.current button[aria-label^="Rename"]').click();
  await page.locator('.conversation-list li.current input').fill(title);
  await page.locator('.conversation-list li.current input').press('Enter');
}

it('tabs on one conversation never write over each other, and each shows what the others saved within a second', async () => {
  const { context, page: a } = await open();
  await loadScriptedModel(a);
  expect(await ask(a, 'first question [tokens=4]')).toMatch(/^Echo: first question/);
  const b = await context.newPage();
  await b.goto(url());
  const c = await context.newPage();
  await c.goto(url());
  await expect.poll(() => shownMessages(b)).toHaveLength(2);

  // A reply is streaming in A while B renames the chat: neither write may drop the other.
  const reply = await send(a, 'second question [tokens=150] [delay=30]');
  await expect.poll(async () => ((await reply.textContent()) ?? '').length, { timeout: 10_000 }).toBeGreaterThan(20);
  await rename(b, 'Renamed in B');
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
  // Every tab shows the other's change: A the title, B and C the new messages.
  await expect.poll(() => a.locator('.chat-title').textContent(), { timeout: 1000 }).toBe('Renamed in B');
  await expect.poll(() => shownMessages(b), { timeout: 1000 }).toEqual(await shownMessages(a));
  await expect.poll(() => shownMessages(c), { timeout: 1000 }).toEqual(await shownMessages(a));
  await rename(c, 'Renamed in C');
  await expect.poll(() => b.locator('.chat-title').textContent(), { timeout: 1000 }).toBe('Renamed in C');

  const [stored] = await storedConversations(a);
  expect(stored!.title).toBe('Renamed in C');
  expect(stored!.messages.map((m) => m.content.split(' ').slice(0, 3).join(' '))).toEqual(['first question [tokens=4]', 'Echo: first question', 'second question [tokens=150]', 'Echo: second question']);
  // After a reload every tab shows the same four messages.
  await b.reload();
  await expect.poll(() => shownMessages(b)).toEqual(await shownMessages(a));
  await context.close();
});

it('a reload while a reply streams keeps every piece of text that was on screen a quarter second before', async () => {
  const { context, page } = await open();
  await loadScriptedModel(page);
  for (const wait of [150, 600]) {
    const reply = await send(page, `a long answer ${wait} [tokens=400] [delay=15]`);
    // `wait` after the first text shows (when that is depends on the machine's load, not on the app).
    const text = async () => ((await reply.locator('.markdown').textContent()) ?? '').trim();
    await expect.poll(async () => (await text()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(wait);
    const shown = await text();
    expect(await reply.getAttribute('data-status')).toBe('streaming');
    await page.waitForTimeout(260);
    await page.reload();
    const kept = (await storedConversations(page)).flatMap((c) => c.messages).find((m) => m.role === 'assistant' && m.content.includes(`answer ${wait}`))!;
    expect(kept.content.startsWith(shown)).toBe(true);
    await expect.poll(() => page.locator('.message-assistant').last().getAttribute('data-status')).toBe('interrupted');
    await loadScriptedModel(page);
  }
  await context.close();
});

it('soak: two tabs, 200 random sends, renames, deletes and regenerations interleaved; every saved message present exactly once', { timeout: 240_000 }, async () => {
  const { context, page: a } = await open();
  await loadScriptedModel(a);
  await ask(a, 'seed-0 [tokens=2]');
  const b = await context.newPage();
  await b.goto(url());
  await expect.poll(() => shownMessages(b)).toHaveLength(2);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const sent = new Set<string>(['seed-0']);
  const deleted = new Set<string>();
  for (let op = 1; op <= 200; op++) {
    const r = random();
    const step = r < 0.45 ? 'send' : r < 0.65 ? 'rename' : r < 0.85 ? 'delete' : 'regenerate';
    try {
      if (r < 0.45) {
        // A sends (it holds the model); B acts at the same moment.
        const text = `msg-${op}`;
        sent.add(text);
        const pending = ask(a, `${text} [tokens=2]`);
        if (random() < 0.5) await rename(b, `title ${op}`);
        await pending;
      } else if (r < 0.65) {
        await rename(random() < 0.5 ? a : b, `title ${op}`);
      } else if (r < 0.85) {
        // B deletes one of A's questions it shows (with its reply: a turn is deleted as a pair).
        const users = b.locator('.message-user');
        const count = await users.count();
        if (count > 1) {
          const target = users.nth(Math.floor(random() * (count - 1)) + 1);
          const text = ((await target.locator('.message-content').textContent()) ?? '').split(' ')[0]!;
          const remove = target.getByRole('button', { name: /^Delete/ });
          if (!deleted.has(text) && (await remove.isEnabled())) {
            deleted.add(text);
            await remove.dispatchEvent('click');
            // A shows the deletion (both messages of the turn) before it sends again.
            const left = (await b.locator('.message').count());
            await expect.poll(() => a.locator('.message').count(), { timeout: 5000, interval: 50 }).toBe(left);
          }
        }
      } else {
        // A regenerates its last reply.
        const last = a.locator('.message-assistant').last();
        const regenerate = last.getByRole('button', { name: 'Regenerate' });
        if ((await regenerate.count()) === 1 && (await regenerate.isEnabled())) {
          // A plain click event: Playwright's wait for a still layout is slow on a 200-message page.
          await regenerate.dispatchEvent('click');
          await expect.poll(() => last.getAttribute('data-status'), { timeout: 20_000, interval: 50 }).toBe('done');
        }
      }
    } catch (error) {
      // Which step of the sequence (it is the same every run) and what A showed then.
      throw new Error(`step ${op} (${step}) failed: ${(error as Error).message}\nA showed: ${JSON.stringify(await shownMessages(a).catch(() => []))}`, { cause: error });
    }
  }
  await a.waitForTimeout(500);
  const [stored] = await storedConversations(a);
  const questions = stored!.messages.filter((m) => m.role === 'user').map((m) => m.content.split(' ')[0]!);
  const expected = [...sent].filter((t) => !deleted.has(t));
  // Every question sent and not deleted is stored exactly once, in order; nothing else is.
  expect(questions).toEqual(expected);
  expect(new Set(stored!.messages.map((m) => m.id)).size).toBe(stored!.messages.length);
  // After a reload B opens the chat at its end: its latest 40 messages, as A shows them.
  await b.reload();
  const latest = Math.min(40, stored!.messages.length);
  await expect.poll(() => shownMessages(b)).toHaveLength(latest);
  expect(await shownMessages(b)).toEqual((await shownMessages(a)).slice(-latest));
  await context.close();
});
