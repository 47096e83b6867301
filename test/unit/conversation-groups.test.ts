import { describe, expect, it } from 'vitest';
import { groupByDate } from '../../src/state/conversation-groups';
import { cleanTitle } from '../../src/state/title-prompt';

describe('groupByDate', () => {
  it('puts chats under Today, Yesterday, Previous 7 days, Previous 30 days, then months, newest first', () => {
    const now = new Date(2026, 11, 1, 15, 0).getTime();
    const at = (y: number, m: number, d: number, h = 12) => ({ id: `${y}-${m}-${d}-${h}`, updatedAt: new Date(y, m, d, h).getTime() });
    const chats = [at(2026, 11, 1, 9), at(2026, 11, 1, 0), at(2026, 10, 30, 23), at(2026, 10, 26), at(2026, 10, 10), at(2026, 8, 3), at(2026, 8, 1)];
    const groups = groupByDate(chats, now).map(([label, list]) => [label, list.map((c) => c.id)]);
    const september = new Date(2026, 8, 3).toLocaleDateString(undefined, { year: 'numeric', month: 'long' });
    expect(groups).toEqual([
      ['Today', ['2026-11-1-9', '2026-11-1-0']],
      ['Yesterday', ['2026-10-30-23']],
      ['Previous 7 days', ['2026-10-26-12']],
      ['Previous 30 days', ['2026-10-10-12']],
      [september, ['2026-8-3-12', '2026-8-1-12']],
    ]);
  });
});

describe('cleanTitle', () => {
  it('keeps the first line of what the model wrote, without "Title:", quotes, markdown or a final period', () => {
    expect(cleanTitle('Title: "Weekend in Paris".\nMore text')).toBe('Weekend in Paris');
    expect(cleanTitle('\n\n**Recette du pain au levain**')).toBe('Recette du pain au levain');
    expect(cleanTitle('   ')).toBe('');
    expect(cleanTitle('word '.repeat(30)).length).toBeLessThanOrEqual(60);
    expect(cleanTitle('word '.repeat(30)).endsWith('…')).toBe(true);
  });
});
