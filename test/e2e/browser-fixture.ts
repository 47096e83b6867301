// One Chromium per test file, launched before its tests and closed after.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launch } from './browser';

/** Registers launch/close hooks; call `browser()` inside tests. */
export function useBrowser(options: { webgpu: boolean }): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch(options);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}
