import { engineFailure, gpu, readyModel, readyModelName, webgpuUsable } from '../state/app-state';
import { setTheme, theme } from '../state/theme';
import { ThemeToggle } from './ThemeToggle';

interface Props {
  sidebarOpen: boolean;
  onToggleSidebar(): void;
}

/** The header: the chat-list toggle (narrow screens), the engine's status, the theme switch. */
export function AppHeader({ sidebarOpen, onToggleSidebar }: Props) {
  const ready = readyModel.value;
  const status = engineFailure.value
    ? 'Engine stopped'
    : gpu.value === null
      ? 'Checking WebGPU…'
      : ready
        ? `Ready: ${readyModelName.value}`
        : webgpuUsable.value
          ? 'No model loaded'
          : 'WebGPU unavailable';
  return (
    <header class="app-header">
      <button type="button" class="sidebar-toggle" aria-expanded={sidebarOpen} aria-controls="sidebar" onClick={onToggleSidebar}>
        Chats
      </button>
      <h1>Mistral, in your browser</h1>
      {/* A name people read; the id stays in the tooltip. */}
      <p class="status" data-testid="engine-status" data-model-id={ready?.modelId} title={ready?.modelId}>
        {status}
      </p>
      <ThemeToggle theme={theme.value} onChange={setTheme} />
    </header>
  );
}
