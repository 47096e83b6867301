import { useEffect, useRef, useState } from 'preact/hooks';
import { groupByDate } from '../state/conversation-groups';
import type { Conversation } from '../storage/conversations';
import { returnFocus } from './focus';

interface Props {
  conversations: Conversation[];
  currentId: string;
  query: string;
  busy: boolean;
  onQuery(query: string): void;
  onSelect(id: string): void;
  onNew(): void;
  onRename(id: string, title: string): void;
  onDelete(id: string): void;
  onImport(file: File): void;
}

/** The conversations: search, switch, rename, delete, start one, import one. */
export function ConversationList({ conversations, currentId, query, busy, onQuery, onSelect, onNew, onRename, onDelete, onImport }: Props) {
  const [renaming, setRenaming] = useState<{ id: string; title: string } | null>(null);
  const renameBox = useRef<HTMLInputElement>(null);
  const renamingId = renaming?.id ?? null;
  const lastRenamed = useRef<string | null>(null);
  // The name field takes the focus with its text selected; closing gives the focus back to the chat's Rename button
  // (unless the user has put it somewhere else meanwhile).
  useEffect(() => {
    if (renamingId) {
      renameBox.current?.focus();
      renameBox.current?.select();
    } else if (lastRenamed.current) {
      returnFocus(document.querySelector<HTMLButtonElement>(`button[data-rename="${CSS.escape(lastRenamed.current)}"]`));
    }
    lastRenamed.current = renamingId;
  }, [renamingId]);
  return (
    <nav class="conversation-list" aria-label="Conversations">
      <div class="list-head">
        <button type="button" onClick={onNew} disabled={busy}>
          New chat
        </button>
        <label class="button-like">
          Import
          <input
            type="file"
            accept="application/json,.json"
            class="visually-hidden"
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              if (file) onImport(file);
              input.value = '';
            }}
          />
        </label>
      </div>
      <label for="conversation-search" class="visually-hidden">
        Search conversations
      </label>
      <input id="conversation-search" type="search" placeholder="Search conversations" value={query} onInput={(e) => onQuery((e.target as HTMLInputElement).value)} />
      {groupByDate(conversations).map(([label, group]) => (
        <section key={label} class="conversation-group" aria-label={label}>
          <h3 class="group-label">{label}</h3>
          <ul>
        {group.map((c) => (
          <li key={c.id} class={c.id === currentId ? 'current' : ''}>
            {renaming?.id === c.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  onRename(c.id, renaming.title);
                  setRenaming(null);
                }}
              >
                <label class="visually-hidden" for={`rename-${c.id}`}>
                  New name
                </label>
                <input
                  id={`rename-${c.id}`}
                  ref={renameBox}
                  value={renaming.title}
                  onInput={(e) => setRenaming({ id: c.id, title: (e.target as HTMLInputElement).value })}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') {
                      e.preventDefault();
                      setRenaming(null);
                    }
                  }}
                />
                <button type="submit">Save</button>
                <button type="button" onClick={() => setRenaming(null)}>
                  Cancel
                </button>
              </form>
            ) : (
              <>
                <button type="button" class="conversation-title" aria-current={c.id === currentId ? 'true' : undefined} disabled={busy && c.id !== currentId} onClick={() => onSelect(c.id)}>
                  {c.title}
                </button>
                <button type="button" class="icon" data-rename={c.id} aria-label={`Rename ${c.title}`} onClick={() => setRenaming({ id: c.id, title: c.title })}>
                  ✎
                </button>
                <button
                  type="button"
                  class="icon"
                  aria-label={`Delete ${c.title}`}
                  disabled={busy && c.id === currentId}
                  onClick={() => onDelete(c.id)}
                >
                  ✕
                </button>
              </>
            )}
          </li>
        ))}
          </ul>
        </section>
      ))}
      {conversations.length === 0 && <p class="hint">No conversation matches.</p>}
    </nav>
  );
}
