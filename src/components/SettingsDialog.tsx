import { conversation, defaultSettings } from '../state/app-state';
import { resetSettingsToDefaults, saveSettingsAsDefaults, updateSettings } from '../state/conversation-actions';
import { useLazyDialog } from './lazy-dialog';
import { SettingsPanel } from './SettingsPanel';

/**
 * The chat's settings in a native modal dialog: the conversation keeps the
 * screen until they are wanted; focus stays inside while it is open and goes
 * back to the button when it closes. A field being edited is committed when
 * the dialog closes (its change event fires on the way out).
 */
export function SettingsDialog() {
  const dialog = useLazyDialog();
  const current = conversation.value;
  return (
    <>
      <button type="button" class="settings-button" aria-haspopup="dialog" onClick={dialog.open}>
        Settings<span class="visually-hidden"> for this chat</span>
      </button>
      <dialog ref={dialog.ref} id="settings-dialog" class="dialog settings-dialog" aria-labelledby="settings-title">
        {dialog.built && (
          <>
            <h2 id="settings-title">Settings for this chat</h2>
            <SettingsPanel settings={current.settings} defaults={defaultSettings.value} onChange={updateSettings} onSaveDefaults={saveSettingsAsDefaults} onResetToDefaults={resetSettingsToDefaults} />
            <form method="dialog" class="dialog-actions">
              <button type="submit">Done</button>
            </form>
          </>
        )}
      </dialog>
    </>
  );
}
