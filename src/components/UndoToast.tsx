import { undoable } from '../state/app-state';
import { dismissUndo } from '../state/conversation-actions';

/** "Deleted … Undo" for a few seconds after a deletion, instead of a confirm dialog. */
export function UndoToast() {
  const offer = undoable.value;
  return (
    <div class="toast-region" role="status" aria-live="polite">
      {offer && (
        <div class="toast" data-testid="undo-toast">
          <span>{offer.message}</span>
          <button type="button" onClick={offer.undo}>
            Undo
          </button>
          <button type="button" class="icon" aria-label="Dismiss" onClick={dismissUndo}>
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
