// Real tokens: the real WebLLM in the production worker, on SwiftShader,
// loading the tiny Mistral-architecture model (test/fixtures/tiny-mistral)
// through our downloader into IndexedDB, then generating through our whole
// stack: the engine API over comlink, and createLocalFetch behind the openai
// client. Random weights make the text gibberish; every mechanic is real.
// The model loads once for the file (SwiftShader compiles shaders slowly).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './browser';
import { useBrowser } from './browser-fixture';
import { routeTinyModel, TINY_LIB_URL, TINY_MODEL_ID, TINY_MODEL_URL, type TinyHost } from './tiny-model-host';
import { tinyTokenizer } from '../support/mlc-engines';

const browser = useBrowser({ webgpu: true });

/** The harness page's global (test/e2e/harness/main.ts). */
declare const harness: { engine: import('../../src/engine/client').EngineClient; openai: import('openai').default };
type Completion = import('../../protocol/contract').ChatCompletion;

let page: Page;
let host: TinyHost;
let closeContext: () => Promise<void>;

/** Runs in the harness page; `fn` sees `harness` (the engine and the openai client). */
function inPage<R, A>(fn: (arg: A) => Promise<R>, arg: A): Promise<R> {
  return page.evaluate(fn as never, arg as never) as Promise<R>;
}

const ask = (content: string, params: Record<string, unknown> = {}) => ({ model: TINY_MODEL_ID, messages: [{ role: 'user', content }], ...params });

beforeAll(async () => {
  const opened = await openPage(browser(), `${inject('baseUrl')}/harness/`);
  page = opened.page;
  closeContext = () => opened.context.close();
  host = await routeTinyModel(opened.context);
  await page.waitForFunction(() => 'harness' in globalThis);
  // Registered as a custom model (what a user does with their own build), then loaded.
  await inPage(async ([modelUrl, modelLibUrl]) => {
    await harness.engine.models.addCustom({ modelUrl: modelUrl!, modelLibUrl: modelLibUrl! });
  }, [TINY_MODEL_URL, TINY_LIB_URL]);
  const loaded = await inPage(async (id) => harness.engine.models.load(id), TINY_MODEL_ID);
  expect(loaded).toMatchObject({ modelId: TINY_MODEL_ID, fromCache: false });
}, 180_000);
afterAll(() => closeContext?.());

