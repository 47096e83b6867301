// Model output is untrusted: 40 known XSS / exfiltration vectors streamed
// through the scripted engine into the real UI in Chromium. Nothing runs,
// nothing loads from elsewhere, no handler attribute ever reaches the DOM
// (checked while streaming too), and the CSP reports no violation.
import { expect, inject, it } from 'vitest';
import { XSS_VECTORS } from '../support/xss-vectors';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';
import { loadScriptedModel, MISTRAL_Q4F32_NAME, send } from './helpers';
import { routeModelHosts } from './model-host';

const browser = useBrowser({ webgpu: true });

it('renders every vector harmlessly, sends nothing anywhere, and the CSP reports no violation', async () => {
  const { context, page, errors } = await openPage(browser(), 'about:blank');
  const host = await routeModelHosts(context, { shards: 2, shardBytes: 4096 });
  const origin = new URL(inject('baseUrl')).origin;
  const foreign: string[] = [];
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== origin && !['huggingface.co', 'raw.githubusercontent.com'].includes(url.host) && url.protocol !== 'data:' && url.protocol !== 'blob:') foreign.push(r.url());
  });
  await context.addInitScript(() => {
    const w = window as unknown as { __xss: () => void; __pwned: number; __violations: string[]; __bad: string[] };
    w.__pwned = 0;
    w.__xss = () => void (w.__pwned += 1);
    w.__violations = [];
    w.__bad = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    // Watch every node the app ever inserts, while streaming too.
    const FORBIDDEN = /^(SCRIPT|IFRAME|OBJECT|EMBED|IMG|SVG|MATH|STYLE|LINK|META|BASE|FORM|VIDEO|AUDIO|SOURCE|TEMPLATE|NOSCRIPT|MARQUEE)$/;
    const check = (el: Element) => {
      if (!el.closest?.('.message-list')) return;
      if (FORBIDDEN.test(el.tagName)) w.__bad.push(el.outerHTML.slice(0, 80));
      for (const name of el.getAttributeNames()) if (name.startsWith('on') || name === 'style' || name === 'srcset') w.__bad.push(`${el.tagName}[${name}]`);
      if (el.tagName === 'A' && el.hasAttribute('href') && !/^(https:|mailto:)/i.test(el.getAttribute('href')!)) w.__bad.push(`a[href=${el.getAttribute('href')}]`);
      // The app's own link rules hold on every path (the browser's Sanitizer API while streaming, DOMPurify after).
      if (el.tagName === 'A' && (el.getAttribute('rel') !== 'noopener noreferrer nofollow' || el.getAttribute('target') !== '_blank')) w.__bad.push(`a[rel=${el.getAttribute('rel')}]`);
      if (el.tagName === 'INPUT' && (el.getAttribute('type') !== 'checkbox' || !el.hasAttribute('disabled'))) w.__bad.push(el.outerHTML.slice(0, 80));
    };
    new MutationObserver((records) => {
      for (const r of records) for (const node of r.addedNodes) if (node instanceof Element) [node, ...node.querySelectorAll('*')].forEach(check);
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${inject('baseUrl')}/scripted/`);
  await loadScriptedModel(page);

  const reply = await send(page, `[delay=2][say]${XSS_VECTORS.join('\n\n')}\n\nEnd of test.[/say]`);
  await expect.poll(() => reply.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  expect(await reply.textContent()).toContain('End of test.');
  // Let any deferred payload (onerror, onload, autofocus) fire if it could.
  await page.waitForTimeout(500);

  const state = await page.evaluate(() => {
    const w = window as unknown as { __pwned: number; __violations: string[]; __bad: string[] };
    return { pwned: w.__pwned, violations: w.__violations, bad: w.__bad };
  });
  expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(30);
  // This browser has the HTML Sanitizer API, so the streaming path above ran through it (render/markdown.ts).
  expect(await page.evaluate(() => typeof (globalThis as { Sanitizer?: unknown }).Sanitizer === 'function' && 'setHTML' in Element.prototype)).toBe(true);
  expect(state.pwned).toBe(0);
  expect(state.bad).toEqual([]);
  expect(state.violations).toEqual([]);
  expect(foreign).toEqual([]);
  // The image became a link to click, not a request.
  expect(host.requests.some((u) => u.includes('attacker.example'))).toBe(false);
  expect(await reply.locator('a.image-link').count()).toBeGreaterThan(0);
  expect(errors).toEqual([]);
  expect(await page.getByTestId('engine-status').textContent()).toBe(`Ready: ${MISTRAL_Q4F32_NAME}`);
  await context.close();
});
