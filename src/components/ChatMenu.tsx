import { useRef } from 'preact/hooks';
import type { Conversation } from '../storage/conversations';
import { exportConversation } from '../state/conversation-actions';

/**
 * The chat's less frequent actions behind one "⋯" button. A popover (the
 * browser's own): it closes on Escape, on a click outside and after a choice,
 * and keeps the chat's header to one line.
 */
export function ChatMenu({ conversation }: { conversation: Conversation }) {
  const menu = useRef<HTMLDivElement>(null);
  const empty = conversation.messages.length === 0;
  const run = (action: () => void) => () => {
    menu.current?.hidePopover();
    action();
  };
  return (
    <>
      <button type="button" class="icon" popovertarget="chat-menu" aria-label="Chat options" title="Chat options">
        ⋯
      </button>
      <div id="chat-menu" ref={menu} popover="auto" class="popover-menu" aria-label="Chat options">
        <button type="button" disabled={empty} onClick={run(() => exportConversation('markdown'))}>
          Export Markdown
        </button>
        <button type="button" disabled={empty} onClick={run(() => exportConversation('json'))}>
          Export JSON
        </button>
        {empty && <p class="hint">Nothing to export yet.</p>}
      </div>
    </>
  );
}
