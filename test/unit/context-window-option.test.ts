// The context window as a load option, through the real worker API over a
// MessageChannel: the choices each model offers with their KV-cache cost,
// what reaches WebLLM's reload, what /v1/models and the load report say, and
// a window that is not offered refused by name.
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalFetch } from '../../src/http/local-fetch';
import { createHarness, F16_GPU, Q4F32, type Harness } from '../support/api-harness';

let h: Harness;
afterEach(() => h?.close());

describe('context window at load', () => {
  it('each Mistral model offers 4k up to what it was trained for, with the KV cache bytes per token', async () => {
    h = createHarness({ gpu: F16_GPU });
    const { data } = await h.client.models.list();
    const q4f32 = data.find((m) => m.id === Q4F32)!;
    expect(q4f32.contextWindowOptions).toEqual([4096, 8192, 16384, 32768]);
    // 32 layers × 8 KV heads × 128 × (K and V) × 4 bytes (f32): 256 KiB per token, 8 GiB at 32k.
    expect(q4f32.kvCacheBytesPerToken).toBe(32 * 8 * 128 * 2 * 4);
    const f16 = data.find((m) => m.id === 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC')!;
    expect(f16.kvCacheBytesPerToken).toBe(32 * 8 * 128 * 2 * 2);
    const ministral = data.find((m) => m.id === 'Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC')!;
    expect(ministral.contextWindowOptions.at(-1)).toBe(32768);
  });

  it('a larger window is passed to WebLLM at load, reported by the load and by /v1/models, and lets a longer prompt in', async () => {
    h = createHarness();
    const tokens = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    await h.client.models.load(Q4F32);
    expect(h.engine.lastChatOpts).toBeUndefined();
    const tooLong = await h.client.chat.completions.create({ model: Q4F32, messages: [{ role: 'user', content: tokens(6000) }] }).catch((e) => e);
    expect(tooLong).toMatchObject({ status: 400, code: 'context_length_exceeded' });

    const loaded = await h.client.models.load(Q4F32, undefined, { contextWindow: 16384 });
    expect(loaded.contextWindow).toBe(16384);
    expect(h.engine.lastChatOpts).toEqual({ context_window_size: 16384 });
    const reply = await h.client.chat.completions.create({ model: Q4F32, messages: [{ role: 'user', content: tokens(6000) }], max_tokens: 4 });
    expect(reply.choices[0]!.finish_reason).toBe('length');
    const card = await (await createLocalFetch(h.client)(`http://local/v1/models/${Q4F32}`)).json();
    expect(card.max_context_length).toBe(16384);
  });

  it('a window the model does not offer is refused, naming the ones it does', async () => {
    h = createHarness();
    const error = await h.client.models.load(Q4F32, undefined, { contextWindow: 5000 }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', kind: 'invalid-option' });
    expect(error.message).toBe(`${Q4F32} can be loaded with a context window of 4096, 8192, 16384, 32768 tokens, not 5000.`);
  });
});
