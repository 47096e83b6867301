import { memo } from 'preact/compat';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { LiveReply } from '../state/live-reply';
import { versionLabel } from '../state/message-versions';
import type { StoredMessage } from '../storage/conversations';
import { linkCitations, openCitation } from '../render/citations';
import { SentChips, SourceList } from './Attachments';
import { Markdown } from './Markdown';
import { returnFocus } from './focus';

const STATUS_NOTE: Partial<Record<StoredMessage['status'], string>> = {
  stopped: 'Stopped',
  interrupted: 'Interrupted before the reply finished',
  error: 'Failed',
};

export interface MessageActions {
  onCopy(text: string): void;
  onEdit(id: string, text: string): void;
  onRegenerate(id: string): void;
  onContinue(id: string): void;
  onDelete(id: string): void;
  /** Shows the previous (-1) or next (+1) version of a reply or question. */
  onVersion(id: string, delta: number): void;
}

interface Props {
  message: StoredMessage;
  live: LiveReply | null;
  isLast: boolean;
  busy: boolean;
  /** Its turn's reply is being written (here or in another tab): it cannot be deleted yet. */
  writing: boolean;
  canGenerate: boolean;
  /** The same object on every render, so an unchanged message does not render again. */
  actions: MessageActions;
}

/** One message with its actions. Replies are rendered as sanitized markdown; what the user typed, as text. */
export const MessageView = memo(function MessageView({ message, live, isLast, busy, writing, canGenerate, actions }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const editBox = useRef<HTMLTextAreaElement>(null);
  const isEditing = editing !== null;
  // The edit box takes the focus when it opens; the Edit button gets it back when it closes (unless it is elsewhere by then).
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (isEditing) editBox.current?.focus();
    else if (wasEditing.current) returnFocus(editButton.current);
    wasEditing.current = isEditing;
  }, [isEditing]);
  const streaming = live !== null;
  // A reply answered from documents: its [n] link to the sources listed under it.
  const sources = !streaming && Array.isArray(message.sources) ? message.sources : [];
  const cited = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (cited.current && sources.length > 0) linkCitations(cited.current, message.id, sources.length);
  }, [message.content, sources.length, streaming]);
  const note = streaming ? null : STATUS_NOTE[message.status];
  const mine = message.role === 'user';
  const versions = versionLabel(message);
  const who = mine ? 'You' : 'Mistral';
  return (
    <article id={`message-${message.id}`} class={`message message-${message.role}`} data-status={streaming ? 'streaming' : message.status} aria-label={who}>
      {editing !== null ? (
        <form
          class="edit-form"
          onSubmit={(e) => {
            e.preventDefault();
            actions.onEdit(message.id, editing);
            setEditing(null);
          }}
        >
          <label class="visually-hidden" for={`edit-${message.id}`}>
            Edit your message
          </label>
          <textarea
            id={`edit-${message.id}`}
            ref={editBox}
            value={editing}
            rows={3}
            onInput={(e) => setEditing((e.target as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                setEditing(null);
              }
            }}
          />
          <div class="actions">
            <button type="submit" disabled={!canGenerate || editing.trim() === ''}>
              Save and resend
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : message.role === 'user' ? (
        <>
          {Array.isArray(message.attachments) && message.attachments.length > 0 && <SentChips items={message.attachments} />}
          <div class="message-content">{message.content}</div>
        </>
      ) : (
        // One element from the first token to the finished render (it keeps the streamed DOM's layout).
        <div ref={cited} onClick={sources.length > 0 ? openCitation : undefined}>
          <Markdown text={message.content} live={live} />
        </div>
      )}
      {!streaming && sources.length > 0 && <SourceList messageId={message.id} sources={sources} />}
      {note && (
        <p class="message-note">
          {note}
          {message.error ? `: ${message.error}` : ''}
        </p>
      )}
      {message.droppedTurns ? <p class="message-note">{message.droppedTurns} earlier messages were left out to fit the model’s context window.</p> : null}
      {message.stats && !streaming && (
        <p class="message-stats">
          {message.stats.completionTokens} tokens
          {message.stats.timeToFirstTokenMs !== null ? ` · first token ${Math.round(message.stats.timeToFirstTokenMs)} ms` : ''}
          {message.stats.tokensPerSecond !== null ? ` · ${message.stats.tokensPerSecond.toFixed(1)} tokens/s` : ''}
          {` · prompt ${message.stats.promptTokens} tokens`}
        </p>
      )}
      {!streaming && editing === null && (
        <div class="message-actions">
          {versions && (
            <span class="versions" role="group" aria-label={`${mine ? 'Question' : 'Reply'} version ${versions.shown} of ${versions.total}`}>
              <button type="button" class="icon" aria-label="Previous version" disabled={busy || versions.shown === 1} onClick={() => actions.onVersion(message.id, -1)}>
                ‹
              </button>
              <span aria-hidden="true">
                {versions.shown} / {versions.total}
              </span>
              <button type="button" class="icon" aria-label="Next version" disabled={busy || versions.shown === versions.total} onClick={() => actions.onVersion(message.id, 1)}>
                ›
              </button>
            </span>
          )}
          <button
            type="button"
            onClick={() => {
              actions.onCopy(message.content);
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            }}
            aria-label={copied ? 'Copied' : mine ? 'Copy your message' : 'Copy reply'}
          >
            {copied ? 'Copied ✓' : 'Copy'}
          </button>
          {mine && (
            <button type="button" ref={editButton} disabled={busy} onClick={() => setEditing(message.content)}>
              Edit
            </button>
          )}
          {message.role === 'assistant' && isLast && (
            <button type="button" disabled={busy || !canGenerate} onClick={() => actions.onRegenerate(message.id)}>
              Regenerate
            </button>
          )}
          {message.role === 'assistant' && isLast && (message.status === 'interrupted' || message.status === 'stopped') && message.content !== '' && (
            <button type="button" disabled={busy || !canGenerate} onClick={() => actions.onContinue(message.id)}>
              Continue
            </button>
          )}
          <button type="button" disabled={busy || writing} onClick={() => actions.onDelete(message.id)} aria-label={mine ? 'Delete your message and its reply' : 'Delete reply and its question'}>
            Delete
          </button>
        </div>
      )}
    </article>
  );
});
