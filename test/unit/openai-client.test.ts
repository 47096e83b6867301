// Code written for a hosted Mistral endpoint, run unchanged against the local
// engine through the official openai client: only the base URL differs.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { Q4F32 } from '../support/api-harness';
import { createOpenAI } from '../support/openai-harness';
import type { Harness } from '../support/api-harness';

const MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';
let harness: Harness | undefined;
afterEach(() => harness?.close());

async function ready(options: Parameters<typeof createOpenAI>[0] = {}) {
  const made = createOpenAI(options);
  harness = made.harness;
  await made.harness.client.models.load(MODEL);
  return made.openai;
}

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] },
  },
};

describe('the openai client against the local engine', () => {
  it('a plain completion', async () => {
    const openai = await ready();
    const res = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Bonjour' }] });
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe(MODEL);
    expect(typeof res.created).toBe('number');
    expect(res.system_fingerprint).toBeTruthy();
    expect(res.choices[0]!.message.role).toBe('assistant');
    // The system prompt leads the last user turn, as Mistral's template places it.
    expect(res.choices[0]!.message.content).toMatch(/^Echo: Be brief\. Bonjour/);
    expect(res.choices[0]!.message.refusal).toBeNull();
    expect(res.choices[0]!.finish_reason).toBe('stop');
    expect(res.usage!.total_tokens).toBe(res.usage!.prompt_tokens + res.usage!.completion_tokens);
  });

  it('a streamed completion over SSE: role first, finish_reason last, usage when asked', async () => {
    const openai = await ready();
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'stream please' }], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.slice(1, -2).every((c) => c.choices[0]!.delta.role === undefined)).toBe(true);
    const finals = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finals).toHaveLength(1);
    expect(finals[0]!.choices[0]!.finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBe(chunks.filter((c) => c.choices[0]?.delta.content).length);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toMatch(/^Echo: stream please/);
  });

  it('without include_usage, no separate usage chunk; usage rides on the finishing chunk, as Mistral sends it', async () => {
    const openai = await ready();
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => !c.usage)).toBe(true);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)!.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('an aborted stream stops the generation and the engine serves the next request', async () => {
    const openai = await ready({ engine: { tokenDelayMs: 5 } });
    const controller = new AbortController();
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'go on [tokens=500]' }], stream: true }, { signal: controller.signal });
    let received = 0;
    // The openai client ends the iteration quietly when its request is aborted.
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === 3) controller.abort();
    }
    expect(received).toBeGreaterThanOrEqual(3);
    expect(received).toBeLessThan(40);
    // Leaving a stream with `break` aborts it too.
    const second = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'again [tokens=500]' }], stream: true });
    for await (const _ of second) break;
    const next = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'next' }] });
    expect(next.choices[0]!.message.content).toMatch(/^Echo: next/);
    expect((await harness!.client.stats()).busy).toBe(false);
  });

  it('a tool call round trip in Mistral format', async () => {
    const openai = await ready();
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris? Use get_weather.' }];
    const first = await openai.chat.completions.create({ model: MODEL, messages, tools: [weatherTool], tool_choice: 'auto' });
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    expect(call.id).toMatch(/^[a-zA-Z0-9]{9}$/);
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toMatchObject({ city: expect.any(String) });
    // The engine saw Mistral's tool tokens, not WebLLM's Hermes prompt.
    expect(JSON.stringify(harness!.engine.requests.at(-1)!.messages)).toContain('[AVAILABLE_TOOLS]');

    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: '{"temperature": 18, "sky": "clear"}' });
    const second = await openai.chat.completions.create({ model: MODEL, messages, tools: [weatherTool] });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    const sent = JSON.stringify(harness!.engine.requests.at(-1)!.messages);
    expect(sent).toContain(`[TOOL_CALLS] [{\\"name\\":\\"get_weather\\"`);
    expect(sent).toContain('[TOOL_RESULTS]');
    expect(sent).toContain(call.id);
    expect(second.choices[0]!.message.content).toContain('temperature');
  });

  it('tool calls stream as one tool_calls delta and finish_reason tool_calls', async () => {
    const openai = await ready();
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'get_weather for Lyon' }], tools: [weatherTool], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.index).toBe(0);
    expect(calls[0]!.function!.name).toBe('get_weather');
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
    expect(chunks.some((c) => c.choices[0]?.delta.content)).toBe(false);
  });

  it('tool_choice "required" and a named function constrain decoding with a JSON schema', async () => {
    const openai = await ready();
    const other = { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } };
    const forced = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Nothing here names a tool.' }],
      tools: [weatherTool, other],
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    const sentFormat = harness!.engine.requests.at(-1)!.response_format!;
    expect(sentFormat.type).toBe('json_object');
    const schema = JSON.parse(sentFormat.schema!);
    expect(schema.items.properties.name).toEqual({ const: 'get_time' });
    expect(schema.maxItems).toBe(1);
    const call = forced.choices[0]!.message.tool_calls![0]!;
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_time');

    const required = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Anything.' }], tools: [weatherTool, other], tool_choice: 'required' });
    expect(required.choices[0]!.finish_reason).toBe('tool_calls');
    expect(JSON.parse(harness!.engine.requests.at(-1)!.response_format!.schema!).items.anyOf).toHaveLength(2);
  });

  it('tool_choice "none" offers no tools and answers in text', async () => {
    const openai = await ready();
    const res = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'get_weather in Nice' }], tools: [weatherTool], tool_choice: 'none' });
    expect(res.choices[0]!.message.content).toMatch(/^Echo: get_weather in Nice/);
    expect(JSON.stringify(harness!.engine.requests.at(-1)!.messages)).not.toContain('[AVAILABLE_TOOLS]');
  });

  it('a json_schema answer parses and matches the schema', async () => {
    const openai = await ready();
    const res = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Capital of France as JSON' }],
      response_format: { type: 'json_schema', json_schema: { name: 'capital', strict: true, schema: { type: 'object', properties: { city: { type: 'string' }, population: { type: 'integer' } }, required: ['city', 'population'] } } },
    });
    const parsed = JSON.parse(res.choices[0]!.message.content!);
    expect(parsed).toEqual({ city: expect.any(String), population: expect.any(Number) });
    expect(harness!.engine.requests.at(-1)!.response_format).toEqual({ type: 'json_object', schema: expect.stringContaining('"population"') });
  });

  it('an invalid request is raised as BadRequestError naming the parameter', async () => {
    const openai = await ready();
    const error = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], temperature: 3 }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.param).toBe('temperature');
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(/temperature/);
  });

  it('an unknown model is a NotFoundError; Nemo explains it needs a custom build', async () => {
    const openai = await ready();
    const error = await openai.chat.completions.create({ model: 'mistralai/mistral-nemo', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toMatch(/no prebuilt WebGPU build/);
  });

  it('503 while no model is loaded', async () => {
    const made = createOpenAI();
    harness = made.harness;
    const error = await made.openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(503);
    expect(error.code).toBe('model_not_loaded');
  });

  it('lists models', async () => {
    const openai = await ready();
    const page = await openai.models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toContain(Q4F32);
    expect(page.data.every((m) => m.object === 'model')).toBe(true);
    const one = await openai.models.retrieve(Q4F32);
    expect(one.id).toBe(Q4F32);
  });
});
