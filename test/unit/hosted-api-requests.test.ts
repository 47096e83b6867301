// What code written for hosted OpenAI-style Mistral APIs sends in ordinary
// use, through the official openai client (and over comlink for in-page
// callers): accepted where it means something or nothing, refused with a
// 400 naming the parameter where the local model cannot honour it.
import { afterEach, describe, expect, it } from 'vitest';
import { all, LOADED, localEngine, MODEL, openaiClient, SERVER, weatherTool, type LocalEngine } from '../support/clients';

let engine: LocalEngine | undefined;
afterEach(() => engine?.harness.close());

async function ready(options: Parameters<typeof localEngine>[0] = {}) {
  engine = await localEngine(options);
  return openaiClient(engine);
}

const lastRequest = () => engine!.harness.engine.requests.at(-1)!;
const refusal = (promise: Promise<unknown>) => promise.then(() => null, (e: { status: number; param: string; code: string; message: string }) => e);

describe('requests hosted-API code sends', () => {
  it('content as text parts for every role, joined as Mistral joins them; other parts refused naming the part', async () => {
    const openai = await ready();
    const res = await openai.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'first' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
        { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
      ],
    });
    expect(res.choices[0]!.message.content).toMatch(/^Echo: Be brief\. one two/);
    expect(lastRequest().messages.map((m) => m.content)).toEqual(['', 'first', 'ok', 'Be brief.\n\none\n\ntwo']);
    const image = await refusal(
      openai.chat.completions.create({
        model: MODEL,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          { role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        ],
      }),
    );
    expect(image).toMatchObject({ status: 400, param: 'messages[2].content[1].type' });
    expect(image!.message).toMatch(/text-only/);
  });

  it('replayed assistant messages as hosted APIs return them', async () => {
    const openai = await ready();
    const previous = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
    const replay = { ...previous.choices[0]!.message, tool_calls: [], annotations: [], audio: null, function_call: null, name: 'bot' };
    const res = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }, replay as never, { role: 'user', content: 'again' }] });
    expect(res.choices[0]!.message.content).toMatch(/^Echo: again/);
    expect(lastRequest().messages[2]!.content).toBe(previous.choices[0]!.message.content);
  });

  it('system messages anywhere are joined, in order, at the start of the last user turn', async () => {
    const openai = await ready();
    await openai.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'One.' },
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: 'a1' },
        { role: 'system', content: 'Two.' },
        { role: 'developer', content: 'Three.' },
        { role: 'user', content: 'q2' },
      ],
    });
    expect(lastRequest().messages.map((m) => [m.role, m.content])).toEqual([
      ['system', ''],
      ['user', 'q1'],
      ['assistant', 'a1'],
      ['user', 'One.\n\nTwo.\n\nThree.\n\nq2'],
    ]);
  });

  it('fields sent by habit are accepted as no-ops but type-checked; random_seed is seed; unknown ones are still refused', async () => {
    const openai = await ready();
    const habits = { user: 'u1', store: false, metadata: { app: 'x' }, service_tier: 'auto', prompt_cache_key: 'k', safety_identifier: 's', parallel_tool_calls: true };
    await expect(openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], ...habits } as never)).resolves.toMatchObject({ object: 'chat.completion' });
    for (const [param, value] of [['user', 5], ['store', 'no'], ['metadata', 'x'], ['service_tier', 1], ['prompt_cache_key', {}], ['safety_identifier', []], ['parallel_tool_calls', 'yes']] as const) {
      expect(await refusal(openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], [param]: value } as never))).toMatchObject({ status: 400, param });
    }
    await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], random_seed: 99 } as never);
    expect(lastRequest().seed).toBe(99);
    expect(await refusal(openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], seed: 1, random_seed: 2 } as never))).toMatchObject({ param: 'random_seed' });
    expect(await refusal(openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], frobnicate: 1 } as never))).toMatchObject({ param: 'frobnicate', code: 'unknown_parameter' });
  });

  it('model ids as hosted code writes them resolve, or fail listing what exists', async () => {
    const openai = await ready();
    for (const model of ['mistralai/Mistral-7B-Instruct-v0.3', 'mistral-7b-instruct', 'mistral-7b-instruct-v0.3', 'mistralai/mistral-7b-instruct:free', 'mistralai/mistral-7b-instruct:nitro', 'MISTRALAI/MISTRAL-7B-INSTRUCT-V0.3']) {
      await expect(openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] })).resolves.toMatchObject({ model });
    }
    const unknown = await refusal(openai.chat.completions.create({ model: 'mistral-large-latest', messages: [{ role: 'user', content: 'x' }] }));
    expect(unknown).toMatchObject({ status: 404, param: 'model' });
    expect(unknown!.message).toContain(LOADED);
    const ids = (await openai.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([LOADED, 'mistralai/Mistral-7B-Instruct-v0.3', 'mistralai/mistral-nemo'.replace('nemo', '7b-instruct'), 'ministral-3b']));
    const hosted = await openai.models.retrieve('mistralai/Mistral-7B-Instruct-v0.3');
    expect(hosted).toMatchObject({ id: 'mistralai/Mistral-7B-Instruct-v0.3', resolves_to: LOADED });
    const encoded = await engine!.fetch(`${SERVER}/v1/models/${encodeURIComponent('mistralai/mistral-7b-instruct:free')}`);
    expect(await encoded.json()).toMatchObject({ id: 'mistralai/mistral-7b-instruct:free', resolves_to: LOADED });
    expect((await engine!.fetch(`${SERVER}/v1/models/mistral-large-latest`)).status).toBe(404);
  });
});

