import { describe, expect, it } from 'vitest';
import { addVersion, switchVersion, versionLabel } from '../../src/state/message-versions';
import type { StoredMessage } from '../../src/storage/conversations';

const msg = (id: string, role: 'user' | 'assistant', content: string): StoredMessage => ({ id, role, content, status: 'done' });
const texts = (messages: StoredMessage[]) => messages.map((m) => m.content);

describe('message versions', () => {
  it('a regenerated reply keeps the old one; switching shows each with its own outcome', () => {
    let messages = [msg('q', 'user', 'Q'), { ...msg('a', 'assistant', 'first answer'), stats: { timeToFirstTokenMs: 5, tokensPerSecond: 9, promptTokens: 3, completionTokens: 2 } }];
    messages = addVersion(messages, 'a', { content: '', status: 'streaming' });
    expect(texts(messages)).toEqual(['Q', '']);
    expect(versionLabel(messages[1]!)).toEqual({ shown: 2, total: 2 });
    // The runner writes the new reply into the message's own fields.
    messages = messages.map((m) => (m.id === 'a' ? { ...m, content: 'second answer', status: 'stopped' as const, stats: undefined } : m));
    messages = switchVersion(messages, 'a', -1);
    expect(texts(messages)).toEqual(['Q', 'first answer']);
    expect(messages[1]!.stats?.completionTokens).toBe(2);
    expect(versionLabel(messages[1]!)).toEqual({ shown: 1, total: 2 });
    expect(switchVersion(messages, 'a', -1)).toBe(messages); // nothing before the first
    messages = switchVersion(messages, 'a', 1);
    expect(texts(messages)).toEqual(['Q', 'second answer']);
    expect(messages[1]!.status).toBe('stopped');
  });

  it('an edited question starts its own continuation; the old question comes back with everything that followed it', () => {
    let messages = [msg('q1', 'user', 'one'), msg('a1', 'assistant', 'A1'), msg('q2', 'user', 'two'), msg('a2', 'assistant', 'A2'), msg('q3', 'user', 'three'), msg('a3', 'assistant', 'A3')];
    messages = addVersion(messages, 'q2', { content: 'two, edited', tail: [msg('r', 'assistant', 'R')] });
    expect(texts(messages)).toEqual(['one', 'A1', 'two, edited', 'R']);
    expect(versionLabel(messages[2]!)).toEqual({ shown: 2, total: 2 });
    // The new branch goes on, and its reply gets versions of its own.
    messages = [...messages, msg('q4', 'user', 'four'), msg('a4', 'assistant', 'A4')];
    messages = addVersion(messages, 'a4', { content: 'A4 again' });
    messages = switchVersion(messages, 'q2', -1);
    expect(texts(messages)).toEqual(['one', 'A1', 'two', 'A2', 'three', 'A3']);
    messages = switchVersion(messages, 'q2', 1);
    expect(texts(messages)).toEqual(['one', 'A1', 'two, edited', 'R', 'four', 'A4 again']);
    expect(versionLabel(messages.at(-1)!)).toEqual({ shown: 2, total: 2 });
  });

  it('ignores unknown ids and messages without versions', () => {
    const messages = [msg('q', 'user', 'Q')];
    expect(switchVersion(messages, 'q', 1)).toBe(messages);
    expect(addVersion(messages, 'nope', { content: 'x' })).toBe(messages);
    expect(versionLabel(messages[0]!)).toBeNull();
  });
});
