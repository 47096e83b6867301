// `npm run bench`: builds the app and measures what the main thread must load
// before first paint (the entry module and its modulepreloads, gzip), the
// engine worker's entry and the WebLLM chunk it imports on the first load. Target: main-thread JS at most 60 KB gzip.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { machine, writeSection } from './bench-lib.mjs';

const TARGET_KB = 60;
await build({ logLevel: 'warn', mode: 'production' });

const html = readFileSync('dist/index.html', 'utf8');
const scripts = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
const size = (file) => {
  const bytes = readFileSync(join('dist', file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const main = scripts.map((s) => ({ file: s, ...size(s) }));
const mainGzip = main.reduce((n, f) => n + f.gzip, 0);
const workerFiles = readdirSync('dist/assets').filter((f) => f.startsWith('engine.worker') && f.endsWith('.js'));
const worker = size(`assets/${workerFiles.find((f) => !f.startsWith('engine.worker-lib-'))}`);
const webllm = size(`assets/${workerFiles.find((f) => f.startsWith('engine.worker-lib-'))}`);
const kb = (n) => (n / 1024).toFixed(1);

const verdict = mainGzip / 1024 <= TARGET_KB ? `meets the ${TARGET_KB} KB target` : `MISSES the ${TARGET_KB} KB target`;
console.log(`main-thread JS before first paint: ${kb(mainGzip)} KB gzip (${main.map((f) => f.file).join(', ')}) — ${verdict}`);
console.log(`engine worker entry: ${kb(worker.raw)} KB raw, ${kb(worker.gzip)} KB gzip; WebLLM chunk: ${kb(webllm.raw)} KB raw, ${kb(webllm.gzip)} KB gzip`);

writeSection(
  'bundle',
  `## Bundle size (\`npm run bench\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}. Sizes are gzip level 9 of the production build.

| what | raw | gzip |
|---|---:|---:|
${main.map((f) => `| main thread: \`${f.file}\` | ${kb(f.raw)} KB | ${kb(f.gzip)} KB |`).join('\n')}
| **main-thread JS before first paint** | | **${kb(mainGzip)} KB** (target ≤ ${TARGET_KB} KB: ${verdict}) |
| engine worker entry (API, catalog, GPU facts, downloads, storage): what starts the model picker | ${kb(worker.raw)} KB | ${kb(worker.gzip)} KB |
| WebLLM, imported by the worker on the first model load (never fetched without WebGPU; not precached) | ${kb(webllm.raw)} KB | ${kb(webllm.gzip)} KB |`,
);
