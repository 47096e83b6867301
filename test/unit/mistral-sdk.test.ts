// Code written for Mistral's hosted API with its official TypeScript client
// (@mistralai/mistralai), run against the local engine: only the server URL
// and the fetcher differ.
import { MistralError } from '@mistralai/mistralai/models/errors/mistralerror.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MISTRAL_GUARDRAIL } from '../../worker/chat/mistral-prompt';
import { all, LOADED, localEngine, mistralClient, MODEL, weatherTool, type LocalEngine } from '../support/clients';

let engine: LocalEngine | undefined;
afterEach(() => engine?.harness.close());

async function ready(options: Parameters<typeof localEngine>[0] = {}) {
  engine = await localEngine(options);
  return mistralClient(engine);
}

const lastRequest = () => engine!.harness.engine.requests.at(-1)!;

describe("Mistral's SDK against the local engine", () => {
  it('chat.complete: typed response with usage', async () => {
    const mistral = await ready();
    const res = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'Bonjour' }] });
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.model).toBe(MODEL);
    expect(res.choices[0]!.message!.content).toMatch(/^Echo: Bonjour/);
    expect(res.choices[0]!.finishReason).toBe('stop');
    expect(res.usage.totalTokens).toBe(res.usage.promptTokens! + res.usage.completionTokens!);
  });

  it('chat.stream: chunks, and usage on the last chunk without asking (stream_options cannot be sent)', async () => {
    const mistral = await ready();
    const events = await all(await mistral.chat.stream({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'text', text: 'there' }] }] }));
    const text = events.map((e) => e.data.choices[0]?.delta.content ?? '').join('');
    expect(text).toMatch(/^Echo: hi there/);
    const last = events.at(-1)!.data;
    expect(last.choices[0]!.finishReason).toBe('stop');
    expect(last.usage!.completionTokens).toBeGreaterThan(0);
  });

  it('an aborted stream stops the generation and the next request is served', async () => {
    const mistral = await ready({ engine: { tokenDelayMs: 5 } });
    const controller = new AbortController();
    const stream = await mistral.chat.stream({ model: MODEL, messages: [{ role: 'user', content: 'go [tokens=500]' }] }, { fetchOptions: { signal: controller.signal } });
    let received = 0;
    await expect(
      (async () => {
        for await (const _ of stream) if (++received === 3) controller.abort();
      })(),
    ).rejects.toThrow();
    expect(received).toBeLessThan(10);
    const next = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'next' }] });
    expect(next.choices[0]!.message!.content).toMatch(/^Echo: next/);
  });

  it('tools: auto, "any" and a named function, then the tool-result round trip with object arguments', async () => {
    const mistral = await ready();
    for (const toolChoice of ['auto', 'any', { type: 'function', function: { name: 'get_weather' } }] as const) {
      const res = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'get_weather for Paris' }], tools: [weatherTool], toolChoice });
      const call = res.choices[0]!.message!.toolCalls![0]!;
      expect(res.choices[0]!.finishReason).toBe('tool_calls');
      expect(call.function.name).toBe('get_weather');
      expect(JSON.parse(call.function.arguments as string)).toMatchObject({ city: 'Paris' });
    }
    const answer = await mistral.chat.complete({
      model: MODEL,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'abcdefghi', type: 'function', function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', toolCallId: 'abcdefghi', name: 'get_weather', content: '{"temperature": 18}' },
      ],
    });
    expect(answer.choices[0]!.finishReason).toBe('stop');
    const prompt = lastRequest().messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('[TOOL_CALLS] [{"name":"get_weather","arguments":{"city":"Paris"},"id":"abcdefghi"}]');
    expect(prompt).toContain('[TOOL_RESULTS] {"content":"{\\"temperature\\": 18}","call_id":"abcdefghi"}[/TOOL_RESULTS]');
  });

  it('responseFormat json_object and json_schema, and chat.parse with a zod schema', async () => {
    const mistral = await ready();
    const object = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'as json' }], responseFormat: { type: 'json_object' } });
    expect(JSON.parse(object.choices[0]!.message!.content as string)).toEqual({ echo: 'as json' });
    const schema = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } }, required: ['city', 'days'], additionalProperties: false };
    const shaped = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'plan' }], responseFormat: { type: 'json_schema', jsonSchema: { name: 'plan', schemaDefinition: schema, strict: true } } });
    expect(JSON.parse(shaped.choices[0]!.message!.content as string)).toEqual({ city: 'Paris', days: 1 });
    const parsed = await mistral.chat.parse({ model: MODEL, messages: [{ role: 'user', content: 'plan' }], responseFormat: z.object({ city: z.string(), days: z.number().int() }) });
    expect(parsed.choices![0]!.message!.parsed).toMatchObject({ city: 'Paris' });
  });

  it('randomSeed reproduces, safePrompt adds the guardrail, n gives several choices', async () => {
    const mistral = await ready();
    const ask = (randomSeed: number) => mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'story' }], randomSeed, temperature: 1 }).then((r) => r.choices[0]!.message!.content);
    expect(await ask(7)).toBe(await ask(7));
    expect(await ask(7)).not.toBe(await ask(8));
    expect(lastRequest().seed).toBe(8);
    await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'hello' }], safePrompt: true });
    expect(String(lastRequest().messages.at(-1)!.content)).toBe(`${MISTRAL_GUARDRAIL}\n\nhello`);
    const two = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'pick' }], n: 2, temperature: 1 });
    expect(two.choices.map((c) => c.index)).toEqual([0, 1]);
  });

  it('prefix: the reply continues the assistant text and contains only the continuation', async () => {
    const mistral = await ready();
    const res = await mistral.chat.complete({
      model: MODEL,
      messages: [
        { role: 'user', content: 'Name a colour' },
        { role: 'assistant', content: 'The colour is', prefix: true },
      ],
    });
    const prompt = engine!.harness.engine.prompts.at(-1)!.prompt;
    // WebLLM's text path, with Mistral's template written out and the prefix after the reply header.
    expect(prompt).toBe('<s>[INST] Name a colour [/INST] The colour is');
    expect(res.choices[0]!.message!.content).not.toContain('The colour is');
    expect(res.choices[0]!.message!.content).toMatch(/^Echo: Name a colour/);
  });

  it('stop, maxTokens and penalties reach the engine; maxTokens ends with finish_reason length', async () => {
    const mistral = await ready();
    const cut = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'one two three four' }], stop: [' three'] });
    expect(cut.choices[0]!.message!.content).toBe('Echo: one two');
    const short = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'long [tokens=50]' }], maxTokens: 3 });
    expect(short.choices[0]!.finishReason).toBe('length');
    await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'x' }], presencePenalty: 0.5, frequencyPenalty: 0.25 });
    expect(lastRequest()).toMatchObject({ presence_penalty: 0.5, frequency_penalty: 0.25 });
  });

  it('models.list parses every entry as a base model card with an id; models.retrieve answers hosted ids', async () => {
    const mistral = await ready();
    const list = await mistral.models.list();
    expect(list.data!.length).toBeGreaterThan(5);
    const cards = list.data!.map((card) => (card.type === 'base' ? card : null));
    // Not one entry parsed as UNKNOWN: each has the base card's type and an id.
    expect(cards.every((card) => card !== null && typeof card.id === 'string')).toBe(true);
    const hosted = cards.find((m) => m?.id === MODEL)!;
    expect(hosted.capabilities).toMatchObject({ completionChat: true, functionCalling: true });
    const retrieved = await mistral.models.retrieve({ modelId: 'mistralai/mistral-7b-instruct:free' });
    expect(retrieved).toMatchObject({ id: 'mistralai/mistral-7b-instruct:free', type: 'base' });
  });

  it('errors: 400 naming the parameter, 404 listing the models, 503 while nothing is loaded, as MistralError', async () => {
    const mistral = await ready();
    const bad = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'x' }], temperature: 9 }).catch((e) => e);
    expect(bad).toBeInstanceOf(MistralError);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ object: 'error', param: 'temperature' });
    const missing = await mistral.chat.complete({ model: 'mistral-large-latest', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).message).toContain(LOADED);
    await engine!.harness.client.models.unload();
    const unloaded = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(unloaded.statusCode).toBe(503);
  });

  it('features only the hosted service has are refused naming them', async () => {
    const mistral = await ready();
    const predicted = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'x' }], prediction: { type: 'content', content: 'x' } }).catch((e) => e);
    expect(JSON.parse(predicted.body)).toMatchObject({ param: 'prediction', code: 'unsupported_parameter' });
    const reasoning = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'x' }], promptMode: 'reasoning' }).catch((e) => e);
    expect(JSON.parse(reasoning.body)).toMatchObject({ param: 'prompt_mode' });
    const library = await mistral.chat.complete({ model: MODEL, messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'document_library', libraryIds: ['l'] }] }).catch((e) => e);
    expect(JSON.parse(library.body)).toMatchObject({ param: 'tools[0].type' });
  });

  it('a generation that fails mid-stream ends in a thrown error, after a chunk whose finish_reason is "error"', async () => {
    const mistral = await ready();
    const stream = await mistral.chat.stream({ model: MODEL, messages: [{ role: 'user', content: '[device-lost] go [tokens=50]' }] });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.data.choices[0]?.finishReason ?? '');
    })().catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/GPU device was lost/);
    expect(seen.at(-1)).toBe('error');
  });
});
