import { useEffect, useRef } from 'preact/hooks';
import type { LiveReply } from '../state/live-reply';
import type { StoredMessage } from '../storage/conversations';
import { MessageView, type MessageActions } from './MessageView';

interface Props extends MessageActions {
  messages: StoredMessage[];
  live: LiveReply | null;
  busy: boolean;
  canGenerate: boolean;
  highlight: boolean;
}

function nearBottom(): boolean {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 120;
}

/** The conversation. Copy buttons in code blocks work by delegation (no inline handlers: strict CSP). */
export function MessageList({ messages, live, busy, canGenerate, highlight, ...actions }: Props) {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    window.scrollTo({ top: document.documentElement.scrollHeight });
  }, [messages.length]);
  useEffect(() => {
    if (!live) return;
    // Follow the reply while the reader is at the bottom; at most once per frame.
    let frame = 0;
    const unsubscribe = live.subscribe(() => {
      if (frame || !nearBottom()) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        window.scrollTo({ top: document.documentElement.scrollHeight });
      });
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [live]);

  if (messages.length === 0) {
    return <p class="empty">Your conversation stays in this browser. Load a model, then ask anything.</p>;
  }
  return (
    <div
      class="message-list"
      ref={list}
      onClick={(e) => {
        const button = (e.target as HTMLElement).closest('button.copy-code');
        if (!button) return;
        const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
        actions.onCopy(code);
        button.textContent = 'Copied';
        setTimeout(() => (button.textContent = 'Copy'), 1500);
      }}
    >
      {messages.map((m, i) => (
        <MessageView
          key={m.id}
          message={m}
          live={live?.messageId === m.id ? live : null}
          isLast={i === messages.length - 1}
          busy={busy}
          canGenerate={canGenerate}
          highlight={highlight}
          {...actions}
        />
      ))}
    </div>
  );
}