describe('the tiny model in the real WebLLM', () => {
  it('was downloaded by our downloader into WebLLM\'s IndexedDB records, which WebLLM loaded', async () => {
    const urls = await inPage(async () => {
      const open = (name: string) => new Promise<IDBDatabase>((ok, fail) => Object.assign(indexedDB.open(name), { onsuccess(this: IDBOpenDBRequest) { ok(this.result); }, onerror: fail }));
      const keys = async (name: string) => {
        const db = await open(name);
        return new Promise<string[]>((ok) => Object.assign(db.transaction('urls').objectStore('urls').getAllKeys(), { onsuccess(this: IDBRequest) { ok(this.result as string[]); } }));
      };
      return { model: await keys('webllm/model'), wasm: await keys('webllm/wasm'), config: await keys('webllm/config') };
    }, null);
    expect(urls.model).toEqual(expect.arrayContaining([`${TINY_MODEL_URL}/resolve/main/tensor-cache.json`, `${TINY_MODEL_URL}/resolve/main/params_shard_0.bin`, `${TINY_MODEL_URL}/resolve/main/tokenizer.json`]));
    expect(urls.wasm).toContain(TINY_LIB_URL);
    expect(urls.config).toContain(`${TINY_MODEL_URL}/resolve/main/mlc-chat-config.json`);
    // Each file crossed the network once.
    expect(host.requests.filter((u) => u.endsWith('params_shard_0.bin'))).toHaveLength(1);
  });

  it('plain and streamed completions; usage counts the real tokenizer\'s tokens', async () => {
    const tokenizer = await tinyTokenizer();
    const plain = await inPage(async (req) => (await harness.engine.chat.completions.create(req as never)) as unknown as Completion, ask('Hello', { max_tokens: 8, logprobs: true }));
    expect(plain.object).toBe('chat.completion');
    expect(typeof plain.choices[0]!.message.content).toBe('string');
    // WebLLM's Mistral template: "[INST] " + "Hello " + "[/INST]", each piece tokenized on its own (the BOS token is not counted).
    const expected = ['[INST] ', 'Hello ', '[/INST]'].reduce((n, piece) => n + tokenizer.encode(piece).length, 0);
    expect(plain.usage.prompt_tokens).toBe(expected);
    expect(plain.usage.completion_tokens).toBe(plain.choices[0]!.logprobs!.content!.length);
    const streamed = await inPage(async (req) => {
      const chunks = [];
      for await (const chunk of await harness.engine.chat.completions.create(req as never)) chunks.push(chunk);
      return chunks as { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: { completion_tokens: number } }[];
    }, ask('Hello', { max_tokens: 8, stream: true }));
    expect(streamed.at(-1)!.choices[0]!.finish_reason).not.toBeNull();
    expect(streamed.at(-1)!.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('the openai client through createLocalFetch: finish_reason length at max_tokens, stop strings, seeds', async () => {
    const result = await inPage(async (req) => {
      const { openai } = harness;
      const long = await openai.chat.completions.create({ ...(req as object), max_tokens: 6, temperature: 0 } as never);
      const text = long.choices[0]!.message.content ?? '';
      // A stop string from inside the greedy text cuts the same greedy text there.
      const stop = text.length > 4 ? text.slice(2, 4) : null;
      const cut = stop ? await openai.chat.completions.create({ ...(req as object), max_tokens: 6, temperature: 0, stop } as never) : null;
      const sample = async (seed: number) => (await openai.chat.completions.create({ ...(req as object), max_tokens: 8, temperature: 1, seed } as never)).choices[0]!.message.content;
      return { long, text, stop, cut: cut?.choices[0]!.message.content ?? null, a: await sample(11), b: await sample(11), c: await sample(12) };
    }, ask('Tell me a story'));
    expect(result.long.choices[0]!.finish_reason).toBe('length');
    expect(result.long.usage!.completion_tokens).toBe(6);
    if (result.stop) expect(result.cut).toBe(result.text.slice(0, result.text.indexOf(result.stop)));
    expect(result.a).toBe(result.b);
    expect(result.a).not.toBe(result.c);
  });

  it('temperature 0 is deterministic, top_k 1 equals greedy, and a -100 logit_bias removes the token greedy decoding emits', async () => {
    const tokenizer = await tinyTokenizer();
    const run = (params: Record<string, unknown>) =>
      inPage(async (req) => ((await harness.engine.chat.completions.create(req as never)) as unknown as Completion).choices[0]!.logprobs!.content!.map((t) => t.token), ask('Once upon a time', { max_tokens: 6, logprobs: true, ...params }));
    const greedy = await run({ temperature: 0 });
    expect(await run({ temperature: 0 })).toEqual(greedy);
    expect(await run({ temperature: 1, top_k: 1, seed: 5 })).toEqual(greedy);
    const first = Array.from(tokenizer.encode(greedy[0]!));
    expect(first).toHaveLength(1);
    const biased = await run({ temperature: 0, logit_bias: { [first[0]!]: -100 } });
    expect(biased[0]).not.toBe(greedy[0]);
  });

  it('response_format json_schema output parses and matches; a required tool call parses and names a listed function', async () => {
    const schema = { type: 'object', properties: { color: { type: 'string', enum: ['red', 'green', 'blue'] }, size: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['color', 'size'], additionalProperties: false };
    const tools = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string', enum: ['Paris', 'Oslo'] } }, required: ['city'], additionalProperties: false } } },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string', enum: ['UTC', 'CET'] } }, required: ['zone'], additionalProperties: false } } },
    ];
    // The grammar allows whitespace between any two JSON tokens, and a random model picks it
    // as often as anything: discourage whitespace tokens so the output ends within max_tokens.
    // Seeded, and one call only: with parallel calls allowed a random model may go on adding
    // calls until max_tokens (then, rightly, finish_reason "length" and no half call).
    const tokenizer = await tinyTokenizer();
    const whitespace = Object.fromEntries(
      Array.from({ length: tokenizer.getVocabSize() }, (_, id) => id).filter((id) => /^\s+$/.test(tokenizer.decode(new Int32Array([id])))).map((id) => [id, -100]),
    );
    expect(Object.keys(whitespace).length).toBeGreaterThan(0);
    const result = await inPage(
      async ([format, toolList, bias]) => {
        const json = await harness.openai.chat.completions.create({ model: 'tiny-mistral', messages: [{ role: 'user', content: 'JSON please' }], response_format: format, max_tokens: 200, logit_bias: bias, seed: 11 } as never);
        const call = await harness.openai.chat.completions.create({ model: 'tiny-mistral', messages: [{ role: 'user', content: 'What is the weather?' }], tools: toolList, tool_choice: 'required', parallel_tool_calls: false, max_tokens: 200, logit_bias: bias, seed: 11 } as never);
        return { json: json.choices[0]!, call: call.choices[0]! };
      },
      [{ type: 'json_schema', json_schema: { name: 'thing', schema, strict: true } }, tools, whitespace] as const,
    );
    expect(result.json.finish_reason).toBe('stop');
    const value = JSON.parse(result.json.message.content!);
    expect(['red', 'green', 'blue']).toContain(value.color);
    expect(value.size).toBeGreaterThanOrEqual(0);
    expect(Object.keys(value).sort()).toEqual(['color', 'size']);
    expect(result.call.finish_reason).toBe('tool_calls');
    const call = (result.call.message.tool_calls as { function: { name: string; arguments: string } }[])[0]!;
    expect(['get_weather', 'get_time']).toContain(call.function.name);
    expect(JSON.parse(call.function.arguments)).toBeTypeOf('object');
  });

  it('Stop mid-generation frees the engine: the next request is served', async () => {
    const result = await inPage(async (req) => {
      const controller = new AbortController();
      const stream = await harness.engine.chat.completions.create({ ...(req as object), stream: true, max_tokens: 400 } as never, { signal: controller.signal });
      let chunks = 0;
      for await (const _ of stream) if (++chunks === 3) controller.abort();
      const next = (await harness.engine.chat.completions.create({ ...(req as object), max_tokens: 4 } as never)) as unknown as Completion;
      return { chunks, next: next.choices[0]!.finish_reason };
    }, ask('Go on and on'));
    expect(result.chunks).toBeLessThan(20);
    expect(['stop', 'length']).toContain(result.next);
  });

  it('a load from the cache reads each shard exactly once (stored as a Blob, read by WebLLM), and no shard for the presence checks', async () => {
    const worker = page.workers().find((w) => w.url().includes('engine.worker'))!;
    // Count, in the worker, every get of a shard record (and whether it came back as a Blob,
    // which carries no bytes yet) and every read of a Blob's bytes.
    await worker.evaluate(() => {
      const log: { gets: { key: string; blob: boolean }[]; bytes: number[] } = { gets: [], bytes: [] };
      (globalThis as { __reads?: typeof log }).__reads = log;
      const get = IDBObjectStore.prototype.get;
      IDBObjectStore.prototype.get = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
        const request = get.call(this, key);
        request.addEventListener('success', () => {
          if (String(key).includes('params_shard')) log.gets.push({ key: String(key), blob: (request.result as { data?: unknown } | undefined)?.data instanceof Blob });
        });
        return request;
      };
      const arrayBuffer = Blob.prototype.arrayBuffer;
      Blob.prototype.arrayBuffer = function (this: Blob) {
        log.bytes.push(this.size);
        return arrayBuffer.call(this);
      };
    });
    await inPage(async () => harness.engine.models.unload(), null);
    const loaded = await inPage(async (id) => harness.engine.models.load(id), TINY_MODEL_ID);
    expect(loaded).toMatchObject({ modelId: TINY_MODEL_ID, fromCache: true });
    const reads = await worker.evaluate(() => (globalThis as { __reads?: { gets: { key: string; blob: boolean }[]; bytes: number[] } }).__reads!);
    const manifest = JSON.parse(readFileSync(new URL('../fixtures/tiny-mistral/tensor-cache.json', import.meta.url), 'utf8')) as { records: { nbytes: number }[] };
    const shards = new Set(reads.gets.map((g) => g.key));
    expect(shards.size).toBe(manifest.records.length);
    // Every get of a shard returned a Blob (our size check, WebLLM's load): no bytes read by a get.
    expect(reads.gets.every((g) => g.blob)).toBe(true);
    // The bytes were read once per shard, by WebLLM's load.
    expect(reads.bytes.sort()).toEqual(manifest.records.map((r) => r.nbytes).sort());
    const stored = await inPage(async (url) => {
      const db = await new Promise<IDBDatabase>((ok) => Object.assign(indexedDB.open('webllm/model'), { onsuccess(this: IDBOpenDBRequest) { ok(this.result); } }));
      const row = await new Promise<{ data: unknown }>((ok) => Object.assign(db.transaction('urls').objectStore('urls').get(url), { onsuccess(this: IDBRequest) { ok(this.result); } }));
      db.close();
      return row.data instanceof Blob ? 'Blob' : Object.prototype.toString.call(row.data);
    }, [...shards][0]!);
    expect(stored).toBe('Blob');
    expect(await inPage(async (req) => ((await harness.engine.chat.completions.create(req as never)) as unknown as Completion).choices[0]!.finish_reason, ask('still fine?', { max_tokens: 4 }))).toBe('length');
  });
});
