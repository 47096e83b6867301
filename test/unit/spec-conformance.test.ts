// Every response body, SSE chunk, error body and model entry, over a request
// corpus that covers every parameter the API accepts, validated against
// OpenAI's and Mistral's published OpenAPI specs (ajv) and parsed with
// Mistral's SDK's own response schemas; accepted requests validated against
// both specs' request schemas, apart from our documented extensions.
import { ChatCompletionResponse$inboundSchema } from '@mistralai/mistralai/models/components/chatcompletionresponse.js';
import { CompletionChunk$inboundSchema } from '@mistralai/mistralai/models/components/completionchunk.js';
import { ModelList$inboundSchema } from '@mistralai/mistralai/models/components/modellist.js';
import { BaseModelCard$inboundSchema } from '@mistralai/mistralai/models/components/basemodelcard.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, localEngine, MODEL, SERVER, weatherTool, type LocalEngine } from '../support/clients';
import { loadSpecs, SPECS_DIR, specsPresent, violations } from '../support/specs';

if (!specsPresent) console.warn(`The vendors' API specs are not in ${SPECS_DIR}: the spec-conformance tests are skipped.`);

const user = (content: string) => [{ role: 'user' as const, content }];
const schema = { type: 'object', properties: { city: { type: 'string' }, tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } } }, required: ['city'], additionalProperties: false };

/** Keys that are ours or the other vendor's: removed before a request is checked against a spec. */
const EXTENSIONS = {
  openai: ['top_k', 'min_p', 'repetition_penalty', 'random_seed', 'safe_prompt'],
  mistral: ['top_k', 'min_p', 'repetition_penalty', 'seed', 'max_completion_tokens', 'logit_bias', 'logprobs', 'top_logprobs', 'stream_options', 'structured_outputs', 'user', 'store', 'service_tier', 'safety_identifier'],
} as const;

/** Requests in one vendor's dialect only (checked against that vendor's request schema alone). */
const ONLY: Record<string, 'openai' | 'mistral'> = { 'system, developer and text parts': 'openai', 'tools any (Mistral)': 'mistral' };

/** Every parameter the chat API accepts, alone or in the combinations clients send. */
const CHAT_CORPUS: [string, Record<string, unknown>][] = [
  ['plain', { messages: user('hello') }],
  ['system, developer and text parts', { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'developer', content: [{ type: 'text', text: 'Really.' }] }, { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }] }],
  ['sampling', { messages: user('x'), temperature: 0.3, top_p: 0.9, top_k: 5, min_p: 0.05, seed: 3, n: 1 }],
  ['n=2', { messages: user('x'), n: 2, temperature: 1 }],
  ['stop', { messages: user('one two three'), stop: [' two'] }],
  ['length', { messages: user('long [tokens=40]'), max_tokens: 4 }],
  ['max_completion_tokens', { messages: user('long [tokens=40]'), max_completion_tokens: 4 }],
  ['penalties and bias', { messages: user('x'), frequency_penalty: 0.5, presence_penalty: 0.5, repetition_penalty: 1.1, logit_bias: { 3: -100 } }],
  ['logprobs', { messages: user('x'), logprobs: true, top_logprobs: 2 }],
  ['json_object', { messages: user('as json'), response_format: { type: 'json_object' } }],
  ['json_schema', { messages: user('plan'), response_format: { type: 'json_schema', json_schema: { name: 'plan', schema, strict: true } } }],
  ['text format', { messages: user('x'), response_format: { type: 'text' } }],
  ['structured_outputs', { messages: user('plan'), response_format: { type: 'json_schema', json_schema: { name: 'plan', schema } }, structured_outputs: true }],
  ['tools auto', { messages: user('get_weather for Paris'), tools: [weatherTool] }],
  ['tools required', { messages: user('get_weather for Paris'), tools: [weatherTool], tool_choice: 'required', parallel_tool_calls: false }],
  ['tools any (Mistral)', { messages: user('get_weather for Paris'), tools: [weatherTool], tool_choice: 'any' }],
  ['tools named', { messages: user('get_weather for Paris'), tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } }],
  ['tools none', { messages: user('hello'), tools: [weatherTool], tool_choice: 'none' }],
  [
    'tool round trip',
    {
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'abcdefghi', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'abcdefghi', content: '18 degrees' },
      ],
      tools: [weatherTool],
    },
  ],
  ['Mistral seed and guardrail', { messages: user('x'), random_seed: 4, safe_prompt: true }],
  ['Mistral prefix', { messages: [{ role: 'user', content: 'Name a colour' }, { role: 'assistant', content: 'The colour is', prefix: true }] }],
  ['no-op fields', { messages: user('x'), user: 'u', store: false, metadata: { k: 'v' }, service_tier: 'auto', prompt_cache_key: 'p', safety_identifier: 's' }],
];

