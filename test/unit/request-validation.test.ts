import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../worker/chat/request-validation';

const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

describe('validateRequest', () => {
  it.each([
    [{ temperature: -1 }, 'temperature'],
    [{ temperature: 'hot' }, 'temperature'],
    [{ top_p: 0 }, 'top_p'],
    [{ top_p: 1.5 }, 'top_p'],
    [{ max_tokens: 0 }, 'max_tokens'],
    [{ max_completion_tokens: 1.5 }, 'max_completion_tokens'],
    [{ max_tokens: 10, max_completion_tokens: 20 }, 'max_tokens'],
    [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    [{ stop: 3 }, 'stop'],
    [{ seed: 1.5 }, 'seed'],
    [{ n: 0 }, 'n'],
    [{ stream: 'yes' }, 'stream'],
    [{ stream_options: { include_usage: true } }, 'stream_options'],
    [{ frequency_penalty: 3 }, 'frequency_penalty'],
    [{ presence_penalty: -3 }, 'presence_penalty'],
    [{ logit_bias: { abc: 1 } }, 'logit_bias'],
    [{ logit_bias: { 12: 500 } }, 'logit_bias'],
    [{ top_logprobs: 2 }, 'top_logprobs'],
    [{ response_format: { type: 'xml' } }, 'response_format.type'],
    [{ response_format: { type: 'json_schema' } }, 'response_format.json_schema'],
    [{ structured_outputs: true }, 'structured_outputs'],
    [{ min_p: 1.5 }, 'min_p'],
    [{ top_k: -1 }, 'top_k'],
    [{ top_k: 2.5 }, 'top_k'],
    [{ tools: [] }, 'tools'],
    [{ tools: [{ type: 'function', function: { name: 'has space' } }] }, 'tools[0].function.name'],
    [{ tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] }, 'tools[0].function.parameters'],
    [{ tool_choice: 'required' }, 'tool_choice'],
    [{ tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'g' } } }, 'tool_choice'],
    [{ tools: [{ type: 'function', function: { name: 'f' } }], response_format: { type: 'json_object' } }, 'response_format'],
    [{ messages: [{ role: 'user', content: 'a' }, { role: 'tool', content: 'b' }] }, 'messages[1].tool_call_id'],
    [{ messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'x', type: 'function', function: { name: 'f' } }] }, { role: 'user', content: 'b' }] }, 'messages[0].tool_calls[0].function'],
    [{ model: '' }, 'model'],
    [{ messages: [] }, 'messages'],
    [{ messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
    [{ messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    [{ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }, 'messages[1].role'],
  ])('%j is refused naming %s', (patch, param) => {
    expect(() => validateRequest({ ...base, ...patch })).toThrow(expect.objectContaining({ name: 'ApiError', status: 400, param }));
  });

  it('maps max_completion_tokens and json_schema onto what WebLLM understands', () => {
    const v = validateRequest({
      ...base,
      max_completion_tokens: 42,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'string' } } } } },
    });
    expect(v.engineRequest.max_tokens).toBe(42);
    expect(v.engineRequest.response_format).toEqual({ type: 'json_object', schema: '{"type":"object","properties":{"a":{"type":"string"}}}' });
  });

  it('always asks the engine for usage on streams, but reports include_usage as the caller set it', () => {
    const v = validateRequest({ ...base, stream: true });
    expect(v.engineRequest.stream_options).toEqual({ include_usage: true });
    expect(v.includeUsage).toBe(false);
  });

  it('keeps prototype-pollution keys out of logit_bias', () => {
    expect(() => validateRequest({ ...base, logit_bias: JSON.parse('{"__proto__": {"x": 1}}') })).toThrow(expect.objectContaining({ param: 'logit_bias' }));
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses a body that is not an object', () => {
    expect(() => validateRequest('hello')).toThrow(expect.objectContaining({ status: 400, param: 'body' }));
  });
});
