// `npm run smoke:gpu`: for a maintainer with a real GPU and internet access.
// Starts the app (Vite dev server), opens it in your Chrome with WebGPU, loads
// a Mistral model through the real WebLLM worker, runs API requests
// (plain, streamed, JSON mode, and a tool call in Mistral's format) and prints time to first token and decode speed.
// Then the embedding model (snowflake-arctic-embed-s) on the labelled retrieval set
// (test/fixtures/retrieval/labelled.json): top-3 hit rate of keyword search alone and
// fused with semantic search, as the app's documents worker ranks them.
//
//   MODEL=mistralai/Mistral-7B-Instruct-v0.3 CHROME_PATH=/usr/bin/google-chrome npm run smoke:gpu
//   CONTEXT_WINDOW=32768 npm run smoke:gpu    # load with a larger context window (the KV cache grows with it)
//
// Weights are cached in a persistent profile (~/.cache/mistral-local-smoke), so
// only the first run downloads them. It cannot run on machines without a GPU
// or without access to huggingface.co and raw.githubusercontent.com.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const MODEL = process.env.MODEL ?? 'mistralai/Mistral-7B-Instruct-v0.3';
const CONTEXT_WINDOW = process.env.CONTEXT_WINDOW ? Number(process.env.CONTEXT_WINDOW) : undefined;
const LABELLED = JSON.parse(readFileSync(new URL('../test/fixtures/retrieval/labelled.json', import.meta.url), 'utf8'));
const CANDIDATES = [
  process.env.CHROME_PATH,
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
].filter(Boolean);
const chrome = CANDIDATES.find((p) => existsSync(p));
if (!chrome) {
  console.error('No Chrome found; set CHROME_PATH to your Chrome or Chromium executable.');
  process.exit(2);
}

const server = await createServer({ logLevel: 'warn', server: { port: Number(process.env.PORT ?? 5199), strictPort: false } });
await server.listen();
const url = server.resolvedUrls.local[0];
const context = await chromium.launchPersistentContext(join(os.homedir(), '.cache', 'mistral-local-smoke'), {
  executablePath: chrome,
  headless: process.env.HEADLESS === '1',
  args: ['--enable-unsafe-webgpu', ...(process.platform === 'linux' ? ['--enable-features=Vulkan'] : [])],
});
const page = context.pages()[0] ?? (await context.newPage());
page.on('console', (m) => m.type() === 'error' && console.error(`[page] ${m.text()}`));
await page.exposeFunction('smokeProgress', (line) => process.stdout.write(`\r${line}`.padEnd(90)));
await page.goto(url);