const TEXT_CORPUS: [string, Record<string, unknown>][] = [
  ['plain', { prompt: 'Once upon a time' }],
  ['sampling', { prompt: 'x', temperature: 0.5, top_p: 0.9, top_k: 3, min_p: 0.1, max_tokens: 5, stop: ['zz'], seed: 1, frequency_penalty: 0.1, presence_penalty: 0.1, n: 2, echo: false, best_of: 1, user: 'u' }],
];

const ERROR_CORPUS: [string, string, Record<string, unknown>][] = [
  ['bad value', '/v1/chat/completions', { model: MODEL, messages: user('x'), temperature: 9 }],
  ['unknown parameter', '/v1/chat/completions', { model: MODEL, messages: user('x'), frobnicate: true }],
  ['image part', '/v1/chat/completions', { model: MODEL, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }],
  ['unknown model', '/v1/chat/completions', { model: 'mistral-large-latest', messages: user('x') }],
  ['legacy bad prompt', '/v1/completions', { model: MODEL, prompt: 42 }],
];

/** Fails with the spec's own words for each violation. */
function conforms(spec: Parameters<typeof violations>[0], name: string, value: unknown): void {
  const found = violations(spec, name, value);
  if (found.length > 0) throw new Error(`${found.join('\n')}\nin ${JSON.stringify(value).slice(0, 600)}`);
}

function without(request: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request).filter(([k]) => !keys.includes(k)));
}

async function sse(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  return text
    .split('\n\n')
    .map((event) => event.replace(/^data: /, '').trim())
    .filter((data) => data !== '' && data !== '[DONE]')
    .map((data) => JSON.parse(data) as Record<string, unknown>);
}

