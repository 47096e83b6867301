// The chat as a new user meets it: no dead end after deleting the model in
// use, focus where the next action is, shortcuts and their list, a message
// box that grows, Undo instead of confirm dialogs (a turn deleted as a pair),
// feedback on Copy, errors that can be dismissed, a draft typed just before a
// reload kept, code that scrolls sideways on a phone, and nothing
// "recommended" on a CPU adapter.
import { expect, it } from 'vitest';
import { useBrowser } from './browser-fixture';
import { ask, loadScriptedModel, MISTRAL_Q4F32, openScripted, send, MISTRAL_Q4F32_NAME, openModelSection, openChatSettings, closeChatSettings, exportChat, seriousViolations } from './helpers';

const browser = useBrowser({ webgpu: true });

const status = (page: import('playwright-core').Page) => page.getByTestId('engine-status').textContent();
const focusedId = (page: import('playwright-core').Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);

it('deleting the model in use asks first, unloads it, and the app says so; loading it again works', async () => {
  const { context, page } = await openScripted(browser());
  await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  // After Load the focus is in the message box: the next step is typing.
  await expect.poll(() => focusedId(page)).toBe('prompt');
  expect(await ask(page, 'before [tokens=3]')).toMatch(/^Echo: before/);

  await openModelSection(page, 'Storage');
  const row = page.locator(`tr[data-model-id="${MISTRAL_Q4F32}"]`);
  await row.getByRole('button', { name: /^Delete/ }).click();
  const confirm = row.getByRole('button', { name: 'Unload and delete' });
  await expect.poll(() => confirm.evaluate((e) => e === document.activeElement)).toBe(true);
  // Escape (or Cancel) keeps everything as it was.
  await page.keyboard.press('Escape');
  expect(await confirm.count()).toBe(0);
  expect(await status(page)).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);

  await row.getByRole('button', { name: /^Delete/ }).click();
  await confirm.click();
  await expect.poll(() => status(page)).toBe('No model loaded');
  await expect.poll(() => page.getByTestId('delete-result').textContent()).toMatch(/WebLLM confirms it is gone/);
  // No dead end: the picker offers Load again, and the message box says to load a model.
  const load = page.getByRole('button', { name: 'Load', exact: true });
  expect(await load.isEnabled()).toBe(true);
  expect(await page.locator('#prompt').getAttribute('placeholder')).toBe('Load a model to start chatting');
  await load.click();
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  expect(await ask(page, 'after [tokens=3]')).toMatch(/^Echo: after/);
  await context.close();
});

it('keyboard: rename takes focus and Escape closes it; shortcuts for new chat, the message box and their list in a dialog', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  await ask(page, 'first chat [tokens=2]');

  // Rename: the field has the focus with its text selected; Escape closes it and gives focus back.
  const rename = page.getByRole('button', { name: 'Rename first chat [tokens=2]' });
  await rename.click();
  const field = page.locator('input[id^="rename-"]');
  await expect.poll(() => field.evaluate((e: HTMLInputElement) => e === document.activeElement && e.selectionEnd! - e.selectionStart! === e.value.length)).toBe(true);
  await page.keyboard.press('Escape');
  expect(await field.count()).toBe(0);
  await expect.poll(() => rename.evaluate((e) => e === document.activeElement)).toBe(true);
  // Saved, and the user goes straight on to the message box (before the next frame): the focus stays there.
  await rename.click();
  await field.fill('renamed chat');
  await field.evaluate((e: HTMLInputElement) => {
    e.form!.requestSubmit();
    document.getElementById('prompt')!.focus();
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
  expect(await page.locator('.chat-title').textContent()).toBe('renamed chat');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt');
  const renamed = page.getByRole('button', { name: 'Rename renamed chat' });
  await renamed.focus();

  // `?` opens the list of shortcuts in a modal dialog that holds the focus; Escape closes it and the focus comes back.
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect.poll(() => dialog.isVisible()).toBe(true);
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog.isVisible()).toBe(false);
  await expect.poll(() => renamed.evaluate((e) => e === document.activeElement)).toBe(true);
  // It opens again (Ctrl + / too), with the focus on its Close button.
  await page.keyboard.press('Control+/');
  await expect.poll(() => dialog.isVisible()).toBe(true);
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog.isVisible()).toBe(false);
  // Typing a question mark in the message box is text, not the shortcut.
  await page.locator('#prompt').fill('');
  await page.locator('#prompt').press('?');
  expect(await dialog.isVisible()).toBe(false);
  expect(await page.locator('#prompt').inputValue()).toBe('?');

  // Ctrl+Shift+O starts a new chat and puts the focus in its message box; Shift+Escape focuses the box from anywhere.
  await page.locator('#conversation-search').focus();
  await page.keyboard.press('Control+Shift+O');
  await expect.poll(() => page.locator('.chat-title').textContent()).toBe('New chat');
  expect(await focusedId(page)).toBe('prompt');
  await page.locator('#conversation-search').focus();
  await page.keyboard.press('Shift+Escape');
  expect(await focusedId(page)).toBe('prompt');

  // Escape stops a reply from anywhere on the page, not only from the message box.
  const reply = await send(page, 'a long one [tokens=400] [delay=20]');
  await expect.poll(async () => ((await reply.textContent()) ?? '').length).toBeGreaterThan(20);
  await page.locator('#conversation-search').focus();
  await page.keyboard.press('Escape');
  await expect.poll(() => reply.getAttribute('data-status')).toBe('stopped');
  await context.close();
});

