// Chat with documents, in the browser: files the test makes (a 12-page PDF,
// a DOCX, a Markdown note, a broken PDF, an unsupported file) are attached,
// read and indexed in the documents worker, and the scripted engine's echo
// shows what reached the model: a small note whole, the matching passage of
// the large PDF (with its page); the reply's [n] opens its source. Reload
// keeps it all; deleting the chat removes its documents; nothing leaves the origin.
import { readFile } from 'node:fs/promises';
import { Document, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { useBrowser } from './browser-fixture';
import { exportChat, loadScriptedModel, openModelPanel, openModelSection, openScripted, send, seriousViolations } from './helpers';

const browser = useBrowser({ webgpu: true });

async function pdf(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 790 - i * 16, size: 11, font }));
  }
  return Buffer.from(await doc.save());
}

const FILLER = ['The committee reviewed the quarterly figures and the usual reports.', 'Travel expenses stayed within the agreed budget for the period.', 'Minutes were approved without changes by all members present.'];
const PAGES = Array.from({ length: 12 }, (_, i) =>
  i === 6 ? ['Section 7: Lighthouse maintenance', 'The lighthouse lens must be polished every 40 days by the keeper.', ...FILLER] : Array.from({ length: 30 }, (_, j) => `${FILLER[(i + j) % 3]} Page ${i + 1} line ${j + 1}.`),
);

const chips = (page: Page) => page.locator('.composer .chip');
async function attach(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  await page.locator('#attach-input').setInputFiles(files);
}
const documentCount = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('mistral-local-documents');
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('documents')) return resolve(0);
          const count = db.transaction('documents').objectStore('documents').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );

