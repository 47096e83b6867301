// The sidebar's sections: conversations by how long ago they were last used.
import type { Conversation } from '../storage/conversations';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Newest first, under "Today", "Yesterday", "Previous 7 days", "Previous 30 days", then by month. */
export function groupByDate<T extends Pick<Conversation, 'updatedAt'>>(conversations: T[], now = Date.now()): [string, T[]][] {
  const midnight = new Date(now).setHours(0, 0, 0, 0);
  const groups = new Map<string, T[]>();
  for (const c of conversations) {
    const t = c.updatedAt;
    const label =
      t >= midnight
        ? 'Today'
        : t >= midnight - DAY_MS
          ? 'Yesterday'
          : t >= midnight - 7 * DAY_MS
            ? 'Previous 7 days'
            : t >= midnight - 30 * DAY_MS
              ? 'Previous 30 days'
              : new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'long' });
    const group = groups.get(label);
    if (group) group.push(c);
    else groups.set(label, [c]);
  }
  return [...groups];
}

