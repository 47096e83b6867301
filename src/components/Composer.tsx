import { useState } from 'preact/hooks';

interface Props {
  canSend: boolean;
  generating: boolean;
  placeholder: string;
  onSend(text: string): void;
  onStop(): void;
}

/** The input: Enter sends, Shift+Enter adds a line, Stop ends a reply. */
export function Composer({ canSend, generating, placeholder, onSend, onStop }: Props) {
  const [text, setText] = useState('');
  const send = () => {
    if (!canSend || generating || text.trim() === '') return;
    onSend(text);
    setText('');
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
        rows={2}
        value={text}
        placeholder={placeholder}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          } else if (e.key === 'Escape' && generating) {
            onStop();
          }
        }}
      />
      {generating ? (
        <button type="button" class="stop" onClick={onStop}>
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
