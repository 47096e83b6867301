import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
interface Props {
  text: string;
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
export function Composer({ text, canSend, generating, placeholder, onInput, onSend, onStop }: Props) {
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
  const send = () => {
    if (!canSend || generating || text.trim() === '') return;
    sentAt.current = performance.now();
    onSend(text);
  };
  const clickStop = (e: MouseEvent) => {
    if (e.detail >= 2 && performance.now() - sentAt.current < STOP_GRACE_MS) return;
    onStop();
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
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
        <button type="submit" disabled={!canSend || text.trim() === ''}>
          Send
        </button>
      )}
    </form>
  );
}