try {
  const result = await page.evaluate(async ([modelName, contextWindow]) => {
    const { engine } = await import('/src/engine/bridge.ts');
    const gpu = await engine.gpu();
    if (gpu.status !== 'ok') throw new Error(`No usable WebGPU adapter (${gpu.status}).`);
    const t0 = performance.now();
    const loaded = await engine.models.load(
      modelName,
      (p) => window.smokeProgress(`${p.stage} ${(p.fraction * 100).toFixed(0)}% ${(p.bytesDone / 2 ** 20).toFixed(0)}/${(p.bytesTotal / 2 ** 20).toFixed(0)} MiB`),
      contextWindow ? { contextWindow } : {},
    );
    const loadSeconds = (performance.now() - t0) / 1000;
    const runs = [];
    const messages = [{ role: 'user', content: 'Explain in three sentences why the sky is blue.' }];
    const time = async (name, request) => {
      const start = performance.now();
      let first = null;
      let text = '';
      if (request.stream) {
        for await (const chunk of await engine.chat.completions.create(request)) {
          const delta = chunk.choices[0]?.delta.content ?? '';
          if (delta && first === null) first = performance.now() - start;
          text += delta;
        }
      } else {
        text = (await engine.chat.completions.create(request)).choices[0].message.content;
      }
      const stats = (await engine.stats()).last;
      runs.push({ name, ttftMs: stats.timeToFirstTokenMs ?? first, decodeTokPerS: stats.decodeTokensPerSecond, completionTokens: stats.completionTokens, sample: text.slice(0, 80) });
    };
    await time('plain', { model: modelName, messages, max_tokens: 128 });
    await time('streamed', { model: modelName, messages, max_tokens: 128, stream: true });
    await time('json mode', {
      model: modelName,
      messages: [{ role: 'user', content: 'Give the capital and population of France as JSON with keys capital and population.' }],
      max_tokens: 96,
      response_format: { type: 'json_object' },
    });
    // Mistral's own tool-call format (ours, not WebLLM's Hermes path): does the real model follow it?
    const toolReply = await engine.chat.completions.create({
      model: modelName,
      messages: [{ role: 'user', content: 'What is the weather in Paris right now?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
      max_tokens: 96,
    });
    const toolStats = (await engine.stats()).last;
    const call = toolReply.choices[0].message.tool_calls?.[0];
    runs.push({ name: 'tool call (auto)', ttftMs: toolStats.timeToFirstTokenMs, decodeTokPerS: toolStats.decodeTokensPerSecond, completionTokens: toolStats.completionTokens, sample: call ? `${call.function.name}(${call.function.arguments})` : `no call: ${toolReply.choices[0].message.content?.slice(0, 60)}` });
    return { gpu: `${gpu.vendor} ${gpu.architecture} ${gpu.description}`.trim(), loaded, loadSeconds, runs };
  }, [MODEL, CONTEXT_WINDOW]);
  console.log(`\nGPU: ${result.gpu}`);
  console.log(`Loaded ${result.loaded.modelId} in ${result.loadSeconds.toFixed(1)} s${result.loaded.fromCache ? ' (from cache)' : ''}`);
  console.table(result.runs.map((r) => ({ request: r.name, 'TTFT ms': Math.round(r.ttftMs), 'decode tok/s': r.decodeTokPerS?.toFixed(1), tokens: r.completionTokens, sample: r.sample })));

  // Retrieval quality with the real embedding model (downloaded once, about 130 MB).
  const quality = await page.evaluate(async (set) => {
    const { engine } = await import('/src/engine/bridge.ts');
    const { toPassages } = await import('/src/documents/passages.ts');
    const { buildIndex, fuse, nearest, search } = await import('/src/documents/retrieval.ts');
    const embed = async (texts) => {
      const out = [];
      for (let i = 0; i < texts.length; i += 16) out.push(...(await engine.embeddings.create({ model: 'snowflake-arctic-embed-s', input: texts.slice(i, i + 16) })).data.map((d) => d.embedding));
      return out;
    };
    const t0 = performance.now();
    const docs = [];
    for (const d of set.documents) {
      const passages = toPassages([{ number: null, text: d.text }], 300);
      const vectors = await embed(passages.map((p) => p.text));
      docs.push({ name: d.name, passages, index: buildIndex(passages), vectors: { model: 's', dims: vectors[0].length, data: new Float32Array(vectors.flat()) } });
    }
    const embedSeconds = (performance.now() - t0) / 1000;
    let lexical = 0;
    let combined = 0;
    for (const { q, doc, answer } of set.questions) {
      const hit = (hits) => hits.some((h) => h.documentId === doc && docs.find((d) => d.name === doc).passages[h.passage].text.includes(answer));
      const words = search(docs.map((d) => ({ documentId: d.name, index: d.index })), q, 30);
      const [query] = await embed([q]);
      const meaning = nearest(docs.map((d) => ({ documentId: d.name, vectors: d.vectors })), query, 30);
      if (hit(words.slice(0, 3))) lexical++;
      if (hit(fuse([words, meaning], 3))) combined++;
    }
    return { lexical, combined, total: set.questions.length, embedSeconds };
  }, LABELLED);
  console.log(`Labelled retrieval set, top-3 (300-character passages): keywords ${quality.lexical}/${quality.total}, keywords + meaning ${quality.combined}/${quality.total}; embedding the passages took ${quality.embedSeconds.toFixed(1)} s`);
} catch (error) {
  console.error(`\nSmoke test failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await context.close();
  await server.close();
}
