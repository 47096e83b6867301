// Launches Debian's Chromium headless (see ../shared/BROWSER-TESTING.md). With
// `webgpu: true` it gets a real WebGPU adapter on the CPU (SwiftShader).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const BASE_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(options: { webgpu: boolean }): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...BASE_FLAGS, ...(options.webgpu ? WEBGPU_FLAGS : [])],
  });
}

/** A fresh context (its own storage) and page that records console errors and CSP violations. */
export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1200, height: 900 },
  // For a model host that cuts connections (test/fixtures/tls: a self-signed local server).
  options: { ignoreHTTPSErrors?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, ...options });
  // Fail a missing element in seconds, with its locator in the message, rather than at the test timeout.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) errors.push(`csp: ${m.text()}`);
  });
  await page.goto(url);
  return { context, page, errors };
}
