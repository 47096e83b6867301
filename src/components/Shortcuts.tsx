import { useEffect } from 'preact/hooks';
import { generating } from '../state/app-state';
import { stopGeneration } from '../state/chat-actions';
import { startNewConversation } from '../state/conversation-actions';
import { useLazyDialog } from './lazy-dialog';

const SHORTCUTS: [keys: string, what: string][] = [
  ['Enter', 'Send the message'],
  ['Shift + Enter', 'New line in the message'],
  ['Escape', 'Stop the reply'],
  ['Ctrl + Shift + O', 'New chat'],
  ['Shift + Escape', 'Focus the message box'],
  ['?  or  Ctrl + /', 'This list'],
];

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * The app's keyboard shortcuts, and their list in a dialog (`?`). The dialog
 * is a native modal <dialog>: it keeps focus inside, closes on Escape, and
 * gives focus back to where it was.
 */
export function Shortcuts() {
  const dialog = useLazyDialog();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // An open dialog or menu has the keyboard (its Escape closes it, and nothing else).
      if (e.defaultPrevented || document.querySelector('dialog[open], :popover-open')) return;
      const ctrl = e.ctrlKey || e.metaKey;
      if (ctrl && e.shiftKey && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        startNewConversation();
        document.getElementById('prompt')?.focus();
      } else if (e.shiftKey && e.key === 'Escape') {
        e.preventDefault();
        document.getElementById('prompt')?.focus();
      } else if (e.key === 'Escape' && generating.value) {
        e.preventDefault();
        stopGeneration();
      } else if ((e.key === '?' && !ctrl && !typingInField(e.target)) || (ctrl && e.key === '/')) {
        e.preventDefault();
        dialog.open();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <dialog ref={dialog.ref} class="dialog" aria-labelledby="shortcuts-title">
      {dialog.built && <ShortcutList />}
    </dialog>
  );
}

function ShortcutList() {
  return (
    <>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table class="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" autofocus>
          Close
        </button>
      </form>
    </>
  );
}