it('attach a note, a PDF, a DOCX: chips show their state; a small note goes whole, a large PDF by its best passage with the page; [n] opens the source; reload keeps it; bad files say why', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  // Privacy: once the model is loaded, documents attached and asked about request nothing beyond the app's own origin.
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('The boat is painted blue every spring.'), new Paragraph('Its name is Marguerite.')] }] }));
  await attach(page, [
    { name: 'note.md', mimeType: 'text/markdown', buffer: Buffer.from('# Note\n\nThe meeting moved to Thursday at 10:00.') },
    { name: 'boat.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: docx },
    { name: 'broken.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nthis is not really a pdf') },
    { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
  ]);
  await expect.poll(() => chips(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), { timeout: 30_000 }).toEqual(['indexed', 'indexed', 'failed', 'failed']);
  expect(await chips(page).nth(2).locator('[role=alert]').textContent()).toMatch(/^This PDF could not be read/);
  expect(await chips(page).nth(3).locator('[role=alert]').textContent()).toMatch(/image\/png is not supported: attach text, Markdown, code, CSV, HTML, PDF or Word/);
  await attach(page, [{ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) }]);
  await expect.poll(() => chips(page).nth(4).locator('[role=alert]').textContent(), { timeout: 30_000 }).toBe('This file is empty.');
  // A scan-like PDF: pages with a drawing and no text.
  const scan = await PDFDocument.create();
  scan.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 400, height: 600 });
  await attach(page, [{ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await scan.save()) }]);
  await expect.poll(() => chips(page).nth(5).locator('[role=alert]').textContent(), { timeout: 30_000 }).toBe('This PDF has no text layer (a scan?); only PDFs with selectable text can be read.');
  await chips(page).nth(5).getByRole('button', { name: 'Remove scan.pdf' }).click();
  expect(await seriousViolations(page)).toEqual([]); // chips, failed ones included
  await chips(page).nth(4).getByRole('button', { name: 'Remove empty.txt' }).click();
  // The broken ones are removed by the user; the others go with the question.
  await chips(page).nth(3).getByRole('button', { name: 'Remove photo.png' }).click();
  await chips(page).nth(2).getByRole('button', { name: 'Remove broken.pdf' }).click();

  const reply = await send(page, 'When is the meeting?');
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  const text = (await reply.locator('.markdown').textContent()) ?? '';
  // Both small documents whole, numbered, with the instruction to cite them.
  expect(text).toContain('The meeting moved to Thursday at 10:00.');
  expect(text).toContain('The boat is painted blue every spring.');
  expect(text).toMatch(/Cite the sources you use as/);
  expect(await page.locator('.message-user').last().locator('.chip-name').allTextContents()).toEqual(['note.md', 'boat.docx']);
  expect(await page.locator('.message-user').last().locator('.message-content').textContent()).toBe('When is the meeting?');
  // [1] in the reply opens source 1.
  await reply.locator('a.cite', { hasText: '[1]' }).first().click();
  const source = reply.locator('.sources details').first();
  expect(await source.evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
  expect(await source.locator('summary').textContent()).toBe('[1] note.md');

  // A 12-page PDF is too large to go whole: the passage that answers, with its page.
  await attach(page, [{ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: await pdf(PAGES) }]);
  await expect.poll(() => chips(page).first().getAttribute('data-state'), { timeout: 60_000 }).toBe('indexed');
  expect(await chips(page).first().locator('.chip-meta').textContent()).toBe('12 pages');
  const second = await send(page, 'How often must the lighthouse lens be polished?');
  await expect.poll(() => second.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  const summaries = await second.locator('.sources summary').allTextContents();
  expect(summaries[0]).toBe('[1] minutes.pdf, page 7');
  expect(await second.locator('.markdown').textContent()).toContain('polished every 40 days');
  expect(await second.locator('.markdown').textContent()).not.toContain('Page 3 line 1.');
  expect(await seriousViolations(page)).toEqual([]); // a reply with its sources and citation links

  // A large Markdown file (60 sections): the section that answers, not the whole file.
  const sections = Array.from({ length: 60 }, (_, i) => `## Station ${i + 1}\n\n${i === 41 ? 'The weather station on Skerry Island records gusts with a cup anemometer.' : `Station ${i + 1} logs temperature and humidity every hour, and the readings are archived monthly.`} ${'Routine maintenance notes follow. '.repeat(12)}`);
  await attach(page, [{ name: 'stations.md', mimeType: 'text/markdown', buffer: Buffer.from(`# Field stations\n\n${sections.join('\n\n')}`) }]);
  await expect.poll(() => chips(page).first().getAttribute('data-state'), { timeout: 30_000 }).toBe('indexed');
  const third = await send(page, 'Which instrument records gusts on Skerry Island? [tokens=30]');
  await expect.poll(() => third.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  const passages = await third.locator('.sources .source-text').allTextContents();
  expect(passages[0]).toContain('cup anemometer');
  expect(passages.join('').length).toBeLessThan(sections.join('').length / 4);

  // After a reload: chips on the questions, sources on the replies.
  await page.reload();
  await expect.poll(() => page.locator('.message-user .chip-name').allTextContents()).toEqual(['note.md', 'boat.docx', 'minutes.pdf', 'stations.md']);
  expect(await page.locator('.message-assistant').nth(1).locator('.sources summary').first().textContent()).toBe('[1] minutes.pdf, page 7');
  expect(await documentCount(page)).toBe(4);
  // The Storage view counts them; an export says the files are not in it.
  await openModelSection(page, 'Storage');
  await expect.poll(() => page.getByTestId('storage-documents').textContent()).toMatch(/^Attached documents: 4 files, about [\d.]+ KB of text and index, kept with their conversations/);
  const exported = await readFile((await (await exportChat(page, 'Markdown')).path())!, 'utf8');
  expect(exported).toContain('*Attached: note.md, boat.docx (the files themselves are not part of this export)*');
  expect(exported).toContain('Sources: [1] minutes.pdf, page 7');

  // Deleting the chat: its documents go once Undo is no longer offered.
  await page.locator('.conversation-list button[aria-label^="Delete"]').first().click();
  await page.locator('.toast').getByRole('button', { name: 'Dismiss' }).click();
  await expect.poll(() => documentCount(page)).toBe(0);
  const origin = new URL(page.url()).origin;
  expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
  await context.close();
});

it('the context window is a load option: its GPU memory is shown, the load uses it, the loaded model can be reloaded with another, and the choice is kept', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  const long = Array.from({ length: 6000 }, (_, i) => `w${i}`).join(' ');
  const first = await send(page, long);
  await expect.poll(() => first.getAttribute('data-status'), { timeout: 30_000 }).toBe('error');
  expect(await page.locator('main [role=alert]').textContent()).toMatch(/longer than the model's context window/);

  await openModelPanel(page);
  const window = page.locator('#context-window');
  expect(await window.locator('option').allTextContents()).toEqual(['4,096 tokens (default)', '8,192 tokens · +1.00 GB GPU memory', '16,384 tokens · +3.00 GB GPU memory', '32,768 tokens · +7.00 GB GPU memory']);
  await window.selectOption('16384');
  expect(await page.getByTestId('context-window-fit').textContent()).toMatch(/^About 8\.49 GB of GPU memory with this window/);
  await page.getByRole('button', { name: 'Reload' }).click();
  await expect.poll(() => page.getByTestId('load-done').textContent(), { timeout: 30_000 }).toMatch(/with a 16,384-token context window\.$/);
  const second = await send(page, `${long} [tokens=4]`);
  await expect.poll(() => second.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');

  // A new visit loads with the same window.
  await page.reload();
  await loadScriptedModel(page);
  await openModelPanel(page);
  expect(await page.locator('#context-window').inputValue()).toBe('16384');
  const third = await send(page, `${long} [tokens=4]`);
  await expect.poll(() => third.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  await context.close();
});

it('semantic search, when turned on: passages are embedded beside the chat model (its chip says so), stored with their vectors, and a question is answered from the fused ranking', async () => {
  const { context, page } = await openScripted(browser());
  await loadScriptedModel(page);
  await openModelPanel(page);
  await page.getByLabel(/Search attached documents by meaning too/).check();
  const labelled = JSON.parse(await readFile('test/fixtures/retrieval/labelled.json', 'utf8')) as { documents: { name: string; text: string }[] };
  // Every state a chip shows, recorded as the page renders it (the embedding step can be brief).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __chipSteps: string[] }).__chipSteps = seen;
    new MutationObserver(() => document.querySelectorAll('.composer .chip-meta').forEach((e) => seen.push((e.textContent ?? '').replace(/ \d+%$|…$/, '')))).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await attach(page, labelled.documents.map((d) => ({ name: d.name, mimeType: 'text/markdown', buffer: Buffer.from(d.text.repeat(3)) })));
  await expect.poll(() => chips(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), { timeout: 60_000 }).toEqual(['indexed', 'indexed', 'indexed']);
  const steps = await page.evaluate(() => (window as unknown as { __chipSteps: string[] }).__chipSteps);
  expect(steps).toContain('reading');
  expect(steps).toContain('embedding');
  expect(await chips(page).locator('.chip-error').count()).toBe(0);
  // Stored with 384-dimension vectors, one per passage.
  const vectors = await page.evaluate(
    () =>
      new Promise<{ passages: number; dims: number; floats: number }[]>((resolve) => {
        const open = indexedDB.open('mistral-local-documents');
        open.onsuccess = () => {
          const all = open.result.transaction('documents').objectStore('documents').getAll();
          all.onsuccess = () => resolve(all.result.map((d) => ({ passages: d.passages.length, dims: d.vectors?.dims, floats: d.vectors?.data.length })));
        };
      }),
  );
  expect(vectors).toHaveLength(3);
  for (const v of vectors) expect(v).toEqual({ passages: v.passages, dims: 384, floats: v.passages * 384 });

  const reply = await send(page, 'How do I limit the upload bandwidth? [tokens=20]');
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
  const sources = await reply.locator('.sources .source-text').allTextContents();
  expect(sources.length).toBeGreaterThan(0);
  expect(sources.some((s) => s.includes('--limit-upload'))).toBe(true);
  await context.close();
});
