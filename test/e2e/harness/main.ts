// A page for browser tests and benchmarks of the API itself: the app's own
// engine bridge (the production worker, real WebLLM) and createLocalFetch
// behind the official openai client, on `globalThis.harness` for
// page.evaluate; and, for the engine benchmark, WebLLM's MLCEngine alone in a
// worker of its own (`harness.raw`).
import * as Comlink from 'comlink';
import OpenAI from 'openai';
import { engine } from '../../../src/engine/bridge';
import { createLocalFetch } from '../../../src/http/local-fetch';
import type { RawEngine } from './raw-engine.worker';

const fetch = createLocalFetch(engine);
const openai = new OpenAI({ baseURL: 'http://local/v1', apiKey: 'local', fetch, maxRetries: 0, dangerouslyAllowBrowser: true });
let raw: Comlink.Remote<RawEngine> | null = null;

(globalThis as unknown as { harness: unknown }).harness = {
  engine,
  fetch,
  openai,
  /** Started on first use, so tests that do not need it never load a second engine. */
  get raw() {
    return (raw ??= Comlink.wrap<RawEngine>(new Worker(new URL('./raw-engine.worker.ts', import.meta.url), { type: 'module' })));
  },
};
