// The real `openai` npm client, pointed at our local fetch, which talks to the
// real worker API over a real MessageChannel (scripted engine behind it).
import OpenAI from 'openai';
import { createLocalFetch } from '../../src/http/local-fetch';
import { createHarness, type Harness } from './api-harness';
import type { ScriptedEngineOptions } from './scripted-engine';
import type { GpuReport } from '../../protocol/contract';

export const BASE_URL = 'http://localhost.invalid/v1';

export function createOpenAI(options: { engine?: ScriptedEngineOptions; gpu?: GpuReport } = {}): { openai: OpenAI; harness: Harness } {
  const harness = createHarness(options);
  // maxRetries 0: the client would otherwise retry 503s with backoff.
  const openai = new OpenAI({ baseURL: BASE_URL, apiKey: 'local', fetch: createLocalFetch(harness.client), maxRetries: 0, dangerouslyAllowBrowser: true });
  return { openai, harness };
}