let engine: LocalEngine;
const post = (path: string, body: unknown) => engine.fetch(`${SERVER}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.skipIf(!specsPresent)("responses conform to OpenAI's and Mistral's published specs", () => {
  beforeAll(async () => {
    loadSpecs();
    engine = await localEngine();
  }, 60_000);
  afterAll(() => engine?.harness.close());

  it.each(CHAT_CORPUS)('chat, %s: the request fits both specs (but for our extensions), JSON and SSE answers fit both', async (name, params) => {
    const request = { model: MODEL, ...params };
    if (ONLY[name] !== 'mistral') conforms('openai', 'CreateChatCompletionRequest', without(request, EXTENSIONS.openai));
    if (ONLY[name] !== 'openai') conforms('mistral', 'ChatCompletionRequest', without(request, EXTENSIONS.mistral));
    const response = await post('/v1/chat/completions', request);
    expect(response.status).toBe(200);
    const body = await response.json();
    conforms('openai', 'CreateChatCompletionResponse', body);
    conforms('mistral', 'ChatCompletionResponse', body);
    conforms('mistral-full', 'ChatCompletionResponse', body);
    ChatCompletionResponse$inboundSchema.parse(body);
    const viaComlink = await engine.harness.client.chat.completions.create(request as never);
    conforms('openai', 'CreateChatCompletionResponse', viaComlink);
    conforms('mistral', 'ChatCompletionResponse', viaComlink);

    const streamed = await post('/v1/chat/completions', { ...request, stream: true, stream_options: { include_usage: true } });
    const chunks = await sse(streamed);
    const mistralChunks = await sse(await post('/v1/chat/completions', { ...request, stream: true }));
    const comlinkChunks = await all(await engine.harness.client.chat.completions.create({ ...request, stream: true } as never));
    for (const chunk of [...chunks, ...mistralChunks, ...comlinkChunks]) {
      conforms('openai', 'CreateChatCompletionStreamResponse', chunk);
    }
    // Mistral's clients never send stream_options: their streams have no usage-only chunk.
    for (const chunk of mistralChunks) {
      conforms('mistral', 'CompletionChunk', chunk);
      conforms('mistral-full', 'CompletionChunk', chunk);
      CompletionChunk$inboundSchema.parse(chunk);
    }
  });

  it.each(TEXT_CORPUS)('legacy completions, %s: answers fit OpenAI\'s CreateCompletionResponse', async (_, params) => {
    const request = { model: MODEL, ...params };
    conforms('openai', 'CreateCompletionRequest', without(request, EXTENSIONS.openai));
    const body = await (await post('/v1/completions', request)).json();
    conforms('openai', 'CreateCompletionResponse', body);
    for (const chunk of await sse(await post('/v1/completions', { ...request, stream: true }))) {
      conforms('openai', 'CreateCompletionStreamResponse', chunk);
    }
  });

  it.each(ERROR_CORPUS)('error, %s: the body fits OpenAI\'s ErrorResponse and carries Mistral\'s top-level fields', async (_, path, request) => {
    const response = await post(path, request);
    expect(response.status).toBeGreaterThanOrEqual(400);
    const body = await response.json();
    conforms('openai', 'ErrorResponse', body);
    expect(body).toMatchObject({ object: 'error', message: expect.any(String), type: expect.any(String) });
  });

  it('a failure mid-stream is one event that is both an OpenAI error and a Mistral chunk, then the body errors', async () => {
    const response = await post('/v1/chat/completions', { model: MODEL, messages: user('[device-lost] go [tokens=30]'), stream: true });
    const { events, error } = await readEvents(response);
    const failure = events.at(-1)!;
    expect(failure).toHaveProperty('error');
    expect(error?.message).toMatch(/GPU device was lost/);
    conforms('openai', 'ErrorResponse', failure);
    conforms('mistral', 'CompletionChunk', failure);
    CompletionChunk$inboundSchema.parse(failure);
    for (const event of events.slice(0, -1)) conforms('openai', 'CreateChatCompletionStreamResponse', event);
    // The lost device unloaded the model: load it again for the tests after this one.
    await engine.harness.client.models.load(MODEL);
  });

  it('/v1/embeddings: requests and responses (float and base64) fit both specs; errors are OpenAI error bodies', async () => {
    for (const request of [
      { model: 'snowflake-arctic-embed-s', input: 'one text' },
      { model: 'snowflake-arctic-embed-m', input: ['two', 'texts'], encoding_format: 'base64' },
    ]) {
      conforms('openai', 'CreateEmbeddingRequest', request);
      conforms('mistral', 'EmbeddingRequest', request);
      const response = await post('/v1/embeddings', request);
      expect(response.status).toBe(200);
      const body = await response.json();
      // Both specs declare the vector as an array only; base64 (a string, as OpenAI's API sends it) is checked for its shape around it.
      if (request.encoding_format === 'base64') body.data = body.data.map((d: { embedding: string }) => ({ ...d, embedding: [0] }));
      conforms('openai', 'CreateEmbeddingResponse', body);
      conforms('mistral', 'EmbeddingResponse', body);
    }
    for (const bad of [{ model: 'mistral-embed', input: 'x' }, { model: 'snowflake-arctic-embed-s', input: 'x', dimensions: 8 }]) {
      conforms('openai', 'ErrorResponse', await (await post('/v1/embeddings', bad)).json());
    }
  });

  it('/v1/models and /v1/models/{id} fit both specs; Mistral\'s SDK parses every entry as a base card', async () => {
    const list = await (await engine.fetch(`${SERVER}/v1/models`)).json();
    conforms('openai', 'ListModelsResponse', list);
    conforms('mistral', 'ModelList', list);
    conforms('mistral-full', 'ModelList', list);
    const parsed = ModelList$inboundSchema.parse(list);
    expect(parsed.data!.every((m) => m.type === 'base')).toBe(true);
    for (const id of ['mistralai/Mistral-7B-Instruct-v0.3', 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC', 'mistral-7b-instruct:free']) {
      const card = await (await engine.fetch(`${SERVER}/v1/models/${encodeURIComponent(id)}`)).json();
      conforms('openai', 'Model', card);
      conforms('mistral', 'BaseModelCard', card);
      BaseModelCard$inboundSchema.parse(card);
    }
  });
});

/** Reads an SSE body event by event until it ends or errors. */
async function readEvents(response: Response): Promise<{ events: Record<string, unknown>[]; error: Error | null }> {
  const reader = response.body!.getReader();
  let text = '';
  let error: Error | null = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch (caught) {
    error = caught as Error;
  }
  const events = text.split('\n\n').filter((e) => e.startsWith('data: ') && !e.startsWith('data: [DONE]')).map((e) => JSON.parse(e.slice(6)) as Record<string, unknown>);
  return { events, error };
}
