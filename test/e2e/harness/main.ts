// A page for browser tests of the API itself: the app's own engine bridge
// (the production worker, real WebLLM) and createLocalFetch behind the
// official openai client, on `globalThis.harness` for page.evaluate.
import OpenAI from 'openai';
import { engine } from '../../../src/engine/bridge';
import { createLocalFetch } from '../../../src/http/local-fetch';

const fetch = createLocalFetch(engine);
const openai = new OpenAI({ baseURL: 'http://local/v1', apiKey: 'local', fetch, maxRetries: 0, dangerouslyAllowBrowser: true });

(globalThis as unknown as { harness: unknown }).harness = { engine, fetch, openai };
