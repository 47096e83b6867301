import { useEffect, useRef } from 'preact/hooks';
import type { StoredMessage } from '../storage/conversations';
import { MessageView } from './MessageView';

interface Props {
  messages: StoredMessage[];
  streaming: { messageId: string; text: string } | null;
}

/** The conversation, with the reply in progress filled in from the stream. */
export function MessageList({ messages, streaming }: Props) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages.length, streaming?.text]);
  if (messages.length === 0) {
    return <p class="empty">Your conversation stays in this browser. Load a model, then ask anything.</p>;
  }
  return (
    <div class="message-list" aria-live="off">
      {messages.map((m) => {
        const live = streaming?.messageId === m.id;
        return <MessageView key={m.id} message={live ? { ...m, content: streaming.text } : m} streaming={live} />;
      })}
      <div ref={end} />
    </div>
  );
}
