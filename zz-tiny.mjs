import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { join, extname } from 'node:path';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };
function serve(root, port) {
  return new Promise((ok) => {
    const s = createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let f = join(root, p);
      try { if (statSync(f).isDirectory()) f = join(f, 'index.html'); statSync(f); } catch { res.writeHead(404, {'access-control-allow-origin': '*'}).end('nf'); return; }
      res.writeHead(200, { 'content-type': TYPES[extname(f)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' });
      createReadStream(f).pipe(res);
    });
    s.listen(port, '127.0.0.1', () => ok(s));
  });
}
await serve('/work/main/dist', 4810);
await serve('/tmp/scratch/tinyhost', 4811);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'] });
const page = await browser.newPage();
page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 400)));
page.on('pageerror', (e) => console.log('pageerror', e.message));
page.on('worker', (w) => { w.on('console', (m) => console.log('worker', m.type(), m.text().slice(0, 600))); });
await page.goto('http://localhost:4810/');
await page.waitForFunction(() => document.querySelector('[data-testid=engine-status]')?.textContent === 'No model loaded', null, { timeout: 30000 });
await page.locator('summary', { hasText: 'Custom models' }).click();
await page.getByLabel(/Model URL/).fill('http://127.0.0.1:4811/tiny-mistral');
await page.getByLabel(/Model library URL/).fill('http://127.0.0.1:4811/lib/tiny-mistral-webgpu.wasm');
await page.getByRole('button', { name: 'Add model' }).click();
await page.waitForTimeout(2000);
console.log('options', await page.locator('#model-select option').evaluateAll((els) => els.map((e) => e.value)));
await page.locator('#model-select').selectOption('tiny-mistral');
await page.getByRole('button', { name: 'Load' }).click();
const t0 = Date.now();
for (let i = 0; i < 120; i++) {
  await page.waitForTimeout(1000);
  const status = await page.getByTestId('engine-status').textContent();
  const alert = await page.locator('[role=alert]').allTextContents();
  if (status.startsWith('Ready') || alert.length) { console.log('status', status, alert, (Date.now()-t0)/1000); break; }
}
if ((await page.getByTestId('engine-status').textContent()).startsWith('Ready')) {
  await page.locator('.composer textarea').fill('Hello');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 120; i++) {
    await page.waitForTimeout(1000);
    const st = await page.locator('.message-assistant').last().getAttribute('data-status');
    if (st && st !== 'streaming') { console.log('reply', st, JSON.stringify(await page.locator('.message-assistant').last().textContent())); break; }
  }
}
await browser.close();
process.exit(0);
