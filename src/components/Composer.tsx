import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

interface Props {
  text: string;
  /** Files to attach (picked, dropped or pasted); with `attachments` shown above the box. */
  onFiles?(files: File[]): void;
  attachments?: ComponentChildren;
  /** A file is still being read: Send waits. */
  attaching?: boolean;
  canSend: boolean;
  generating: boolean;
  placeholder: string;
  onInput(text: string): void;
  onSend(text: string): void;
  onStop(): void;
}

/**
 * A click on Stop this soon after Send that continues a multi-click (`detail`
 * ≥ 2: the pointer did not move, the clicks came in the double-click time) is
 * the second click of a double-click on Send, landing where Send was: not a
 * request to stop. A single deliberate click on Stop always stops.
 */
const STOP_GRACE_MS = 500;

/** CSS sizes the box to its text where the browser has field-sizing; elsewhere the effect below does. */
const FIELD_SIZING = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

/** The input: Enter sends, Shift+Enter adds a line, Escape stops a reply. Its text is a draft that survives reloads. */
export function Composer({ text, canSend, generating, placeholder, onInput, onSend, onStop, onFiles, attachments, attaching = false }: Props) {
  const sentAt = useRef(0);
  const box = useRef<HTMLTextAreaElement>(null);
  // A model just became ready: the user's next step is typing, so the box takes the focus
  // (unless they are busy in another field).
  const couldSend = useRef(canSend);
  useEffect(() => {
    const active = document.activeElement;
    if (canSend && !couldSend.current && (!active || active === document.body || active.closest('.model-panel'))) box.current?.focus();
    couldSend.current = canSend;
  }, [canSend]);
  // The box grows with its text up to half the screen (CSS field-sizing where the browser has it).
  useLayoutEffect(() => {
    if (FIELD_SIZING) return;
    const el = box.current!;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 2, window.innerHeight / 2)}px`;
  }, [text]);
  const picker = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const send = () => {
    if (!canSend || generating || attaching || text.trim() === '') return;
    sentAt.current = performance.now();
    onSend(text);
  };
  const clickStop = (e: MouseEvent) => {
    if (e.detail >= 2 && performance.now() - sentAt.current < STOP_GRACE_MS) return;
    onStop();
  };
  return (
    <form
      class={`composer${dragging ? ' dragging' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      onDragOver={(e) => {
        if (!onFiles || !e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        setDragging(false);
        const files = [...(e.dataTransfer?.files ?? [])];
        if (!onFiles || files.length === 0) return;
        e.preventDefault();
        onFiles(files);
      }}
    >
      {attachments}
      {onFiles && (
        <>
          <input
            ref={picker}
            type="file"
            multiple
            class="visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            id="attach-input"
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const files = [...(input.files ?? [])];
              input.value = '';
              if (files.length > 0) onFiles(files);
            }}
          />
          <button type="button" class="attach" aria-label="Attach files" title="Attach files (text, Markdown, code, CSV, HTML, PDF, Word)" onClick={() => picker.current?.click()}>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
              <path d="M21.4 11.1l-8.5 8.5a5.5 5.5 0 0 1-7.8-7.8l8.5-8.5a3.7 3.7 0 0 1 5.2 5.2l-8.5 8.5a1.8 1.8 0 0 1-2.6-2.6l7.8-7.8" />
            </svg>
          </button>
        </>
      )}
      <label for="prompt" class="visually-hidden">
        Message
      </label>
      <textarea
        id="prompt"
        ref={box}
        rows={1}
        value={text}
        placeholder={placeholder}
        onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)}
        onPaste={(e) => {
          const files = [...(e.clipboardData?.files ?? [])];
          if (!onFiles || files.length === 0) return;
          e.preventDefault();
          onFiles(files);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          } else if (e.key === 'Escape' && generating) {
            e.preventDefault();
            onStop();
          }
        }}
      />
      {generating ? (
        <button type="button" class="stop" onClick={clickStop}>
          Stop
        </button>
      ) : (
        <button type="submit" disabled={!canSend || attaching || text.trim() === ''} title={attaching ? 'Waiting for the attached files to be read' : undefined}>
          Send
        </button>
      )}
    </form>
  );
}
