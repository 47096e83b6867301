import { useState } from 'preact/hooks';
import type { Conversation } from '../storage/conversations';

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
      <ul>
        {conversations.map((c) => (
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
                <input id={`rename-${c.id}`} value={renaming.title} onInput={(e) => setRenaming({ id: c.id, title: (e.target as HTMLInputElement).value })} />
                <button type="submit">Save</button>
              </form>
            ) : (
              <>
                <button type="button" class="conversation-title" aria-current={c.id === currentId ? 'true' : undefined} disabled={busy && c.id !== currentId} onClick={() => onSelect(c.id)}>
                  {c.title}
                </button>
                <button type="button" class="icon" aria-label={`Rename ${c.title}`} onClick={() => setRenaming({ id: c.id, title: c.title })}>
                  ✎
                </button>
                <button
                  type="button"
                  class="icon"
                  aria-label={`Delete ${c.title}`}
                  disabled={busy && c.id === currentId}
                  onClick={() => {
                    if (confirm(`Delete “${c.title}”? This cannot be undone.`)) onDelete(c.id);
                  }}
                >
                  ✕
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {conversations.length === 0 && <p class="hint">No conversation matches.</p>}
    </nav>
  );
}
