import { conversation, damagedRecords, generating, importError, searchQuery, visibleConversations } from '../state/app-state';
import { deleteConversation, deleteDamaged, dismissImportError, exportDamaged, importConversation, renameConversation, selectConversation, setSearchQuery, startNewConversation } from '../state/conversation-actions';
import { ConversationList } from './ConversationList';

interface Props {
  open: boolean;
  /** Closes the list on narrow screens once a conversation is picked. */
  onClose(): void;
}

/** The conversations: search, new, switch, rename, delete, import. */
export function Sidebar({ open, onClose }: Props) {
  return (
    <aside id="sidebar" class="sidebar" data-open={open ? 'true' : 'false'}>
      <button type="button" class="drawer-close icon" aria-label="Close the chat list" onClick={onClose}>
        ✕
      </button>
      <ConversationList
        conversations={visibleConversations.value}
        currentId={conversation.value.id}
        query={searchQuery.value}
        busy={generating.value}
        onQuery={setSearchQuery}
        onSelect={(id) => {
          onClose();
          void selectConversation(id);
        }}
        onNew={() => {
          onClose();
          startNewConversation();
        }}
        onRename={renameConversation}
        onDelete={(id) => void deleteConversation(id)}
        onImport={(file) => void importConversation(file)}
      />
      {damagedRecords.value.length > 0 && (
        <section class="notice notice-warn damaged" aria-label="Damaged conversations" data-testid="damaged">
          <p>
            {damagedRecords.value.length === 1 ? 'One stored conversation is damaged' : `${damagedRecords.value.length} stored conversations are damaged`} and cannot be shown. Export keeps its raw data; the other conversations are not affected.
          </p>
          <ul>
            {damagedRecords.value.map((r) => (
              <li key={r.key}>
                <code>{r.key.slice(0, 24)}</code>{' '}
                <button type="button" onClick={() => exportDamaged(r.key)}>
                  Export raw JSON
                </button>{' '}
                <button type="button" onClick={() => void deleteDamaged(r.key)}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {importError.value && (
        <p class="notice notice-error" role="alert">
          {importError.value}{' '}
          <button type="button" onClick={dismissImportError}>
            Dismiss
          </button>
        </p>
      )}
    </aside>
  );
}
