// Every parameter of the dialect is honoured (its effect shown here) or
// refused; none is silently ignored. The scripted engine samples from a seeded
// distribution with the request's settings and the logit processor put on the model,
// so effects are observable end to end through the openai client.
import type OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/api-harness';
import { createOpenAI } from '../support/openai-harness';
import { VOCAB } from '../support/scripted-engine';

const MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';
let openai: OpenAI;
let harness: Harness;
beforeEach(async () => {
  ({ openai, harness } = createOpenAI());
  await harness.client.models.load(MODEL);
});
afterEach(() => harness.close());

type Params = Omit<OpenAI.ChatCompletionCreateParamsNonStreaming, 'model' | 'messages'> & Record<string, unknown>;
const PROMPT = 'sample [tokens=40]';

async function complete(params: Params = {}, prompt = PROMPT) {
  return openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: prompt }], ...params } as OpenAI.ChatCompletionCreateParamsNonStreaming);
}
/** The sampled words after the echoed prompt. */
async function words(params: Params = {}, prompt = PROMPT): Promise<string[]> {
  const text = (await complete(params, prompt)).choices[0]!.message.content!;
  return text.split(' ').slice(prompt.split(' ').length + 1);
}
const lastEngineRequest = () => harness.engine.requests.at(-1)!;

describe('sampling parameters', () => {
  it('seed: the same seed and prompt give the same output; another seed another', async () => {
    const a = await words({ seed: 7 });
    expect(await words({ seed: 7 })).toEqual(a);
    expect(await words({ seed: 8 })).not.toEqual(a);
    expect(lastEngineRequest().seed).toBe(8);
  });

  it('temperature: 0 is greedy (seed-independent); higher temperature samples', async () => {
    const greedy = await words({ temperature: 0, seed: 1 });
    expect(await words({ temperature: 0, seed: 2 })).toEqual(greedy);
    expect(await words({ temperature: 1.5, seed: 2 })).not.toEqual(greedy);
  });

  it('top_p: a tiny nucleus is greedy', async () => {
    const greedy = await words({ temperature: 0 });
    expect(await words({ top_p: 0.0001, seed: 3 })).toEqual(greedy);
    expect(lastEngineRequest().top_p).toBe(0.0001);
  });

  it('top_k (ours, via the logit processor): 1 is greedy, and it is not sent to WebLLM', async () => {
    const greedy = await words({ temperature: 0 });
    expect(await words({ top_k: 1, seed: 4 })).toEqual(greedy);
    expect(await words({ seed: 4 })).not.toEqual(greedy);
    expect(lastEngineRequest()).not.toHaveProperty('top_k');
  });

  it('only a request with top_k or min_p runs the logit processor (no per-token CPU round trip otherwise)', async () => {
    await words({ seed: 1 });
    expect(harness.engine.logitProcessorCalls).toBe(0);
    await words({ top_k: 2, seed: 1 });
    const calls = harness.engine.logitProcessorCalls;
    expect(calls).toBeGreaterThan(0);
    await words({ seed: 2, temperature: 0.9 });
    expect(harness.engine.logitProcessorCalls).toBe(calls);
    await words({ min_p: 0.5, seed: 3 });
    expect(harness.engine.logitProcessorCalls).toBeGreaterThan(calls);
    expect([...harness.engine.loadedModelIdToPipeline.values()].every((p) => p.logitProcessor === undefined)).toBe(true);
  });

  it('top_k: 3 keeps sampling among the 3 most likely words only', async () => {
    const top3 = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5]) for (const w of await words({ top_k: 3, seed }, 'one [tokens=4]')) top3.add(w);
    expect(top3.size).toBeGreaterThan(1);
    expect(top3.size).toBeLessThanOrEqual(3 * 3);
    // Position by position, never more than 3 distinct words.
    const byPosition: Set<string>[] = [new Set(), new Set(), new Set()];
    for (const seed of [11, 12, 13, 14, 15, 16, 17, 18]) (await words({ top_k: 3, seed }, 'one [tokens=5]')).forEach((w, i) => byPosition[i]?.add(w));
    for (const set of byPosition) expect(set.size).toBeLessThanOrEqual(3);
  });

  it('min_p (ours): 1 keeps only the most likely token, so it is greedy', async () => {
    const greedy = await words({ temperature: 0 });
    expect(await words({ min_p: 1, seed: 9 })).toEqual(greedy);
    expect(lastEngineRequest()).not.toHaveProperty('min_p');
  });

  it('logit_bias: +100 on a token makes it the only word; -100 bans it', async () => {
    const id = VOCAB.indexOf('hills');
    expect(new Set(await words({ logit_bias: { [id]: 100 }, seed: 5 }))).toEqual(new Set(['hills']));
    expect(await words({ logit_bias: { [id]: -100 }, seed: 5 })).not.toContain('hills');
  });

  it('frequency, presence and repetition penalties reach the engine and spread the words', async () => {
    const plain = new Set(await words({ temperature: 0 }));
    const penalised = new Set(await words({ temperature: 0, frequency_penalty: 2, presence_penalty: 2 }));
    expect(penalised.size).toBeGreaterThan(plain.size);
    await words({ repetition_penalty: 1.3 });
    expect(lastEngineRequest().repetition_penalty).toBe(1.3);
  });
});