it('the message box grows with its text up to half the screen; on a phone its placeholder fits', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  const box = page.locator('#prompt');
  const empty = await box.evaluate((e) => e.getBoundingClientRect().height);
  await box.fill(Array.from({ length: 15 }, (_, i) => `line ${i + 1}`).join('\n'));
  const grown = await box.evaluate((e) => e.getBoundingClientRect().height);
  expect(grown).toBeGreaterThan(empty * 3);
  expect(grown).toBeLessThanOrEqual(900 / 2 + 1);
  await box.fill(Array.from({ length: 80 }, (_, i) => `line ${i + 1}`).join('\n'));
  expect(await box.evaluate((e) => e.getBoundingClientRect().height)).toBeLessThanOrEqual(900 / 2 + 1);
  await box.fill('');
  expect(await box.evaluate((e) => e.getBoundingClientRect().height)).toBeLessThan(empty + 2);

  await page.setViewportSize({ width: 360, height: 740 });
  const fits = await box.evaluate((e: HTMLTextAreaElement) => {
    const style = getComputedStyle(e);
    const context2d = document.createElement('canvas').getContext('2d')!;
    context2d.font = `${style.fontSize} ${style.fontFamily}`;
    const room = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context2d.measureText(e.placeholder).width <= room;
  });
  expect(fits).toBe(true);
  await context.close();
});

it('deleting offers Undo instead of asking: a turn goes as a pair and comes back in place; a chat comes back whole', async () => {
  const { context, page } = await openScripted(browser());
  page.on('dialog', (d) => {
    throw new Error(`a native dialog appeared: ${d.message()}`);
  });
  await loadScriptedModel(page);
  await ask(page, 'one [tokens=2]');
  await ask(page, 'two [tokens=2]');
  await ask(page, 'three [tokens=2]');
  const texts = () => page.locator('.message').evaluateAll((els) => els.map((e) => (e.textContent ?? '').split(' ').slice(0, 2).join(' ')));
  const before = await texts();
  expect(before).toHaveLength(6);

  // Deleting the middle question takes its reply with it.
  await page.locator('.message-user').nth(1).getByRole('button', { name: 'Delete your message and its reply' }).click();
  await expect.poll(() => page.locator('.message').count()).toBe(4);
  const toast = page.getByTestId('undo-toast');
  expect(await toast.textContent()).toMatch(/Deleted a question and its reply/);
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(texts).toEqual(before);
  expect(await toast.count()).toBe(0);
  // …and Undo is saved: a reload shows the turn back in place.
  await page.waitForTimeout(300);
  await page.reload();
  await expect.poll(texts).toEqual(before);

  // A chat is deleted at once; Undo brings it back with its messages, also after a reload.
  await page.getByRole('button', { name: 'Delete one [tokens=2]' }).click();
  await expect.poll(() => page.locator('.conversation-title').allTextContents()).not.toContain('one [tokens=2]');
  await page.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => page.locator('.conversation-title').allTextContents()).toContain('one [tokens=2]');
  await expect.poll(texts).toEqual(before);
  await page.waitForTimeout(300);
  await page.reload();
  await expect.poll(texts).toEqual(before);
  await context.close();
});

