// Shared by the benchmark scripts: machine description and writing one
// section of docs/benchmarks.md (between markers) without touching the others.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.type()} ${os.release()}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`;
}

const DOC = 'docs/benchmarks.md';
const HEADER = '# Benchmarks\n\nEach section is written by its script; rerun the script to refresh it.\n';

export function writeSection(id, markdown) {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : HEADER;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  doc = from >= 0 && to > from ? doc.slice(0, from) + block + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(DOC, doc);
}

/** Builds the production app and serves it locally, as a static host would. */
export async function servedProductionBuild() {
  const { build, preview } = await import('vite');
  process.env.NODE_ENV = 'production';
  await build({ logLevel: 'warn', mode: 'production' });
  const server = await preview({ logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } });
  return { server, url: server.resolvedUrls.local[0] };
}

/** A git worktree of `commit` under the system's temp folder, sharing this checkout's node_modules. */
export async function worktreeOf(commit) {
  const { mkdtempSync, symlinkSync } = await import('node:fs');
  const { join, resolve } = await import('node:path');
  const dir = join(mkdtempSync(join(os.tmpdir(), 'bench-baseline-')), 'app');
  execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { stdio: 'ignore' });
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => execFileSync('git', ['worktree', 'remove', '--force', dir], { stdio: 'ignore' }) };
}

/**
 * The production build of another commit, served beside ours, so a benchmark
 * compares the two side by side in one run on a noisy machine.
 */
export async function servedProductionBuildOf(commit) {
  const { build, preview } = await import('vite');
  const { join } = await import('node:path');
  const tree = await worktreeOf(commit);
  process.env.NODE_ENV = 'production';
  const config = { root: tree.dir, configFile: join(tree.dir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' };
  await build(config);
  const server = await preview({ ...config, preview: { port: 0, host: '127.0.0.1' } });
  return {
    server,
    url: server.resolvedUrls.local[0],
    close: async () => {
      await server.close();
      tree.remove();
    },
  };
}

/**
 * Builds the e2e app (scripted engine in the worker), serves it, opens it in
 * headless Chromium with the model hosts played by routes, and loads the model.
 */
/** The e2e build (scripted engine) in Chromium; `userDataDir` keeps the profile on disk (storage as users have it). */
/** `commit`: that commit's e2e build instead of this checkout's (a worktree; see worktreeOf). */
export async function startScriptedApp({ userDataDir, commit } = {}) {
  const { chromium } = await import('playwright-core');
  const { build, preview } = await import('vite');
  const { join } = await import('node:path');
  const tree = commit ? await worktreeOf(commit) : null;
  const where = tree ? { root: tree.dir, configFile: join(tree.dir, 'vite.config.ts') } : {};
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({ ...where, logLevel: 'warn', mode: 'e2e' });
  process.env.NODE_ENV = nodeEnv;
  const server = await preview({ ...where, logLevel: 'warn', mode: 'e2e', build: { outDir: 'dist-e2e' }, preview: { port: 0, host: '127.0.0.1' } });
  const url = server.resolvedUrls.local[0];
  const manifest = JSON.stringify({ records: [0, 1].map((i) => ({ dataPath: `params_shard_${i}.bin`, format: 'raw-shard', nbytes: 4096, records: [] })) });
  const launch = {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'],
  };
  const viewport = { width: 1280, height: 900 };
  const context = userDataDir ? await chromium.launchPersistentContext(userDataDir, { ...launch, viewport }) : await (await chromium.launch(launch)).newContext({ viewport });
  const browser = context.browser() ?? { version: () => 'unknown', close: () => context.close() };
  await context.route(/^https:\/\/(huggingface\.co|raw\.githubusercontent\.com)\//, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path.endsWith('tensor-cache.json')) return route.fulfill({ status: 200, contentType: 'application/json', body: manifest });
    if (path.includes('params_shard')) return route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.alloc(4096) });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('#model-select')?.value?.includes('q4f32_1'), null, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Load' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=engine-status]')?.textContent?.startsWith('Ready'), null, { timeout: 30_000 });
  return {
    page,
    context,
    version: browser.version(),
    async close() {
      await context.close();
      await browser.close().catch(() => {});
      await server.close();
      tree?.remove();
    },
  };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Resident memory of all the browser's (Chromium's) processes, in bytes. */
export function browserRss() {
  return execFileSync('ps', ['-C', 'chromium', '-o', 'rss='], { encoding: 'utf8' }).split('\n').filter(Boolean).reduce((n, kb) => n + Number(kb) * 1024, 0);
}

/**
 * CPU seconds the hypervisor has taken from this machine so far (steal time, all cores, from
 * /proc/stat): on a shared machine, the time other tenants ran on our cores, which makes timings noisy.
 */
export function stealSeconds() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  return Number(fields[8] ?? 0) / 100; // USER_HZ
}

/** CPU seconds (user + system) the browser's processes have used so far, from /proc. */
export function browserCpuSeconds() {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: the fields after it are split.
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'chromium') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks / 100; // USER_HZ
}

/**
 * Samples the CPU time of the browser's processes and of this Node process (the local hosts
 * the benchmarks serve from) every `intervalMs`; `between(t0, t1)` (epoch ms) gives what each
 * used in that window, interpolated between samples.
 */
export function cpuSampler(intervalMs = 50) {
  const samples = [];
  const sample = () => {
    const node = process.cpuUsage();
    samples.push([Date.now(), browserCpuSeconds(), (node.user + node.system) / 1e6]);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  const at = (t, column) => {
    const i = samples.findIndex(([time]) => time >= t);
    if (i === -1) return samples.at(-1)[column];
    if (i === 0) return samples[0][column];
    const [t0, ...a] = samples[i - 1];
    const [t1, ...b] = samples[i];
    return a[column - 1] + ((b[column - 1] - a[column - 1]) * (t - t0)) / (t1 - t0);
  };
  return {
    between: (t0, t1) => ({ browser: at(t1, 1) - at(t0, 1), node: at(t1, 2) - at(t0, 2), seconds: (t1 - t0) / 1000 }),
    stop: () => clearInterval(timer),
  };
}

/** Runs `work`, sampling the browser's resident memory every `intervalMs`: its result and the peak above where it started. */
export async function peakMemoryDuring(work, intervalMs) {
  const base = browserRss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, browserRss())), intervalMs);
  try {
    return { result: await work(), extra: peak - base };
  } finally {
    clearInterval(sampler);
  }
}
