// Behaviours the real engine showed (test/e2e/real-tokens.test.ts) and the
// scripted engine now copies: WebLLM keeps what it streamed of a stop string
// that spans tokens, returns no logprobs without top_logprobs, and drops the
// logprobs of tokens whose chunk it never sent. The API corrects all three.
import { afterEach, describe, expect, it } from 'vitest';
import { StopGuard } from '../../worker/chat/stop-strings';
import { all, localEngine, MODEL, openaiClient, type LocalEngine } from '../support/clients';

let engine: LocalEngine | undefined;
afterEach(() => engine?.harness.close());

describe('StopGuard', () => {
  it('never sends any part of a stop string, however the text is split', () => {
    const text = 'alpha beta### gamma';
    for (let size = 1; size <= 5; size++) {
      const guard = new StopGuard(['###']);
      let out = '';
      for (let i = 0; i < text.length && !guard.stopped; i += size) out += guard.push(text.slice(i, i + size));
      expect(out).toBe('alpha beta');
      expect(guard.stopped).toBe(true);
    }
  });

  it('releases a held tail that turned out not to be a stop string, and at the end of a length-limited reply', () => {
    const guard = new StopGuard(['\n\n']);
    expect(guard.push('one\n')).toBe('one');
    expect(guard.push('two')).toBe('\ntwo');
    expect(guard.push('\n')).toBe('');
    expect(guard.finish('length')).toBe('\n');
    const ended = new StopGuard(['\n\n']);
    ended.push('end\n');
    // The engine stopped on its own stop-string match: the held "\n" was its start.
    expect(ended.finish('stop')).toBe('');
  });

  it('finds the earliest of several stop strings', () => {
    const guard = new StopGuard(['END', 'stop']);
    expect(guard.push('go stop now END')).toBe('go ');
  });
});

describe('through the API, with an engine that behaves as WebLLM does', () => {
  it('a stop string spanning tokens is cut whole, streamed and not', async () => {
    engine = await localEngine();
    const openai = openaiClient(engine);
    const request = { model: MODEL, messages: [{ role: 'user' as const, content: 'one two three four' }], stop: ['one two'] };
    expect((await openai.chat.completions.create(request)).choices[0]!.message.content).toBe('Echo: ');
    const chunks = await all(await openai.chat.completions.create({ ...request, stream: true }));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: ');
  });

  it('logprobs without top_logprobs: one entry per token, with empty top lists; streamed too', async () => {
    engine = await localEngine();
    const openai = openaiClient(engine);
    const request = { model: MODEL, messages: [{ role: 'user' as const, content: 'a b [tokens=9]' }], logprobs: true };
    const res = await openai.chat.completions.create(request);
    expect(res.choices[0]!.logprobs!.content).toHaveLength(res.usage!.completion_tokens);
    expect(res.choices[0]!.logprobs!.content!.every((t) => t.top_logprobs.length === 0)).toBe(true);
    expect(engine.harness.engine.requests.at(-1)).toMatchObject({ top_logprobs: 1, stream: false });
    const chunks = await all(await openai.chat.completions.create({ ...request, stream: true, top_logprobs: 2 }));
    const tokens = chunks.flatMap((c) => c.choices[0]?.logprobs?.content ?? []);
    expect(tokens).toHaveLength(9);
    expect(tokens.every((t) => t.top_logprobs.length <= 2) && tokens.some((t) => t.top_logprobs.length === 2)).toBe(true);
    expect(tokens.map((t) => t.token).join('')).toBe(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''));
  });
});
