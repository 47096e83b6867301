// The real clients code written for hosted Mistral APIs uses, each pointed at
// the local fetch (which talks to the real worker API over a real
// MessageChannel, scripted engine behind it): only the base URL changes.
import { Mistral } from '@mistralai/mistralai';
import { HTTPClient } from '@mistralai/mistralai/lib/http.js';
import OpenAI from 'openai';
import { createLocalFetch } from '../../src/http/local-fetch';
import { createHarness, type Harness, type HarnessOptions } from './api-harness';

export const MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';
export const LOADED = 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC';
export const SERVER = 'http://localhost.invalid';

export interface LocalEngine {
  harness: Harness;
  fetch: typeof fetch;
}

/** A harness with the model loaded (unless `load: false`) and the local fetch over it. */
export async function localEngine(options: HarnessOptions & { load?: boolean } = {}): Promise<LocalEngine> {
  const harness = createHarness(options);
  if (options.load !== false) await harness.client.models.load(MODEL);
  return { harness, fetch: createLocalFetch(harness.client) };
}

export function mistralClient({ fetch }: LocalEngine): Mistral {
  // Mistral's SDK sends a Request object to its fetcher.
  return new Mistral({ serverURL: SERVER, apiKey: 'local', httpClient: new HTTPClient({ fetcher: (request) => fetch(request) }), retryConfig: { strategy: 'none' } });
}

export function openaiClient({ fetch }: LocalEngine): OpenAI {
  // maxRetries 0: the client would otherwise retry 503s with backoff.
  return new OpenAI({ baseURL: `${SERVER}/v1`, apiKey: 'local', fetch, maxRetries: 0, dangerouslyAllowBrowser: true });
}

export const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] },
  },
};

/** Collects an async iterable. */
export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
