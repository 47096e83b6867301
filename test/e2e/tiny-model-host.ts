// Serves the tiny real model (test/fixtures/tiny-mistral, see
// scripts/tiny-model/README.md) from the model hosts' own addresses, through
// Playwright routes (which see the worker's requests too): the weights and
// config as a Hugging Face repository, the model library as a raw GitHub file.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Route } from 'playwright-core';

const FIXTURE = new URL('../fixtures/tiny-mistral/', import.meta.url);

export const TINY_MODEL_URL = 'https://huggingface.co/mistral-local-tests/tiny-mistral';
export const TINY_LIB_URL = 'https://raw.githubusercontent.com/mistral-local-tests/tiny-mistral/main/tiny-mistral-webgpu.wasm';
export const TINY_MODEL_ID = 'tiny-mistral';

const TYPES: Record<string, string> = { json: 'application/json', wasm: 'application/wasm', bin: 'application/octet-stream' };

export interface TinyHost {
  /** Every request the hosts answered (or refused), in order. */
  requests: string[];
}

export async function routeTinyModel(context: BrowserContext): Promise<TinyHost> {
  const requests: string[] = [];
  const files = new Map<string, Buffer>();
  const read = (name: string) => {
    if (!files.has(name)) files.set(name, readFileSync(new URL(name, FIXTURE)));
    return files.get(name)!;
  };
  const answer = (name: string) => async (route: Route) => {
    requests.push(route.request().url());
    try {
      await route.fulfill({ status: 200, body: read(name), contentType: TYPES[name.split('.').pop()!] ?? 'application/octet-stream', headers: { 'access-control-allow-origin': '*' } });
    } catch {
      await route.fulfill({ status: 404, body: 'Entry not found' });
    }
  };
  await context.route(`${TINY_MODEL_URL}/resolve/main/*`, (route) => answer(new URL(route.request().url()).pathname.split('/').pop()!)(route));
  await context.route(TINY_LIB_URL, answer('tiny-mistral-webgpu.wasm'));
  return { requests };
}
