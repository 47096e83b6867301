// The Vercel AI SDK (through @ai-sdk/openai-compatible, @ai-sdk/openai's
// .chat() and @ai-sdk/mistral) and LangChain (ChatOpenAI, ChatMistralAI)
// against the local engine, as code written for hosted Mistral uses them.
import { createMistral } from '@ai-sdk/mistral';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { HTTPClient } from '@mistralai/mistralai/lib/http.js';
import { ChatMistralAI } from '@langchain/mistralai';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject, generateText, jsonSchema, streamText, tool, type LanguageModel } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localEngine, MODEL, SERVER, type LocalEngine } from '../support/clients';

let engine: LocalEngine | undefined;
afterEach(() => engine?.harness.close());

async function ready(options: Parameters<typeof localEngine>[0] = {}) {
  engine = await localEngine(options);
  return engine;
}

const providers: [string, (e: LocalEngine) => LanguageModel][] = [
  // supportsStructuredOutputs: the local API honours json_schema, so the provider may send it.
  ['@ai-sdk/openai-compatible', (e) => createOpenAICompatible({ name: 'local', baseURL: `${SERVER}/v1`, fetch: e.fetch, supportsStructuredOutputs: true })(MODEL)],
  ["@ai-sdk/openai's .chat()", (e) => createOpenAI({ baseURL: `${SERVER}/v1`, apiKey: 'local', fetch: e.fetch }).chat(MODEL)],
  ['@ai-sdk/mistral', (e) => createMistral({ baseURL: `${SERVER}/v1`, apiKey: 'local', fetch: e.fetch })(MODEL)],
];

const weather = tool({
  description: 'Current weather for a city',
  inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
});

describe.each(providers)('the AI SDK through %s', (_, make) => {
  it('generateText with a system prompt and multi-part user content', async () => {
    const model = make(await ready());
    const { text, usage, finishReason } = await generateText({
      model,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Bonjour' }, { type: 'text', text: 'Paris' }] }],
      maxRetries: 0,
    });
    expect(text).toMatch(/^Echo: Be brief\. Bonjour Paris/);
    expect(finishReason).toBe('stop');
    expect(usage.totalTokens).toBeGreaterThan(0);
  });

  it('streamText streams and reports usage', async () => {
    const model = make(await ready());
    const result = streamText({ model, prompt: 'hello there', maxRetries: 0 });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text).toMatch(/^Echo: hello there/);
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });

  it('a required tool call, then the tool-result round trip', async () => {
    const model = make(await ready());
    const first = await generateText({ model, prompt: 'get_weather for Paris', tools: { get_weather: weather }, toolChoice: 'required', maxRetries: 0 });
    expect(first.toolCalls[0]).toMatchObject({ toolName: 'get_weather', input: { city: 'Paris' } });
    const second = await generateText({
      model,
      maxRetries: 0,
      tools: { get_weather: weather },
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'abcdefghi', toolName: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'abcdefghi', toolName: 'get_weather', output: { type: 'json', value: { temperature: 18 } } }] },
      ],
    });
    expect(second.finishReason).toBe('stop');
  });

  it('generateObject with a schema', async () => {
    const model = make(await ready());
    const { object } = await generateObject({ model, prompt: 'plan', schema: z.object({ city: z.string(), days: z.number().int() }), maxRetries: 0 });
    expect(object).toMatchObject({ city: 'Paris' });
  });

  it('a bad parameter surfaces as an error with our message', async () => {
    const model = make(await ready());
    await expect(generateText({ model, prompt: 'x', temperature: 9, maxRetries: 0 })).rejects.toThrow(/temperature/);
  });

  it('aborting a stream stops the generation; the next request is served', async () => {
    const model = make(await ready({ engine: { tokenDelayMs: 5 } }));
    const controller = new AbortController();
    const result = streamText({ model, prompt: 'go [tokens=500]', abortSignal: controller.signal, maxRetries: 0, onError: () => {} });
    let parts = 0;
    for await (const _ of result.textStream) if (++parts === 3) controller.abort();
    expect(parts).toBeLessThan(20);
    const next = await generateText({ model, prompt: 'next', maxRetries: 0 });
    expect(next.text).toMatch(/^Echo: next/);
  });
});

describe('LangChain', () => {
  const openai = (e: LocalEngine) => new ChatOpenAI({ model: MODEL, apiKey: 'local', maxRetries: 0, configuration: { baseURL: `${SERVER}/v1`, fetch: e.fetch } });
  // ChatMistralAI sends safe_prompt: false on every request, and has no way to pass stream_options.
  const mistral = (e: LocalEngine) => new ChatMistralAI({ model: MODEL, apiKey: 'local', maxRetries: 0, serverURL: SERVER, // LangChain pins its own copy of Mistral's SDK; the HTTP client is duck-typed.
    httpClient: new HTTPClient({ fetcher: (r) => e.fetch(r) }) as never });

  it.each([
    ['ChatOpenAI', openai],
    ['ChatMistralAI', mistral],
  ] as const)('%s: invoke, stream, bound tools, structured output', async (_, make) => {
    const chat = make(await ready());
    const reply = await chat.invoke([
      ['system', 'Be brief.'],
      ['human', 'Bonjour'],
    ]);
    expect(String(reply.content)).toMatch(/^Echo: Be brief\. Bonjour/);
    let streamed = '';
    for await (const chunk of await chat.stream('hello')) streamed += String(chunk.content);
    expect(streamed).toMatch(/^Echo: hello/);
    const withTools = chat.bindTools([{ type: 'function', function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }], { tool_choice: 'any' as never });
    const called = await withTools.invoke('get_weather for Paris');
    expect(called.tool_calls?.[0]).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
    const structured = await chat.withStructuredOutput(z.object({ city: z.string(), days: z.number() })).invoke('plan');
    expect(structured).toMatchObject({ city: 'Paris' });
  });

  it('ChatMistralAI abandoning a stream without cancelling does not hold the engine', async () => {
    const e = await ready({ engine: { tokenDelayMs: 2 }, abandonAfterMs: 300 });
    const chat = mistral(e);
    const stream = await chat.stream('go [tokens=100000]');
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next(); // read once, then walk away without cancel()
    const started = performance.now();
    const next = await mistral(e).invoke('next');
    expect(String(next.content)).toMatch(/^Echo: next/);
    // Served once the abandoned stream was given up, not after the client's own 300 s timeout.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
