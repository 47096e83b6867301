// The package as a site installs it: `npm pack`, then three fresh projects in
// a temporary folder (no path back to our sources) install the tarball and
// build — Vite + TypeScript, webpack 5, and a plain page with no bundler.
// Each production build, in Chromium on SwiftShader, loads the tiny real
// model through the package's own worker and streams a reply through the
// `openai` client; the main-thread bundle must not contain WebLLM.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';
import { startStaticServer } from './static-server';
import { routeTinyModel, TINY_LIB_URL, TINY_MODEL_URL } from './tiny-model-host';

const run = promisify(execFile);
const browser = useBrowser({ webgpu: true });
const TEMPLATES = new URL('../package/', import.meta.url);
// A string of WebLLM's own code (its weight loader's progress text).
const WEBLLM = 'Fetching param cache';
// The host's policy the package README documents: the page, and the worker with WebAssembly.
const HOSTS = 'https://huggingface.co https://*.huggingface.co https://*.hf.co https://raw.githubusercontent.com';
const PAGE_CSP = `default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; connect-src 'self' ${HOSTS}`;
const WORKER_CSP = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${HOSTS}`;

let root: string;
let tarball: string;
const ours = JSON.parse(await readFile('package.json', 'utf8')) as { devDependencies: Record<string, string> };
/** The same versions as ours, so that an install after `npm ci` is served from npm's cache. */
const version = (name: string) => ours.devDependencies[name]!;
// A build tool run by the test must build for production (Vitest sets NODE_ENV=test).
const env = { ...process.env, NODE_ENV: 'production' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mistral-local-package-'));
  // `npm pack` runs `prepack`, which builds dist-lib/.
  await run('npm', ['pack', '--pack-destination', root], { env, maxBuffer: 64 << 20 });
  tarball = join(root, (await readdir(root)).find((name) => name.endsWith('.tgz'))!);
}, 180_000);
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A fresh project from a template, with the tarball and `deps` installed. */
async function project(template: string, deps: Record<string, string>): Promise<string> {
  const dir = join(root, template);
  await cp(new URL(template, TEMPLATES), dir, { recursive: true });
  await cp(new URL('shared/run-chat.js', TEMPLATES), join(dir, template === 'plain-html' ? 'run-chat.js' : 'src/run-chat.js')).catch(() => {});
  const pkg = { name: `site-${template}`, private: true, type: 'module', dependencies: { 'mistral-local': `file:${tarball}`, ...deps } };
  await writeFile(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env, maxBuffer: 64 << 20 });
  return dir;
}

/** Serves `dir`, opens it, routes the tiny model's hosts, and runs the site's `run()`. */
async function chatThrough(dir: string, headers?: (path: string) => Record<string, string>) {
  const server = await startStaticServer({ '/': dir }, 0, headers);
  const { context, page, errors } = await openPage(browser(), `${server.url}/`);
  try {
    const host = await routeTinyModel(context);
    await page.waitForFunction(() => typeof (window as { run?: unknown }).run === 'function');
    const result = await page.evaluate(([model, lib]) => (window as unknown as { run(a: string, b: string): Promise<{ stages: string[]; text: string; chunks: number; finish: string | null }> }).run(model!, lib!), [TINY_MODEL_URL, TINY_LIB_URL]);
    return { result, errors, requests: host.requests, page, context };
  } finally {
    await server.close();
  }
}

function expectRealReply(result: { stages: string[]; text: string; chunks: number; finish: string | null }) {
  expect(result.stages).toEqual(expect.arrayContaining(['download', 'ready']));
  expect(result.chunks).toBeGreaterThan(1);
  expect(result.text.length).toBeGreaterThan(0);
  expect(['stop', 'length']).toContain(result.finish);
}

/** The JavaScript files a build wrote, by name. */
async function scripts(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.m?js$/.test(entry.name)) files.set(join(entry.parentPath, entry.name).slice(dir.length + 1), await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return files;
}

it('the tarball holds the built package and nothing of ours besides', async () => {
  const { stdout } = await run('tar', ['-tzf', tarball]);
  const files = stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
  expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist-lib/index.js', 'dist-lib/engine.worker.js', 'dist-lib/documents.worker.js', 'dist-lib/highlight.worker.js', 'dist-lib/chat.js', 'dist-lib/chat.css', 'dist-lib/types/src/package/index.d.ts', 'dist-lib/THIRD-PARTY-LICENSES.md']));
  expect(files.filter((f) => !f.startsWith('dist-lib/') && !['package.json', 'README.md', 'LICENSE'].includes(f))).toEqual([]);
  // No test code (the scripted engine) in what ships.
  const dir = join(root, 'unpacked');
  await run('mkdir', ['-p', dir]);
  await run('tar', ['-xzf', tarball, '-C', dir]);
  for (const [name, code] of await scripts(join(dir, 'package/dist-lib'))) expect(code, name).not.toContain('Loading scripted model');
});

it('Vite + TypeScript: types check, the build streams a real reply through openai, WebLLM only in the worker; the chat part mounts and reads a file', async () => {
  const dir = await project('vite-app', { openai: version('openai'), vite: version('vite'), typescript: version('typescript') });
  await run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: dir });
  await run(join(dir, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: dir, env });
  const built = await scripts(join(dir, 'dist'));
  const main = [...built].filter(([name]) => !/worker|engine/.test(name));
  expect(main.length).toBeGreaterThan(0);
  for (const [name, code] of main) expect(code, name).not.toContain(WEBLLM);
  expect([...built.values()].some((code) => code.includes(WEBLLM))).toBe(true);

  const { result, errors, context } = await chatThrough(join(dir, 'dist'));
  expectRealReply(result);
  expect(errors).toEqual([]);
  await context.close();

  // The chat UI from `mistral-local/chat` with its CSS: the model picker lists the Mistral models.
  const server = await startStaticServer({ '/': join(dir, 'dist') });
  const chat = await openPage(browser(), `${server.url}/chat.html`);
  await expect.poll(() => chat.page.locator('#model-select option').count(), { timeout: 30_000 }).toBeGreaterThan(2);
  expect(await chat.page.locator('#prompt').isVisible()).toBe(true);
  expect(await chat.page.evaluate(() => getComputedStyle(document.querySelector('.app')!).display)).toBe('flex');
  // Its documents worker, bundled by the site's Vite from the package: a file is read and indexed.
  await chat.page.locator('#attach-input').setInputFiles({ name: 'note.md', mimeType: 'text/markdown', buffer: Buffer.from('# Note\n\nThe site bundles the documents worker.') });
  await expect.poll(() => chat.page.locator('.composer .chip').getAttribute('data-state'), { timeout: 30_000 }).toBe('indexed');
  expect(chat.errors).toEqual([]);
  await chat.context.close();
  await server.close();
}, 420_000);

it('webpack 5: the build streams a real reply through openai; WebLLM only in the worker’s chunks', async () => {
  const dir = await project('webpack-app', { openai: version('openai'), webpack: version('webpack') });
  await run(process.execPath, ['-e', "import('webpack').then(async ({ default: webpack }) => { const config = (await import('./webpack.config.mjs')).default; webpack(config, (err, stats) => { if (err || stats.hasErrors()) { console.error(err ?? stats.toString('errors-only')); process.exit(1); } }); })"], { cwd: dir, env, maxBuffer: 64 << 20 });
  await cp(join(dir, 'index.html'), join(dir, 'dist/index.html'));
  const built = await scripts(join(dir, 'dist'));
  expect(built.get('main.js')).toBeDefined();
  expect(built.get('main.js')).not.toContain(WEBLLM);
  expect([...built.values()].some((code) => code.includes(WEBLLM))).toBe(true);

  const { result, errors, context } = await chatThrough(join(dir, 'dist'));
  expectRealReply(result);
  expect(errors).toEqual([]);
  await context.close();
}, 420_000);

it('a plain page without a bundler: the package self-hosted beside it, under the documented CSP, streams a real reply', async () => {
  const dir = await project('plain-html', { openai: version('openai') });
  // What the README tells such a site to do: copy the package's files to its own origin.
  const site = join(dir, 'site');
  await cp(join(dir, 'index.html'), join(site, 'index.html'));
  await cp(join(dir, 'main.js'), join(site, 'main.js'));
  await cp(join(dir, 'run-chat.js'), join(site, 'run-chat.js'));
  await cp(join(dir, 'node_modules/mistral-local/dist-lib'), join(site, 'vendor/mistral-local'), { recursive: true });
  await cp(join(dir, 'node_modules/openai'), join(site, 'vendor/openai'), { recursive: true });
  const { result, errors, context } = await chatThrough(site, (path) => ({ 'content-security-policy': path.endsWith('/engine.worker.js') ? WORKER_CSP : PAGE_CSP }));
  expectRealReply(result);
  expect(errors).toEqual([]);
  await context.close();
}, 420_000);
