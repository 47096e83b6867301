import { describe, expect, it } from 'vitest';
import { fromOpenAIJson, MAX_IMPORT_BYTES, toMarkdown, toOpenAIJson } from '../../src/storage/conversation-files';
import { DEFAULT_SETTINGS, type Conversation } from '../../src/storage/conversations';

const conversation: Conversation = {
  id: 'c1',
  title: 'Cheese',
  createdAt: 1,
  updatedAt: 2,
  modelId: 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC',
  settings: { ...DEFAULT_SETTINGS, systemPrompt: 'Answer in French.' },
  messages: [
    { id: 'm1', role: 'user', content: 'Best cheese?', status: 'done' },
    { id: 'm2', role: 'assistant', content: 'Comté, **évidemment**.', status: 'done' },
  ],
};

describe('export and import', () => {
  it('exports Markdown with the system prompt and both sides', () => {
    expect(toMarkdown(conversation)).toBe('# Cheese\n\n> System: Answer in French.\n\n## You\n\nBest cheese?\n\n## Mistral\n\nComté, **évidemment**.\n');
  });

  it('round-trips through the OpenAI messages format as a new conversation', () => {
    const json = toOpenAIJson(conversation);
    expect(JSON.parse(json).messages).toEqual([
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Best cheese?' },
      { role: 'assistant', content: 'Comté, **évidemment**.' },
    ]);
    const back = fromOpenAIJson(json);
    expect(back.id).not.toBe(conversation.id);
    expect(back.title).toBe('Cheese');
    expect(back.settings.systemPrompt).toBe('Answer in French.');
    expect(back.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Best cheese?'],
      ['assistant', 'Comté, **évidemment**.'],
    ]);
  });

  it('accepts a bare messages array', () => {
    expect(fromOpenAIJson('[{"role":"user","content":"hi"}]').messages).toHaveLength(1);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['{}', /no "messages" array/],
    ['{"messages": [{"role": "user"}]}', /no text content/],
    ['{"messages": [{"role": "user", "content": "a"}, {"role": "system", "content": "b"}]}', /system message must come first/],
    ['{"messages": [{"role": "tool", "content": "a"}]}', /unsupported role/],
    [JSON.stringify({ messages: Array.from({ length: 10_001 }, () => ({ role: 'user', content: 'x' })) }), /at most 10000/],
    ['x'.repeat(MAX_IMPORT_BYTES + 1), /larger than 5 MB/],
  ])('refuses %# with a clear error', (text, message) => {
    expect(() => fromOpenAIJson(text)).toThrow(message);
  });

  it('an imported id or prototype key cannot reach anything', () => {
    const c = fromOpenAIJson('{"id": "c1", "__proto__": {"polluted": true}, "messages": [{"role": "user", "content": "x"}]}');
    expect(c.id).not.toBe('c1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
