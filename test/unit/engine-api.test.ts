import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, Q4F32, type Harness } from '../support/api-harness';

let h: Harness;
afterEach(() => h?.close());

describe('engine API over a real MessageChannel', () => {
  it('answers a non-streaming completion', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    const res = await h.client.chat.completions.create({ model: Q4F32, messages: [{ role: 'user', content: 'hello there' }] });
    expect(res.object).toBe('chat.completion');
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.model).toBe(Q4F32);
    expect(res.choices[0]!.message.content).toMatch(/^Echo: hello there/);
    expect(res.choices[0]!.finish_reason).toBe('stop');
    expect(res.usage.total_tokens).toBe(res.usage.prompt_tokens + res.usage.completion_tokens);
  });

  it('streams chunks', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    const stream = await h.client.chat.completions.create({ model: Q4F32, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toMatch(/^Echo: hi/);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage!.completion_tokens).toBeGreaterThan(1);
  });
});
