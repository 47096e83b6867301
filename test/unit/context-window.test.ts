import { describe, expect, it } from 'vitest';
import { estimateTokens, fitToContext, promptBudget } from '../../src/state/context-window';
import type { ChatMessage } from '../../protocol/contract';

const msg = (role: 'user' | 'assistant', chars: number, tag = ''): ChatMessage => ({ role, content: `${tag}${'x'.repeat(chars - tag.length)}` }) as ChatMessage;

describe('fitting a conversation into the context window', () => {
  it('keeps everything that fits', () => {
    const messages = [msg('user', 30), msg('assistant', 30), msg('user', 30)];
    expect(fitToContext(messages, 1000)).toMatchObject({ messages, dropped: 0 });
  });

  it('drops the oldest turns, keeps the system prompt and the last message, never starts with a reply', () => {
    const system: ChatMessage = { role: 'system', content: 'be brief' };
    const messages = [system, msg('user', 3000, 'u1'), msg('assistant', 3000, 'a1'), msg('user', 3000, 'u2'), msg('assistant', 3000, 'a2'), msg('user', 300, 'u3')];
    const fitted = fitToContext(messages, 2200);
    expect(fitted.messages[0]).toBe(system);
    expect(String(fitted.messages.at(-1)!.content).startsWith('u3')).toBe(true);
    expect(fitted.messages[1]!.role).toBe('user');
    expect(fitted.dropped).toBe(2);
    expect(fitted.estimatedTokens).toBeLessThanOrEqual(2200);
  });

  it('a last message too long on its own is sent as is (the engine then answers with a clear error)', () => {
    const fitted = fitToContext([msg('user', 100), msg('assistant', 100), msg('user', 90_000)], 1000);
    expect(fitted.messages).toHaveLength(1);
    expect(fitted.dropped).toBe(2);
  });

  it('estimates conservatively and leaves room for the reply', () => {
    expect(estimateTokens([{ role: 'user', content: 'x'.repeat(300) }])).toBe(106);
    expect(promptBudget(4096, 1024)).toBe(3072);
    expect(promptBudget(4096, 100_000)).toBe(2048);
  });
});
