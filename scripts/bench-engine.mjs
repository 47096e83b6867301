// `npm run bench:engine`: our per-token overhead, measured on the real engine.
// In headless Chromium on SwiftShader, the tiny real model (test/fixtures/
// tiny-mistral) decodes the same greedy request through WebLLM's MLCEngine
// alone in a worker, and through our whole stack (the production worker,
// comlink, validation, queue, tool and sampler hooks, read on the main
// thread), alternately, in one run; medians of several runs. A third path
// sets top_k, which puts our logit processor on the model for that request.
import { readFileSync } from 'node:fs';
import { machine, writeSection } from './bench-lib.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const TOKENS = Number(process.env.TOKENS ?? 64);
const FIXTURE = new URL('../test/fixtures/tiny-mistral/', import.meta.url);
const MODEL_URL = 'https://huggingface.co/mistral-local-tests/tiny-mistral';
const LIB_URL = 'https://raw.githubusercontent.com/mistral-local-tests/tiny-mistral/main/tiny-mistral-webgpu.wasm';

const { chromium } = await import('playwright-core');
const { build, preview } = await import('vite');
process.env.NODE_ENV = 'production';
await build({ logLevel: 'warn', mode: 'production', configFile: 'vite.config.ts', root: 'test/e2e/harness', base: './', build: { outDir: '../../../dist-harness', emptyOutDir: true } });
const server = await preview({ logLevel: 'warn', configFile: 'vite.config.ts', root: 'test/e2e/harness', build: { outDir: '../../../dist-harness' }, preview: { port: 0, host: '127.0.0.1' } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'],
});
const context = await browser.newContext();
// The model hosts, played from the fixture (the weights as a Hugging Face repository, the library as a raw file).
await context.route(/^https:\/\/(huggingface\.co|raw\.githubusercontent\.com)\/mistral-local-tests\//, (route) => {
  const name = new URL(route.request().url()).pathname.split('/').pop();
  const type = name.endsWith('.wasm') ? 'application/wasm' : name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  try {
    return route.fulfill({ status: 200, body: readFileSync(new URL(name, FIXTURE)), contentType: type, headers: { 'access-control-allow-origin': '*' } });
  } catch {
    return route.fulfill({ status: 404, body: 'Entry not found' });
  }
});
const page = await context.newPage();
await page.goto(server.resolvedUrls.local[0]);
await page.waitForFunction(() => 'harness' in globalThis);
await page.evaluate(
  async ([modelUrl, modelLibUrl]) => {
    await harness.engine.models.addCustom({ modelUrl, modelLibUrl });
    await harness.engine.models.load('tiny-mistral');
    await harness.raw.load({ model: modelUrl, model_id: 'tiny-mistral', model_lib: modelLibUrl, overrides: { context_window_size: 1024 } });
  },
  [MODEL_URL, LIB_URL],
);

const request = { model: 'tiny-mistral', messages: [{ role: 'user', content: 'Tell me about the river' }], temperature: 0, max_tokens: TOKENS };

async function ours(extra = {}) {
  return page.evaluate(async (req) => {
    let first = 0;
    let last = 0;
    let tokens = 0;
    for await (const chunk of await harness.engine.chat.completions.create({ ...req, stream: true })) {
      if (chunk.choices[0]?.delta.content) {
        last = performance.now();
        first ||= last;
      }
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
    return { tokensPerSecond: ((tokens - 1) * 1000) / (last - first), tokens };
  }, { ...request, ...extra });
}
// top_k puts our logit processor on the model for the request: WebLLM then copies each token's logits to the CPU and back.
const oursTopK = () => ours({ top_k: 40 });
const raw = () => page.evaluate((req) => harness.raw.run(req), request);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// One warm-up each (shader pipelines, caches), then alternate.
await ours();
await raw();
await oursTopK();
const results = { ours: [], raw: [], topK: [] };
for (let i = 0; i < RUNS; i++) {
  results.raw.push(await raw());
  results.ours.push(await ours());
  results.topK.push(await oursTopK());
}
await browser.close();
await server.close();

const tokens = results.ours[0].tokens;
const oursMedian = median(results.ours.map((r) => r.tokensPerSecond));
const rawMedian = median(results.raw.map((r) => r.tokensPerSecond));
const topKMedian = median(results.topK.map((r) => r.tokensPerSecond));
const overhead = (1 - oursMedian / rawMedian) * 100;
const fmt = (v) => v.toFixed(1);
const spread = (runs, max = false) => (max ? Math.max : Math.min)(...runs.map((r) => r.tokensPerSecond));
writeSection(
  'engine',
  `## Engine overhead (\`npm run bench:engine\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, headless ${browser.version()} with SwiftShader WebGPU (CPU). The tiny real model (test/fixtures/tiny-mistral: 2 layers, hidden 128, 512 tokens), the same greedy request (${tokens} tokens), ${RUNS} runs each, alternated, after one warm-up each. Decode tokens/s after the first token.

| path | median tok/s | runs |
|---|---:|---|
| WebLLM's \`MLCEngine.chatCompletion\` alone, in a worker | ${fmt(rawMedian)} | ${results.raw.map((r) => fmt(r.tokensPerSecond)).join(', ')} |
| through our API: production worker, comlink, validation, queue, tool and sampler hooks, read on the main thread | ${fmt(oursMedian)} | ${results.ours.map((r) => fmt(r.tokensPerSecond)).join(', ')} |
| the same with \`top_k: 40\` (our logit processor on the model: logits to the CPU and back each token) | ${fmt(topKMedian)} | ${results.topK.map((r) => fmt(r.tokensPerSecond)).join(', ')} |

Through our API the median rate is **${fmt((oursMedian / rawMedian) * 100)} %** of WebLLM's own (${overhead > 0 ? `${fmt(overhead)} % overhead` : 'no measurable overhead'}); the runs spread over ${fmt(spread(results.raw))}–${fmt(spread(results.raw, true))} and ${fmt(spread(results.ours))}–${fmt(spread(results.ours, true))} tok/s, so differences inside that are noise of this shared machine. With \`top_k\` the rate is ${fmt((topKMedian / oursMedian) * 100)} % of the plain request's; requests without \`top_k\` / \`min_p\` never pay that (see the sampler section). An upper bound only in part: SwiftShader makes every token slow, so fixed per-token costs weigh less here than on a GPU; \`npm run smoke:gpu\` reports the rate on real hardware.`,
);
console.log(`raw ${fmt(rawMedian)} tok/s, ours ${fmt(oursMedian)} tok/s, overhead ${fmt(overhead)} %, with top_k ${fmt(topKMedian)} tok/s`);
