// The HTTP dialect at the wire level: status codes, bodies, SSE framing.
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalFetch } from '../../src/http/local-fetch';
import { createHarness, type Harness } from '../support/api-harness';
import { listenersOn } from '../support/signal-listeners';

const MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';
let h: Harness;
afterEach(() => h.close());

async function setup(load = true) {
  h = createHarness({ engine: { contextWindow: 30 } });
  if (load) await h.client.models.load(MODEL);
  return createLocalFetch(h.client);
}
const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('local fetch', () => {
  it('serves JSON completions with status 200', async () => {
    const fetch = await setup();
    const res = await fetch('http://x/v1/chat/completions', post({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect((await res.json()).object).toBe('chat.completion');
  });

  it('streams Server-Sent Events ending with data: [DONE]', async () => {
    const fetch = await setup();
    const res = await fetch('http://x/v1/chat/completions', post({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true }));
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(events[0]!.slice(6)).object).toBe('chat.completion.chunk');
  });

  it('400 with an error body both dialects read (OpenAI under `error`, Mistral at the top level)', async () => {
    const fetch = await setup();
    const bad = await fetch('http://x/v1/chat/completions', post('{not json'));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    const res = await fetch('http://x/v1/chat/completions', post({ model: MODEL, messages: [{ role: 'user', content: 'x' }], top_p: 2 }));
    expect(res.status).toBe(400);
    const error = { message: expect.stringContaining('top_p'), type: 'invalid_request_error', param: 'top_p', code: 'invalid_value' };
    expect(await res.json()).toEqual({ object: 'error', ...error, error });
  });

  it('404 for an unknown model or path, 405 for a wrong method, 503 while no model is loaded', async () => {
    const fetch = await setup(false);
    expect((await fetch('http://x/v1/chat/completions', post({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }))).status).toBe(503);
    expect((await fetch('http://x/v1/chat/completions', post({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }))).status).toBe(404);
    expect((await fetch('http://x/v1/audio/speech', post({}))).status).toBe(404);
    expect((await fetch('http://x/v1/chat/completions', { method: 'GET' })).status).toBe(405);
    expect((await fetch('http://x/v1/models/none')).status).toBe(404);
  });

  it('a prompt too long for the context window is a 400 on messages before the stream starts', async () => {
    const fetch = await setup();
    const long = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const res = await fetch('http://x/v1/chat/completions', post({ model: MODEL, messages: [{ role: 'user', content: long }], stream: true }));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ param: 'messages', code: 'context_length_exceeded' });
  });

  it('accepts a Request object as input, as fetch does', async () => {
    const fetch = await setup();
    const res = await fetch(new Request('http://x/v1/chat/completions', post({ model: MODEL, messages: [{ role: 'user', content: 'req' }] })));
    expect((await res.json()).choices[0].message.content).toMatch(/^Echo: req/);
  });

  it('a signal shared by many requests holds none of them once their bodies end (read, cancelled or failed), and still aborts one open', async () => {
    const fetch = await setup();
    const controller = new AbortController();
    const listening = listenersOn(controller.signal);
    const ask = (content: string) => fetch('http://x/v1/chat/completions', { ...post({ model: MODEL, messages: [{ role: 'user', content }], stream: true }), signal: controller.signal });
    for (let i = 0; i < 10; i++) expect(await (await ask(`turn ${i}`)).text()).toMatch(/data: \[DONE\]\n\n$/);
    await (await ask('long [tokens=200]')).body!.cancel();
    expect(await (await ask('[device-lost] [tokens=20]')).text().catch((e: Error) => e.name)).toBe('StreamError');
    expect(listening.size).toBe(0);
    // A lost device unloads the model.
    await h.client.models.load(MODEL);
    const open = await ask('long [tokens=400]');
    const reading = open.text();
    controller.abort();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('an already-aborted signal rejects with AbortError, as fetch does', async () => {
    const fetch = await setup();
    const controller = new AbortController();
    controller.abort();
    await expect(fetch('http://x/v1/chat/completions', { ...post({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }), signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
