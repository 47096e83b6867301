import type { AttachmentRef, Source } from '../storage/conversations';
import type { PendingAttachment } from '../state/app-state';
import { formatBytes } from '../../protocol/units';

function size(a: { size: number; pages?: number | null }): string {
  return a.pages ? `${a.pages} pages` : formatBytes(a.size);
}

/** The files on the message being written: name, size or pages, and whether each is ready. */
export function PendingChips({ items, onRemove }: { items: PendingAttachment[]; onRemove(key: string): void }) {
  if (items.length === 0) return null;
  return (
    <ul class="chips" aria-label="Attached files">
      {items.map((a) => (
        <li key={a.key} class={`chip chip-${a.state}`} data-state={a.state}>
          <span class="chip-name">{a.name}</span>
          <span class="chip-meta">
            {a.state === 'reading'
              ? `${a.step === 'embedding' ? 'embedding' : 'reading'}${a.progress > 0 ? ` ${Math.round(a.progress * 100)}%` : '…'}`
              : a.state === 'indexed'
                ? size({ size: a.size, pages: a.ref?.pages ?? null })
                : 'not attached'}
          </span>
          {a.warning && <span class="chip-error">{a.warning}</span>}
          {a.error && (
            <span class="chip-error" role="alert">
              {a.error}
            </span>
          )}
          <button type="button" class="icon" aria-label={`Remove ${a.name}`} onClick={() => onRemove(a.key)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The files a question was sent with. */
export function SentChips({ items }: { items: AttachmentRef[] }) {
  return (
    <ul class="chips" aria-label="Attached files">
      {items.map((a) => (
        <li key={a.id} class="chip">
          <span class="chip-name">{a.name}</span>
          <span class="chip-meta">{size(a)}</span>
        </li>
      ))}
    </ul>
  );
}

/** What a reply was given to answer from: each [n] opens to its passage. */
export function SourceList({ messageId, sources }: { messageId: string; sources: Source[] }) {
  return (
    <section class="sources" aria-label="Sources">
      <h3 class="sources-title">Sources</h3>
      {sources.map((s) => (
        <details key={s.n} id={`source-${messageId}-${s.n}`} class="source">
          <summary>
            [{s.n}] {s.name}
            {s.page ? `, page ${s.page}` : ''}
          </summary>
          <p class="source-text">{s.text}</p>
        </details>
      ))}
    </section>
  );
}
