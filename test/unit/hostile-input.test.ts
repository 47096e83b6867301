// Hostile and malformed requests: each gets a clear error or is handled, the
// worker stays alive and answers the next request.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, Q4F32, type Harness } from '../support/api-harness';

let h: Harness;
beforeAll(async () => {
  h = createHarness();
  await h.client.models.load(Q4F32);
});
afterAll(() => h.close());

const ask = (content: string) => ({ model: Q4F32, messages: [{ role: 'user' as const, content }] });

function nested(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i++) schema = { type: 'object', properties: { x: schema } };
  return schema;
}

async function stillServes(): Promise<void> {
  await expect(h.remote.ping()).resolves.toBe('pong');
  const res = await h.client.chat.completions.create(ask('still there?'));
  expect(res.choices[0]!.message.content).toMatch(/^Echo: still there\?/);
}

describe('hostile input', () => {
  it('a 10 MB message is refused before it reaches the tokenizer', async () => {
    const started = Date.now();
    await expect(h.client.chat.completions.create(ask('x'.repeat(10 * 1024 * 1024)))).rejects.toMatchObject({ status: 400, param: 'messages[0].content', code: 'request_too_large' });
    expect(h.engine.requests.some((r) => JSON.stringify(r).length > 1_000_000)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(0);
    await stillServes();
  });

  it('10,000 messages are refused', async () => {
    const messages = Array.from({ length: 10_000 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: 'hi' }));
    messages.push({ role: 'user', content: 'last' });
    await expect(h.client.chat.completions.create({ model: Q4F32, messages })).rejects.toMatchObject({ status: 400, param: 'messages', code: 'request_too_large' });
    await stillServes();
  });

  it('deeply nested JSON schemas are refused without overflowing the stack', async () => {
    // 5,000 levels: refused before postMessage, whose structured clone would overflow.
    const deep = nested(5000);
    await expect(
      h.client.chat.completions.create({ ...ask('x'), response_format: { type: 'json_schema', json_schema: { name: 'deep', schema: deep } } }),
    ).rejects.toMatchObject({ status: 400, param: 'response_format', code: 'request_too_deep' });
    await expect(h.client.chat.completions.create({ ...ask('x'), tools: [{ type: 'function', function: { name: 'f', parameters: deep } }] })).rejects.toMatchObject({
      status: 400,
      param: 'tools',
      code: 'request_too_deep',
    });
    // 25 levels (50 nested objects) crosses the boundary and is refused by the worker, naming the schema.
    const medium = nested(25);
    await expect(
      h.client.chat.completions.create({ ...ask('x'), response_format: { type: 'json_schema', json_schema: { name: 'm', schema: medium } } }),
    ).rejects.toMatchObject({ status: 400, param: 'response_format.json_schema.schema', code: 'schema_too_complex' });
    await expect(h.client.chat.completions.create({ ...ask('x'), tools: [{ type: 'function', function: { name: 'f', parameters: medium } }] })).rejects.toMatchObject({
      status: 400,
      param: 'tools[0].function.parameters',
      code: 'schema_too_complex',
    });
    await stillServes();
  });

  it('the HTTP adapter answers a deeply nested body with a 400, not a crash', async () => {
    const { createLocalFetch } = await import('../../src/http/local-fetch');
    const body = `{"model":"${Q4F32}","messages":[{"role":"user","content":"x"}],"response_format":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`;
    const res = await createLocalFetch(h.client)('http://x/v1/chat/completions', { method: 'POST', body });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ param: 'response_format', code: 'request_too_deep' });
  });

  it('invalid UTF-16 (lone surrogates) is repaired, not passed to the tokenizer', async () => {
    const res = await h.client.chat.completions.create(ask('broken \ud800 text \udfff end'));
    expect(res.choices[0]!.message.content).toMatch(/^Echo: broken \ufffd text \ufffd end/);
    const sent = h.engine.requests.at(-1)!.messages[0]!.content as string;
    expect(sent.isWellFormed()).toBe(true);
  });

  it('prototype-pollution keys in logit_bias, tools and response_format pollute nothing', async () => {
    const polluting = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}');
    await expect(h.client.chat.completions.create({ ...ask('x'), logit_bias: JSON.parse('{"__proto__": 5}') })).rejects.toMatchObject({ status: 400, param: 'logit_bias' });
    await h.client.chat.completions.create({
      ...ask('x'),
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: polluting } } }],
      tool_choice: 'required',
    });
    await h.client.chat.completions.create({ ...ask('x'), response_format: { type: 'json_schema', json_schema: { name: 'p', schema: { type: 'object', properties: polluting } } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    await stillServes();
  });

  it('fuzz: any JSON in any parameter gives a result or an OpenAI-shaped 4xx naming a parameter, and the worker lives on', async () => {
    const params = ['model', 'messages', 'stream', 'n', 'temperature', 'top_p', 'top_k', 'min_p', 'max_tokens', 'max_completion_tokens', 'stop', 'seed', 'frequency_penalty', 'presence_penalty', 'repetition_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'response_format', 'tools', 'tool_choice', 'stream_options'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...params), fc.jsonValue({ maxDepth: 4 }), async (param, value) => {
        const request = { ...ask('fuzz'), [param]: value };
        try {
          const result = await h.client.chat.completions.create(request as never);
          if (Symbol.asyncIterator in result) for await (const _ of result) void _;
        } catch (error) {
          const e = error as { name: string; status: number; param: string | null; type: string };
          expect(e.name).toBe('ApiError');
          expect([400, 404]).toContain(e.status);
          expect(typeof e.param).toBe('string');
          expect(e.type).toMatch(/invalid_request_error|not_found_error/);
        }
      }),
      { numRuns: 300 },
    );
    await stillServes();
  });
});