it('small things: Copy says it copied, an import error can be dismissed, a draft typed just before a reload is kept, code scrolls sideways on a phone, image links show their host', async () => {
  const { context, page } = await openScripted(browser(), undefined);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await loadScriptedModel(page);
  const reply = await send(page, 'see ![chart](https://tracker.example.net/pixel.png?q=secret) [tokens=40]');
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  expect(await reply.locator('.link-host').textContent()).toBe('(tracker.example.net)');

  const copy = reply.getByRole('button', { name: 'Copy reply' });
  await copy.click();
  expect(await reply.locator('.message-actions button').first().textContent()).toBe('Copied ✓');
  await expect.poll(() => reply.locator('.message-actions button').first().textContent(), { timeout: 5000 }).toBe('Copy');

  await page.locator('.conversation-list input[type=file]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
  const error = page.locator('.sidebar .notice-error');
  await expect.poll(() => error.textContent()).toMatch(/Could not import bad\.json/);
  await error.getByRole('button', { name: 'Dismiss' }).click();
  expect(await error.count()).toBe(0);

  // Typed, then reloaded at once (well inside the 300 ms the save waits for typing to stop).
  await page.locator('#prompt').fill('typed at the last moment');
  await page.reload();
  await expect.poll(() => page.locator('#prompt').inputValue()).toBe('typed at the last moment');

  // On a phone, a long code line scrolls inside its block; the page itself does not scroll sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await loadScriptedModel(page);
  const code = await send(page, '[markdown] [tokens=300]');
  await expect.poll(() => code.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  const pre = code.locator('.code-block pre').first();
  expect(await pre.evaluate((e) => getComputedStyle(e.querySelector('code')!).whiteSpace)).toBe('pre');
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await context.close();
});

it('on a CPU (software) adapter nothing is marked recommended, and the picker says why', async () => {
  const { context, page } = await openScripted(browser());
  await expect.poll(() => page.locator('#model-select').inputValue(), { timeout: 30_000 }).toBe(MISTRAL_Q4F32);
  const options = await page.locator('#model-select option').allTextContents();
  expect(options.some((o) => /recommended/.test(o))).toBe(false);
  expect(await page.getByTestId('model-fit').textContent()).toMatch(/only on the CPU .* nothing is recommended/);
  await context.close();
});

it('the conversation first: settings open as a dialog (focus kept inside, Escape keeps what was typed, focus back); export lives in the chat menu; on a phone the first screen is the chat', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  await ask(page, 'Hello');
  // Above the messages: one line with the title, Settings and the menu; no settings fields, no export buttons.
  const head = page.locator('.chat-head');
  expect(await head.getByRole('button').allTextContents()).toEqual(['Settings for this chat', '⋯']);
  expect(await page.locator('#s-temperature').isVisible()).toBe(false);

  const opener = page.getByRole('button', { name: 'Settings for this chat' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Settings for this chat' });
  await dialog.waitFor();
  // Modal: Tab cycles inside the dialog, the conversation behind cannot take focus.
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('#settings-dialog') || document.activeElement === document.body)).toBe(true);
  }
  await page.locator('#s-temperature').fill('0.3');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Settings for this chat');
  expect(await ask(page, '[params]')).toMatch(/temperature=0\.3 /);

  // The menu: Escape closes it without doing anything; a choice closes it and downloads.
  await page.getByRole('button', { name: 'Chat options' }).click();
  expect(await page.locator('#chat-menu').isVisible()).toBe(true);
  await page.keyboard.press('Escape');
  expect(await page.locator('#chat-menu').isVisible()).toBe(false);
  const file = await exportChat(page, 'Markdown');
  expect(file.suggestedFilename()).toMatch(/\.md$/);
  expect(await page.locator('#chat-menu').isVisible()).toBe(false);

  // A phone: the header is one row and the message box is on the first screen, above the fold.
  await page.setViewportSize({ width: 360, height: 640 });
  const rows = await head.evaluate((e) => Math.round(e.getBoundingClientRect().height));
  expect(rows).toBeLessThan(48);
  const box = await page.locator('#prompt').boundingBox();
  expect(box!.y + box!.height).toBeLessThanOrEqual(640);
  await context.close();
});

