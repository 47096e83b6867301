import { afterEach, describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../protocol/contract';
import { createHarness, Q4F32, type Harness } from '../support/api-harness';
import { listenersOn } from '../support/signal-listeners';

let h: Harness;
afterEach(() => h?.close());

const ask = (content: string) => ({ model: Q4F32, messages: [{ role: 'user' as const, content }] });

describe('abort', () => {
  it('stops a stream mid-way and frees the engine for the next request', async () => {
    h = createHarness({ engine: { tokenDelayMs: 5 } });
    await h.client.models.load(Q4F32);
    const controller = new AbortController();
    const stream = await h.client.chat.completions.create({ ...ask('long one [tokens=400]'), stream: true }, { signal: controller.signal });
    const got: ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      got.push(chunk);
      if (got.length === 5) controller.abort();
    }
    expect(got.length).toBeGreaterThanOrEqual(5);
    expect(got.length).toBeLessThan(50);
    const next = await h.client.chat.completions.create(ask('after abort'));
    expect(next.choices[0]!.message.content).toMatch(/^Echo: after abort/);
    const stats = await h.client.stats();
    expect(stats.busy).toBe(false);
  });

  it('aborts during prefill (before the first token), which WebLLM alone would lose', async () => {
    h = createHarness({ engine: { tokenDelayMs: 5, prefillDelayMs: 200 } });
    await h.client.models.load(Q4F32);
    const controller = new AbortController();
    const pending = h.client.chat.completions.create({ ...ask('slow prefill [tokens=400]') }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    // The engine emitted no tokens for the aborted request.
    const after = await h.client.chat.completions.create(ask('next'));
    expect(after.choices[0]!.message.content).toMatch(/^Echo: next/);
  });

  it('aborts a queued request without touching the running one', async () => {
    h = createHarness({ engine: { tokenDelayMs: 2 } });
    await h.client.models.load(Q4F32);
    const first = h.client.chat.completions.create(ask('first [tokens=60]'));
    const controller = new AbortController();
    const second = h.client.chat.completions.create(ask('second'), { signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    const done = await first;
    expect(done.choices[0]!.finish_reason).toBe('stop');
    expect(done.usage.completion_tokens).toBe(60);
  });

  it('serves concurrent requests one after the other, in order, never interleaved', async () => {
    h = createHarness({ engine: { tokenDelayMs: 1 } });
    await h.client.models.load(Q4F32);
    const order: string[] = [];
    const run = async (name: string) => {
      const stream = await h.client.chat.completions.create({ ...ask(`${name} [tokens=20]`), stream: true });
      for await (const c of stream) if (c.choices[0]?.delta.content) order.push(name);
    };
    await Promise.all([run('a'), run('b'), run('c')]);
    // At the engine: one request at a time, in the order they came. (Each reader gets all of its
    // own chunks; readers may lag behind the engine by the stream's buffer, so their interleaving
    // says nothing about the engine's.)
    expect(h.engine.emissions.join('')).toBe('a'.repeat(20) + 'b'.repeat(20) + 'c'.repeat(20));
    expect(order.filter((n) => n === 'a')).toHaveLength(20);
    expect(order.filter((n) => n === 'b')).toHaveLength(20);
    expect(order.filter((n) => n === 'c')).toHaveLength(20);
  });

  it('a signal shared by many streams holds none of them once they end, and still aborts the one open', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    const controller = new AbortController();
    const { signal } = controller;
    const listening = listenersOn(signal);
    for (let i = 0; i < 20; i++) {
      const stream = await h.client.chat.completions.create({ ...ask(`turn ${i} [tokens=5]`), stream: true }, { signal });
      for await (const _ of stream);
    }
    expect(listening.size).toBe(0);
    const open = await h.client.chat.completions.create({ ...ask('long [tokens=400]'), stream: true }, { signal });
    let got = 0;
    for await (const _ of open) if (++got === 3) controller.abort();
    expect(got).toBeLessThan(50);
  });

  it('rejects an already-aborted signal without reaching the engine', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    const controller = new AbortController();
    controller.abort();
    await expect(h.client.chat.completions.create(ask('x'), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(h.engine.requests).toHaveLength(0);
  });
});