describe('length and stopping', () => {
  it('max_tokens (deprecated) and max_completion_tokens cap the completion with finish_reason length', async () => {
    for (const params of [{ max_tokens: 5 }, { max_completion_tokens: 5 }]) {
      const res = await complete(params);
      expect(res.choices[0]!.finish_reason).toBe('length');
      expect(res.usage!.completion_tokens).toBe(5);
      expect(lastEngineRequest().max_tokens).toBe(5);
    }
  });

  it('stop: a string or up to 4 strings end the text before the match', async () => {
    const full = (await complete({ temperature: 0 }, 'alpha beta gamma delta')).choices[0]!.message.content!;
    expect(full).toMatch(/^Echo: alpha beta gamma delta/);
    expect((await complete({ temperature: 0, stop: ' gamma' }, 'alpha beta gamma delta')).choices[0]!.message.content).toBe('Echo: alpha beta');
    const res = await complete({ temperature: 0, stop: ['zzz', ' delta', 'yyy', ' beta'] }, 'alpha beta gamma delta');
    expect(res.choices[0]!.message.content).toBe('Echo: alpha');
    expect(res.choices[0]!.finish_reason).toBe('stop');
  });
});

describe('n', () => {
  it('returns n choices, different from each other, with usage summed', async () => {
    const res = await complete({ n: 3, seed: 1 });
    expect(res.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(res.choices.map((c) => c.message.content)).size).toBe(3);
    const single = await complete({ seed: 1 });
    expect(res.choices[0]!.message.content).toBe(single.choices[0]!.message.content);
    expect(res.usage!.completion_tokens).toBe(3 * single.usage!.completion_tokens);
  });

  it('works with stream (WebLLM alone refuses): chunks carry each choice index', async () => {
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'two [tokens=6]' }], n: 2, stream: true });
    const text: Record<number, string> = {};
    const finishes: Record<number, string> = {};
    for await (const chunk of stream) {
      const choice = chunk.choices[0]!;
      text[choice.index] = (text[choice.index] ?? '') + (choice.delta.content ?? '');
      if (choice.finish_reason) finishes[choice.index] = choice.finish_reason;
    }
    expect(Object.keys(text)).toEqual(['0', '1']);
    expect(finishes).toEqual({ 0: 'stop', 1: 'stop' });
  });
});

describe('logprobs', () => {
  it('logprobs with top_logprobs returns per-token log probabilities', async () => {
    const res = await complete({ logprobs: true, top_logprobs: 3, seed: 2 }, 'lp [tokens=6]');
    const content = res.choices[0]!.logprobs!.content!;
    expect(content.length).toBeGreaterThan(0);
    const sampled = content.filter((t) => t.logprob < 0);
    expect(sampled.length).toBeGreaterThan(0);
    for (const token of content) {
      expect(token.top_logprobs.length).toBeLessThanOrEqual(3);
      expect(token.bytes).toEqual(Array.from(new TextEncoder().encode(token.token)));
    }
    expect(sampled[0]!.top_logprobs).toHaveLength(3);
    expect((await complete({}, 'lp')).choices[0]!.logprobs).toBeNull();
  });
});

describe('structured output', () => {
  it('response_format json_object answers with JSON', async () => {
    const res = await complete({ response_format: { type: 'json_object' } }, 'give me json');
    expect(JSON.parse(res.choices[0]!.message.content!)).toEqual({ echo: 'give me json' });
  });

  it('structured_outputs with a json_schema format is accepted and constrained', async () => {
    const res = await complete({
      structured_outputs: true,
      response_format: { type: 'json_schema', json_schema: { name: 'flag', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } } },
    });
    expect(JSON.parse(res.choices[0]!.message.content!)).toEqual({ ok: true });
  });

  it('response_format text is the default', async () => {
    await complete({ response_format: { type: 'text' } });
    expect(lastEngineRequest()).not.toHaveProperty('response_format');
  });
});

describe('messages', () => {
  it('system, user, assistant and tool roles are all accepted', async () => {
    const res = await openai.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'abcdefghi', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'abcdefghi', content: 'result' },
      ],
    });
    expect(res.choices[0]!.message.content).toContain('[TOOL_RESULTS]');
    expect(lastEngineRequest().messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it('an unknown parameter is refused, naming it', async () => {
    await expect(complete({ frobnicate: true })).rejects.toMatchObject({ status: 400, param: 'frobnicate', code: 'unknown_parameter' });
  });
});
