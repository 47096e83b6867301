import type { StoredMessage } from '../storage/conversations';

const STATUS_NOTE: Partial<Record<StoredMessage['status'], string>> = {
  stopped: 'Stopped',
  interrupted: 'Interrupted before the reply finished',
  error: 'Failed',
};

/** One message. Text is rendered as text (never as HTML): model output is untrusted. */
export function MessageView({ message, streaming }: { message: StoredMessage; streaming: boolean }) {
  const note = streaming ? null : STATUS_NOTE[message.status];
  return (
    <article class={`message message-${message.role}`} data-status={streaming ? 'streaming' : message.status} aria-label={message.role === 'user' ? 'You' : 'Mistral'}>
      <div class="message-content">{message.content || (streaming ? '…' : '')}</div>
      {note && <p class="message-note">{note}{message.error ? `: ${message.error}` : ''}</p>}
      {message.stats && !streaming && (
        <p class="message-stats">
          {message.stats.completionTokens} tokens
          {message.stats.timeToFirstTokenMs !== null ? ` · first token ${Math.round(message.stats.timeToFirstTokenMs)} ms` : ''}
          {message.stats.tokensPerSecond !== null ? ` · ${message.stats.tokensPerSecond.toFixed(1)} tokens/s` : ''}
        </p>
      )}
    </article>
  );
}