describe('tool calls are never half-answers', () => {
  const ask = { model: MODEL, messages: [{ role: 'user' as const, content: 'get_weather for Paris' }], tools: [weatherTool] };

  it('a call cut off by max_tokens never leaks [TOOL_CALLS] or partial JSON; with a required call it ends with length and no call', async () => {
    const openai = await ready();
    const auto = await openai.chat.completions.create({ ...ask, max_tokens: 3 });
    expect(auto.choices[0]!.finish_reason).toBe('length');
    expect(auto.choices[0]!.message.content ?? '').not.toMatch(/TOOL_CALLS|\{|\[/);
    expect(auto.choices[0]!.message.tool_calls).toBeUndefined();
    const required = await openai.chat.completions.create({ ...ask, max_tokens: 3, tool_choice: 'required' });
    expect(required.choices[0]!.finish_reason).toBe('length');
    expect(required.choices[0]!.message.content ?? '').toBe('');
    const streamed = await all(await openai.chat.completions.create({ ...ask, max_tokens: 3, stream: true }));
    expect(streamed.map((c) => c.choices[0]?.delta.content ?? '').join('')).not.toMatch(/TOOL_CALLS|\{/);
  });

  it('a stop string inside an automatic call drops the call; a required call is never cut by stop', async () => {
    const openai = await ready();
    const auto = await openai.chat.completions.create({ ...ask, stop: ['city'] });
    expect(auto.choices[0]!.message.content ?? '').not.toMatch(/TOOL_CALLS|\{/);
    const required = await openai.chat.completions.create({ ...ask, stop: ['city'], tool_choice: 'required' });
    expect(required.choices[0]!.finish_reason).toBe('tool_calls');
    expect(JSON.parse((required.choices[0]!.message.tool_calls![0] as { function: { arguments: string } }).function.arguments)).toMatchObject({ city: 'Paris' });
    expect(lastRequest().stop).toBeUndefined();
  });

  it('text before a call stays content; the call comes as tool_calls', async () => {
    const openai = await ready();
    const res = await openai.chat.completions.create({ ...ask, messages: [{ role: 'user', content: '[say]Checking. [TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Oslo"}}][/say]' }] });
    expect(res.choices[0]!.message.content).toBe('Checking. ');
    expect((res.choices[0]!.message.tool_calls![0] as { function: unknown }).function).toEqual({ name: 'get_weather', arguments: '{"city":"Oslo"}' });
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');
  });
});

describe('in-page callers over comlink', () => {
  it('a function, a Symbol, a sparse array or a throwing getter is an ApiError naming the parameter', async () => {
    await ready();
    const client = engine!.harness.client;
    const base = { model: MODEL, messages: [{ role: 'user' as const, content: 'x' }] };
    const sparse = [{ role: 'user', content: 'x' }];
    sparse.length = 3;
    const getter = { ...base };
    Object.defineProperty(getter, 'temperature', { enumerable: true, get: () => { throw new Error('nope'); } });
    const cases: [unknown, string][] = [
      [{ ...base, temperature: () => 1 }, 'temperature'],
      [{ ...base, user: Symbol('u') }, 'user'],
      [{ ...base, messages: sparse }, 'messages[1]'],
      [getter, 'temperature'],
      [{ ...base, metadata: { deep: { fn() {} } } }, 'metadata.deep.fn'],
    ];
    for (const [request, param] of cases) {
      await expect(client.chat.completions.create(request as never)).rejects.toMatchObject({ name: 'ApiError', status: 400, param });
    }
    await expect(client.chat.completions.create(base)).resolves.toMatchObject({ object: 'chat.completion' });
  });
});

describe('legacy completions', () => {
  it('POST /v1/completions through the openai client: plain, streamed, and the same parameter rules', async () => {
    const openai = await ready();
    const res = await openai.completions.create({ model: MODEL, prompt: 'Once upon a time', max_tokens: 5, seed: 3 });
    expect(res).toMatchObject({ object: 'text_completion', model: MODEL });
    expect(res.id).toMatch(/^cmpl-/);
    expect(res.choices[0]!.finish_reason).toBe('length');
    expect(engine!.harness.engine.prompts.at(-1)).toMatchObject({ prompt: 'Once upon a time', max_tokens: 5, seed: 3 });
    const chunks = await all(await openai.completions.create({ model: MODEL, prompt: 'hello', stream: true }));
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).toMatch(/hello/);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    expect(await refusal(openai.completions.create({ model: MODEL, prompt: 'x', temperature: 5 }))).toMatchObject({ status: 400, param: 'temperature' });
    expect(await refusal(openai.completions.create({ model: MODEL, prompt: 'x', suffix: 'y' }))).toMatchObject({ param: 'suffix' });
    expect(await refusal(openai.completions.create({ model: MODEL, prompt: ['a', 'b'] }))).toMatchObject({ param: 'prompt' });
  });
});
