import { conversation, generating, importError, searchQuery, visibleConversations } from '../state/app-state';
import { deleteConversation, importConversation, renameConversation, selectConversation, setSearchQuery, startNewConversation } from '../state/conversation-actions';
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
      {importError.value && (
        <p class="notice notice-error" role="alert">
          {importError.value}
        </p>
      )}
    </aside>
  );
}
