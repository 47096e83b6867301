import { describe, expect, it } from 'vitest';
import type { FunctionTool } from '../../protocol/contract';
import { toEngineMessages } from '../../worker/chat/mistral-prompt';
import { mightBeToolCall, parseToolCalls, toolCallSchema, type ToolSetup } from '../../worker/chat/tool-calls';
import { validateMessages } from '../../worker/chat/validate-messages';

const tools: FunctionTool[] = [
  { type: 'function', function: { name: 'a', parameters: { type: 'object', properties: { x: { type: 'number' } } } } },
  { type: 'function', function: { name: 'b' } },
];
const auto: ToolSetup = { tools, choice: 'auto', parallel: true };

describe('Mistral tool-call format', () => {
  it('parses [TOOL_CALLS] output and bare JSON arrays, with fresh 9-character ids', () => {
    const calls = parseToolCalls('[TOOL_CALLS] [{"name": "a", "arguments": {"x": 1}}, {"name": "b", "arguments": {}}]', auto)!;
    expect(calls.map((c) => [c.function.name, c.function.arguments])).toEqual([
      ['a', '{"x":1}'],
      ['b', '{}'],
    ]);
    expect(calls.every((c) => /^[A-Za-z0-9]{9}$/.test(c.id) && c.type === 'function')).toBe(true);
    expect(parseToolCalls('[{"name": "b", "arguments": {}}]', auto)).toHaveLength(1);
  });

  it('text, unknown functions and broken JSON are not tool calls', () => {
    expect(parseToolCalls('Paris is sunny.', auto)).toBeNull();
    expect(parseToolCalls('[{"name": "zzz", "arguments": {}}]', auto)).toBeNull();
    expect(parseToolCalls('[TOOL_CALLS] [{"name": "a", "argu', auto)).toBeNull();
  });

  it('parallel_tool_calls false keeps the first call', () => {
    expect(parseToolCalls('[{"name":"a","arguments":{}},{"name":"b","arguments":{}}]', { ...auto, parallel: false })).toHaveLength(1);
  });

  it('decides early when output cannot be a tool call, so text streams without delay', () => {
    expect(mightBeToolCall('')).toBe(true);
    expect(mightBeToolCall('[TOOL_')).toBe(true);
    expect(mightBeToolCall(' [{"na')).toBe(true);
    expect(mightBeToolCall('The')).toBe(false);
    expect(mightBeToolCall('[1, 2]')).toBe(false);
  });

  it('builds constraint schemas for required and named choices, none for auto', () => {
    expect(toolCallSchema(auto)).toBeNull();
    const required = toolCallSchema({ ...auto, choice: 'required' })!;
    expect(required).toMatchObject({ type: 'array', minItems: 1 });
    expect((required.items as { anyOf: unknown[] }).anyOf).toHaveLength(2);
    const named = toolCallSchema({ ...auto, choice: { type: 'function', function: { name: 'b' } } })!;
    expect(named).toMatchObject({ maxItems: 1, items: { properties: { name: { const: 'b' }, arguments: { type: 'object' } } } });
  });

  it('renders history in Mistral tokens: tools on the last user turn, calls and results inline, the system prompt in the last user message', () => {
    const messages = toEngineMessages(
      validateMessages([
        { role: 'system', content: 's' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'abcdefghi', type: 'function', function: { name: 'a', arguments: '{"x":2}' } }] },
        { role: 'tool', tool_call_id: 'abcdefghi', content: '4' },
        { role: 'tool', tool_call_id: 'zzzzzzzzz', content: '5' },
      ]),
      auto,
    );
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    // WebLLM's own default system prompt is replaced by an empty one; ours sits where Mistral's template puts it.
    expect(messages[0]!.content).toBe('');
    expect(messages[2]!.content).toBe('[TOOL_CALLS] [{"name":"a","arguments":{"x":2},"id":"abcdefghi"}]');
    expect(messages[3]!.content).toMatch(/^\[AVAILABLE_TOOLS\] \[.*\]\[\/AVAILABLE_TOOLS\]\[TOOL_RESULTS\] \{"content":"4","call_id":"abcdefghi"\}\[\/TOOL_RESULTS\]\n\[TOOL_RESULTS\]/);
    expect(messages[1]!.content).toBe('s\n\nfirst');
  });
});
