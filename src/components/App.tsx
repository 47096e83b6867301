// The chat screen's layout: the header, conversations beside, then the notices,
// the model panel and the conversation. Each region is its own component.
import { useState } from 'preact/hooks';
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
  return (
    <div class="app">
      <AppHeader sidebarOpen={sidebarOpen} onToggleSidebar={() => setSidebarOpen(!sidebarOpen)} />
      <div class="layout">
        <Sidebar open={sidebarOpen} onClose={() => setSidebarOpen(false)} />
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
