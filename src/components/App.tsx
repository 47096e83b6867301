// The chat screen's layout: the header, conversations beside, then the notices,
// the model panel and the conversation. Each region is its own component.
import { useEffect, useState } from 'preact/hooks';
import { announcement } from '../state/app-state';
import { AppHeader } from './AppHeader';
import { ChatPane } from './ChatPane';
import { EngineNotices } from './EngineNotices';
import { LiveAnnouncer } from './LiveAnnouncer';
import { ModelPanel } from './ModelPanel';
import { Shortcuts } from './Shortcuts';
import { Sidebar } from './Sidebar';
import { UndoToast } from './UndoToast';

export function App() {
  // Whether the conversation list is open on narrow screens: layout state, local to the layout.
  const [sidebarOpen, setSidebarOpen] = useState(false);
  // On a phone the chat list is a drawer over the chat: focus goes into it, Escape or the backdrop closes it,
  // and focus returns to the button that opened it.
  const closeSidebar = () => {
    setSidebarOpen(false);
    if (document.getElementById('sidebar')?.contains(document.activeElement)) document.querySelector<HTMLElement>('.sidebar-toggle')?.focus();
  };
  useEffect(() => {
    if (!sidebarOpen) return;
    if (matchMedia('(max-width: 760px)').matches) document.getElementById('conversation-search')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) closeSidebar();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [sidebarOpen]);
  return (
    <div class="app">
      <AppHeader sidebarOpen={sidebarOpen} onToggleSidebar={() => setSidebarOpen(!sidebarOpen)} />
      <div class="layout">
        {sidebarOpen && <div class="drawer-backdrop" onClick={closeSidebar} />}
        <Sidebar open={sidebarOpen} onClose={closeSidebar} />
        <div class="main-column">
          <EngineNotices />
          <ModelPanel />
          <ChatPane />
        </div>
      </div>
      <UndoToast />
      <Shortcuts />
      <LiveAnnouncer message={announcement.value} />
    </div>
  );
}
