import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { renderWhenIdle } from '../render/markdown';
import type { LiveReply } from '../state/live-reply';
import type { StoredMessage } from '../storage/conversations';
import { turnOf } from '../state/chat-actions';
import { MessageView, type MessageActions } from './MessageView';

interface Props {
  messages: StoredMessage[];
  live: LiveReply | null;
  busy: boolean;
  canGenerate: boolean;
  actions: MessageActions;
}

/**
 * A conversation opens with its latest messages only; earlier ones are added
 * a page at a time as the reader scrolls up (or presses the button), so a
 * 10,000-message chat opens as fast as a short one. Messages off screen skip
 * layout and paint (`content-visibility` in the CSS).
 */
export const MESSAGES_PER_PAGE = 40;

function nearBottom(): boolean {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 120;
}

/** The conversation (keyed by its id, so each one opens at its end). Copy buttons in code blocks work by delegation (no inline handlers: strict CSP). */
export function MessageList({ messages, live, busy, canGenerate, actions }: Props) {
  const [first, setFirst] = useState(() => Math.max(0, messages.length - MESSAGES_PER_PAGE));
  const start = Math.min(first, Math.max(0, messages.length - 1));
  const earlier = useRef<HTMLDivElement>(null);
  // The message that was first on screen before earlier ones were added, and where it was.
  const anchor = useRef<{ id: string; top: number } | null>(null);

  const showEarlier = () => {
    if (start === 0) return;
    const id = messages[start]!.id;
    const top = document.getElementById(`message-${id}`)?.getBoundingClientRect().top ?? 0;
    anchor.current = { id, top };
    setFirst(Math.max(0, start - MESSAGES_PER_PAGE));
  };

  // Keep the reader's place: the message they were looking at stays where it was.
  useLayoutEffect(() => {
    const kept = anchor.current;
    if (!kept) return;
    anchor.current = null;
    const element = document.getElementById(`message-${kept.id}`);
    if (element) window.scrollBy(0, element.getBoundingClientRect().top - kept.top);
  }, [start]);

  useEffect(() => {
    window.scrollTo({ top: document.documentElement.scrollHeight });
  }, [messages.length]);
  // The page above is parsed while the page is idle: when it comes in, it only has to be laid out.
  useEffect(() => {
    if (start === 0) return;
    return renderWhenIdle(messages.slice(Math.max(0, start - MESSAGES_PER_PAGE), start).flatMap((m) => (m.role === 'assistant' ? [m.content] : [])));
  }, [start]);
  // Earlier messages come in before the reader reaches the top (after the scroll to the end above).
  useEffect(() => {
    const target = earlier.current;
    if (!target || start === 0) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && showEarlier(), { rootMargin: '1500px 0px 0px 0px' });
    observer.observe(target);
    return () => observer.disconnect();
  });
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

  // Away from the end of the chat: a button brings the reader back to the latest message.
  const [away, setAway] = useState(false);
  useEffect(() => {
    let frame = 0;
    // Half a screen up, not the follow threshold: a streaming reply grows past the bottom between
    // frames, and the button must not flicker (nor the list re-render) while it is followed.
    const check = () => {
      frame = 0;
      setAway(window.innerHeight * 1.5 + window.scrollY < document.documentElement.scrollHeight);
    };
    const onScroll = () => (frame ||= requestAnimationFrame(check));
    addEventListener('scroll', onScroll, { passive: true });
    return () => {
      removeEventListener('scroll', onScroll);
      cancelAnimationFrame(frame);
    };
  }, []);

  const shown = messages.slice(start);
  // A turn whose reply is being written (here or in another tab) cannot be deleted until it ends.
  const writing = new Set(messages.flatMap((m) => (m.status === 'streaming' || m.id === live?.messageId ? turnOf(messages, m.id) : [])));
  return (
    <div
      class="message-list"
      onClick={(e) => {
        const button = (e.target as HTMLElement).closest('button.copy-code');
        if (!button) return;
        const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
        actions.onCopy(code);
        button.textContent = 'Copied';
        setTimeout(() => (button.textContent = 'Copy'), 1500);
      }}
    >
      {start > 0 && (
        <div class="earlier-messages" ref={earlier}>
          <button type="button" onClick={showEarlier}>
            Show earlier messages ({start} more)
          </button>
        </div>
      )}
      {away && (
        <button
          type="button"
          class="jump-latest"
          onClick={() => {
            window.scrollTo({ top: document.documentElement.scrollHeight });
            setAway(false);
          }}
        >
          ↓ Latest
        </button>
      )}
      {shown.map((m, i) => (
        <MessageView
          key={m.id}
          message={m}
          live={live?.messageId === m.id ? live : null}
          isLast={start + i === messages.length - 1}
          busy={busy}
          writing={writing.has(m.id)}
          canGenerate={canGenerate}
          actions={actions}
        />
      ))}
    </div>
  );
}
