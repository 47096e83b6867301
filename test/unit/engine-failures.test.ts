// A worker that dies, and a GPU that is lost: nothing hangs, the state is
// clear, and the engine serves again after a reload.
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkStream } from '../../src/engine/client';
import { EngineStoppedError } from '../../protocol/errors';
import { createHarness, Q4F32, type Harness } from '../support/api-harness';

let h: Harness;
afterEach(() => h?.close());

const ask = (content: string) => ({ model: Q4F32, messages: [{ role: 'user' as const, content }] });

describe('a dead worker', () => {
  it('fails the stream in flight and every pending call with EngineStoppedError instead of hanging', async () => {
    h = createHarness({ engine: { tokenDelayMs: 5 }, watchdog: { intervalMs: 20, timeoutMs: 100 } });
    await h.client.models.load(Q4F32);
    const stream = await h.client.chat.completions.create({ ...ask('long [tokens=1000]'), stream: true });
    let received = 0;
    const reading = (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) received++;
        if (received === 3) h.kill();
      }
    })();
    await expect(reading).rejects.toMatchObject({ name: 'EngineStoppedError' });
    await expect(h.client.stats()).rejects.toMatchObject({ name: 'EngineStoppedError' });
    expect(received).toBeGreaterThanOrEqual(3);
  });

  it('gives the stopped signal one handler per stream, not one per chunk (each would keep its chunk while the worker lives)', async () => {
    // Promise.race([read(), stopped]) per read left a handler on `stopped` per chunk, holding the chunk.
    let handlers = 0;
    const stopped = new Promise<never>(() => {});
    const then = stopped.then.bind(stopped);
    stopped.then = ((...args: Parameters<typeof then>) => (handlers++, then(...args))) as typeof stopped.then;
    const chunks = Array.from({ length: 200 }, (_, i) => ({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: `${i} ` } }] }));
    const source = new ReadableStream({ start: (c) => (chunks.forEach((x) => c.enqueue(x)), c.close()) });
    const read: string[] = [];
    for await (const chunk of new ChunkStream(source, undefined, stopped)) read.push(chunk.choices[0]!.delta.content!);
    expect(read).toEqual(chunks.map((x) => x.choices[0]!.delta.content));
    expect(handlers).toBe(1);
  });

  it('a stream still open when the worker stops throws its EngineStoppedError; one the caller aborted ends quietly', async () => {
    const stoppedLater = () => {
      let stop!: (error: Error) => void;
      const promise = new Promise<never>((_, reject) => (stop = reject));
      return { promise, stop: () => stop(new EngineStoppedError('The engine crashed: boom.')) };
    };
    const open = () => new ReadableStream({ start: (c) => c.enqueue({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'a' } }] }) });
    const first = stoppedLater();
    const stream = new ChunkStream(open(), undefined, first.promise);
    const reading = (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content === 'a') first.stop();
    })();
    await expect(reading).rejects.toMatchObject({ name: 'EngineStoppedError', message: 'The engine crashed: boom.' });
    const second = stoppedLater();
    const aborted = new ChunkStream(open(), undefined, second.promise);
    const quiet = (async () => {
      for await (const chunk of aborted) if (chunk.choices[0]?.delta.content === 'a') (aborted.abort(), second.stop());
    })();
    await expect(quiet).resolves.toBeUndefined();
  });

  it('a load in flight fails too', async () => {
    h = createHarness({ engine: { loadSteps: 50, loadStepDelayMs: 20 }, watchdog: { intervalMs: 20, timeoutMs: 100 } });
    const loading = h.client.models.load(Q4F32);
    setTimeout(() => h.kill(), 50);
    await expect(loading).rejects.toMatchObject({ name: 'EngineStoppedError' });
  });
});

describe('a lost GPU device', () => {
  it('ends the reply with a 503 device_lost, forgets the model, and a reload serves again', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    const stream = await h.client.chat.completions.create({ ...ask('[device-lost] go [tokens=50]'), stream: true });
    const text: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e) => e);
    expect(error).toMatchObject({ status: 503, code: 'device_lost' });
    expect(error.message).toMatch(/GPU device was lost .* Reload the model/);
    expect(text.join('')).toMatch(/^Echo:/);
    expect((await h.client.stats()).loadedModel).toBeNull();
    await expect(h.client.chat.completions.create(ask('next'))).rejects.toMatchObject({ status: 503, code: 'model_not_loaded' });
    await h.client.models.load(Q4F32);
    await expect(h.client.chat.completions.create(ask('after reload'))).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('non-streaming requests get the same 503', async () => {
    h = createHarness();
    await h.client.models.load(Q4F32);
    await expect(h.client.chat.completions.create(ask('[device-lost] [tokens=50]'))).rejects.toMatchObject({ status: 503, code: 'device_lost' });
  });
});
