import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, F16_GPU, Q4F32, type Harness } from '../support/api-harness';

let h: Harness;
afterEach(() => h?.close());

const ask = (content: string) => ({ model: Q4F32, messages: [{ role: 'user' as const, content }] });

describe('request errors cross the boundary typed and OpenAI-shaped', () => {
  it('503 model_not_loaded before any load', async () => {
    h = createHarness();
    await expect(h.client.chat.completions.create(ask('hi'))).rejects.toMatchObject({ name: 'ApiError', status: 503, param: 'model', code: 'model_not_loaded' });
  });

  it('400 naming the parameter for a bad temperature', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    await expect(h.client.chat.completions.create({ ...ask('hi'), temperature: 7 })).rejects.toMatchObject({
      name: 'ApiError',
      status: 400,
      param: 'temperature',
      type: 'invalid_request_error',
    });
  });

  it('400 for messages that are not an array, naming messages', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    await expect(h.client.chat.completions.create({ model: Q4F32, messages: 'hello' as never })).rejects.toMatchObject({ status: 400, param: 'messages' });
  });

  it('refuses unknown parameters instead of ignoring them', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    await expect(h.client.chat.completions.create({ ...ask('hi'), foo: 1 } as never)).rejects.toMatchObject({ status: 400, param: 'foo', code: 'unknown_parameter' });
  });

  it('404 with the compile-it-yourself explanation for Mistral Nemo', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    const error = await h.client.chat.completions.create({ ...ask('hi'), model: 'mistralai/mistral-nemo' }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 404, param: 'model', code: 'model_not_found' });
    expect(error.message).toMatch(/no prebuilt WebGPU build/);
    expect(error.message).toMatch(/docs\/models\.md/);
  });

  it('accepts the hosted id as an alias for the loaded variant and echoes it back', async () => {
    h = createHarness();
    await h.client.models.load('mistralai/Mistral-7B-Instruct-v0.3');
    const res = await h.client.chat.completions.create({ ...ask('hi'), model: 'mistralai/Mistral-7B-Instruct-v0.3' });
    expect(res.model).toBe('mistralai/Mistral-7B-Instruct-v0.3');
    expect((await h.client.stats()).loadedModel).toBe(Q4F32);
  });

  it('prompt longer than the context window is a 400 on messages, and the worker keeps serving', async () => {
    h = createHarness({ engine: { contextWindow: 50 } });
    await h.client.models.load(Q4F32);
    const long = Array.from({ length: 80 }, (_, i) => `w${i}`).join(' ');
    await expect(h.client.chat.completions.create({ ...ask(long), stream: true })).rejects.toMatchObject({ status: 400, param: 'messages', code: 'context_length_exceeded' });
    await expect(h.client.chat.completions.create(ask('short'))).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('400 when the requested model is not the loaded one', async () => {
    h = createHarness({ gpu: F16_GPU });
    await h.client.models.load('Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC');
    await expect(h.client.chat.completions.create(ask('hi'))).rejects.toMatchObject({ status: 400, param: 'model', code: 'model_not_loaded' });
  });
});

describe('model loading', () => {
  it('reports progress as numbers and resolves with the loaded model', async () => {
    h = createHarness();
    const progress: number[] = [];
    const loaded = await h.client.models.load(Q4F32, (p) => progress.push(p.fraction));
    expect(loaded.modelId).toBe(Q4F32);
    expect(loaded.contextWindow).toBe(4096);
    await new Promise((r) => setTimeout(r, 20));
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1);
  });

  it('refuses a q4f16 model on a GPU without shader-f16 with a typed load error', async () => {
    h = createHarness();
    await expect(h.client.models.load('Mistral-7B-Instruct-v0.3-q4f16_1-MLC')).rejects.toMatchObject({ name: 'ModelLoadError', kind: 'unsupported-model' });
  });

  it('cancelling a load rejects it with kind "aborted"', async () => {
    h = createHarness({ engine: { loadSteps: 10, loadStepDelayMs: 30 } });
    const pending = h.client.models.load(Q4F32);
    setTimeout(() => void h.client.models.cancelLoad(), 60);
    await expect(pending).rejects.toMatchObject({ name: 'ModelLoadError', kind: 'aborted' });
  });

  it('an engine failure during load becomes a readable ModelLoadError', async () => {
    h = createHarness({
      engine: {
        failLoadWith: () => Object.assign(new Error('The WebGPU device was lost while loading the model.'), { name: 'DeviceLostError' }),
      },
    });
    const error = await h.client.models.load(Q4F32).catch((e) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', kind: 'device-lost' });
    expect(error.message).toMatch(/ran out of memory/);
  });
});