it('settings: a chat can make its settings the defaults for new chats; what differs is marked; out-of-range values are explained, not clamped', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  await openChatSettings(page);
  expect(await page.locator('.settings .hint').last().textContent()).toBe('This chat uses your defaults.');
  const temperature = page.locator('#s-temperature');
  await temperature.fill('0.2');
  await temperature.blur();
  await page.locator('#system-prompt').fill('Answer like a pirate.');
  await page.locator('#system-prompt').blur();
  await expect.poll(() => page.locator('.settings .differs').count()).toBe(2);

  // Out of range: explained next to the field, and the value in use stays 0.2.
  await temperature.fill('7');
  await temperature.blur();
  await expect.poll(() => page.locator('#s-temperature-hint').textContent()).toBe('Temperature must be between 0 and 2; 0.2 is still in use.');
  expect(await temperature.getAttribute('aria-invalid')).toBe('true');
  await closeChatSettings(page);
  expect(await ask(page, '[params]')).toMatch(/temperature=0\.2 .*system="Answer like a pirate\."/);

  // Make them the defaults: a new chat starts with them, also after a reload.
  await openChatSettings(page);
  await page.getByRole('button', { name: 'Use these for new chats' }).click();
  await closeChatSettings(page);
  await page.locator('.list-head').getByRole('button', { name: 'New chat' }).click();
  await page.reload();
  await loadScriptedModel(page);
  await page.locator('.list-head').getByRole('button', { name: 'New chat' }).click();
  await openChatSettings(page);
  await expect.poll(() => page.locator('#s-temperature').inputValue()).toBe('0.2');
  expect(await page.locator('#system-prompt').inputValue()).toBe('Answer like a pirate.');
  expect(await page.locator('.settings .differs').count()).toBe(0);
  // A change here is marked as this chat's own, and Reset brings the defaults back.
  await page.locator('#s-temperature').fill('1.1');
  await page.locator('#s-temperature').blur();
  await expect.poll(() => page.locator('.settings .differs').count()).toBe(1);
  await page.getByRole('button', { name: 'Reset this chat to my defaults' }).click();
  await expect.poll(() => page.locator('#s-temperature').inputValue()).toBe('0.2');
  await context.close();
});

it('the empty chat says what this is and offers example prompts; chats are grouped by date; a jump-to-latest button; the header names the model', async () => {
  const { context, page } = await openScripted(browser());
  const examples = page.getByRole('list', { name: 'Example prompts' }).getByRole('button');
  // The app renders once the engine answers (or 150 ms on), after the page's load event.
  await examples.first().waitFor();
  expect(await examples.count()).toBeGreaterThan(2);
  expect(await page.locator('.empty h2').textContent()).toBe('A private chat with Mistral');
  const example = (await examples.first().textContent())!;
  await examples.first().click();
  expect(await page.locator('#prompt').inputValue()).toBe(example);
  expect(await focusedId(page)).toBe('prompt');

  await loadScriptedModel(page);
  expect(await page.getByTestId('engine-status').getAttribute('data-model-id')).toBe(MISTRAL_Q4F32);
  expect(await status(page)).toBe('Ready: Mistral 7B Instruct v0.3 (q4f32_1)');
  for (let i = 0; i < 8; i++) await ask(page, `message ${i} [tokens=60]`);
  expect(await page.locator('.conversation-group .group-label').allTextContents()).toEqual(['Today']);

  const jump = page.getByRole('button', { name: '↓ Latest' });
  expect(await jump.count()).toBe(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect.poll(() => jump.count()).toBe(1);
  await jump.click();
  await expect.poll(() => page.evaluate(() => window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 120)).toBe(true);
  await expect.poll(() => jump.count()).toBe(0);
  await context.close();
});

it('after the first exchange the loaded model names the chat; a name the user gave meanwhile is kept', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  const current = page.locator('.conversation-list li.current .conversation-title');
  await ask(page, 'ideas for two days in Paris [title=Weekend in Paris] [tokens=3]');
  await expect.poll(() => current.textContent()).toBe('Weekend in Paris');
  expect(await page.locator('.chat-title').textContent()).toBe('Weekend in Paris');
  // Only the first exchange: a second question does not rename it.
  await ask(page, 'and a third day? [title=Something else] [tokens=3]');
  await page.waitForTimeout(500);
  expect(await current.textContent()).toBe('Weekend in Paris');

  // Renamed by the user while the model was naming it: the user's name stays.
  await page.locator('.list-head').getByRole('button', { name: 'New chat' }).click();
  await ask(page, 'bread recipe [title=Sourdough at home] [tokens=3] [delay=200]');
  await page.getByRole('button', { name: /^Rename / }).first().click();
  await page.locator('input[id^="rename-"]').fill('My bread');
  await page.locator('input[id^="rename-"]').press('Enter');
  await page.waitForTimeout(1500);
  expect(await page.locator('.conversation-list li.current .conversation-title').textContent()).toBe('My bread');
  await page.reload();
  await expect.poll(() => page.locator('.conversation-title').allTextContents()).toEqual(['My bread', 'Weekend in Paris']);
  await context.close();
});

it('a streamed reply looks the same as the same reply rendered whole: the groups its finished blocks streamed into change no spacing', async () => {
  const { page } = await openScripted(browser());
  await loadScriptedModel(page);
  // Paragraphs, code, a numbered list and a table, repeated: about 40 blocks.
  const reply = await send(page, '[markdown] [tokens=1200] [delay=1]');
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
  const layout = await reply.locator('.markdown').evaluate((root) => {
    const boxes = () => {
      const top = root.getBoundingClientRect().top;
      return [...root.querySelectorAll(':scope > :not(.md-group), :scope > .md-group > *')].map((e) => {
        const box = e.getBoundingClientRect();
        return [e.tagName, Math.round(box.top - top), Math.round(box.height)];
      });
    };
    const groups = root.querySelectorAll(':scope > .md-group').length;
    const grouped = { boxes: boxes(), height: root.getBoundingClientRect().height };
    // What a reload shows: the same render with every block at the top level.
    for (const group of root.querySelectorAll(':scope > .md-group')) group.replaceWith(...group.childNodes);
    return { groups, grouped, flat: { boxes: boxes(), height: root.getBoundingClientRect().height } };
  });
  expect(layout.groups).toBeGreaterThan(1);
  expect(layout.grouped.boxes.length).toBeGreaterThan(30);
  expect(layout.grouped).toEqual(layout.flat);
});

it('a streamed long list streams into groups of items that change no marker, number or spacing and keep it one list to assistive technology; finished, the list holds only items (valid HTML, no axe violation)', async () => {
  const { page } = await openScripted(browser());
  await loadScriptedModel(page);
  // About 200 items within the chat's default token limit: several groups of items while it streams.
  const reply = await send(page, '[long-list] [delay=4]');
  const list = reply.locator('.markdown :is(ul, ol)').first();
  await expect.poll(() => list.locator(':scope > .md-items').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await reply.getAttribute('data-status')).toBe('streaming');
  // While it streams: one list of every item, as a screen reader meets it (the groups are not in the accessibility tree).
  const streaming = await list.evaluate((e) => ({ items: e.querySelectorAll('li').length, html: e.outerHTML }));
  const aria = await page.evaluate((html) => {
    const copy = document.body.appendChild(document.createElement('div'));
    copy.id = 'aria-copy';
    copy.innerHTML = html;
  }, streaming.html).then(() => page.locator('#aria-copy').ariaSnapshot());
  await page.evaluate(() => document.getElementById('aria-copy')!.remove());
  expect(aria.match(/^- list:/gm)).toHaveLength(1);
  expect(aria.match(/^ {2}- listitem/gm)).toHaveLength(streaming.items);
  // Finished and idle: the groups are taken out; the list holds only its items, and axe finds nothing.
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
  await expect.poll(() => list.locator(':scope > .md-items').count(), { timeout: 10_000 }).toBe(0);
  expect(await list.evaluate((e) => [...e.children].every((c) => c.tagName === 'LI'))).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  const items = () => list.evaluate((e) => {
    const top = e.getBoundingClientRect().top;
    return [...e.querySelectorAll('li')].map((li) => [Math.round(li.getBoundingClientRect().top - top), Math.round(li.getBoundingClientRect().height)]);
  });
  // The items around the first group's end, markers included (a numbered list's numbers, once it is one).
  const shot = async () => {
    await list.locator('li').nth(40).scrollIntoViewIfNeeded();
    const box = (await list.boundingBox())!;
    const from = (await list.locator('li').nth(28).boundingBox())!;
    const to = (await list.locator('li').nth(36).boundingBox())!;
    return page.screenshot({ clip: { x: box.x, y: from.y, width: box.width, height: to.y + to.height - from.y } });
  };
  const retag = (tag: 'ol' | 'ul') => list.evaluate((e, tag) => {
    const next = document.createElement(tag);
    next.append(...e.childNodes);
    e.replaceWith(next);
  }, tag);
  // As the stream groups them (stream-view.ts: appendItems): the first 32 items in the list, then groups of 32.
  const group = () => list.evaluate((e) => {
    const items = [...e.children].slice(32);
    for (let i = 0; i < items.length; i += 32) {
      const div = document.createElement('div');
      div.className = 'md-items';
      items[i]!.before(div);
      for (const item of items.slice(i, i + 32)) div.append(item, item.nextSibling?.nodeType === Node.TEXT_NODE ? item.nextSibling : '');
    }
  });
  const flatItems = await items();
  const flatUl = await shot();
  await retag('ol');
  const flatOl = await shot();
  await group();
  expect(await list.locator(':scope > .md-items').count()).toBeGreaterThan(3);
  const groupedItems = await items();
  const groupedOl = await shot();
  await retag('ul');
  const groupedUl = await shot();
  expect(flatItems.length).toBeGreaterThan(100);
  expect(groupedItems).toEqual(flatItems);
  // Markers are in the picture: the numbered list looks different from the bulleted one.
  expect(flatOl.equals(flatUl)).toBe(false);
  expect(groupedUl.equals(flatUl)).toBe(true);
  expect(groupedOl.equals(flatOl)).toBe(true);
});
