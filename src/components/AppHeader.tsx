import { engineFailure, gpu, models, readyModel, webgpuUsable } from '../state/app-state';
import { setTheme, theme } from '../state/theme';
import { ThemeToggle } from './ThemeToggle';

interface Props {
  sidebarOpen: boolean;
  onToggleSidebar(): void;
}

/** The header: the chat-list toggle (narrow screens), the engine's status, the theme switch. */
export function AppHeader({ sidebarOpen, onToggleSidebar }: Props) {
  const ready = readyModel.value;
  // A name people read ("Mistral 7B Instruct v0.3 (q4f32_1)"), not the id; the id stays in the tooltip.
  const readyName = ready ? (models.value.find((m) => m.id === ready.modelId)?.displayName ?? ready.modelId) : null;
  const status = engineFailure.value
    ? 'Engine stopped'
    : gpu.value === null
      ? 'Checking WebGPU…'
      : ready
        ? `Ready: ${readyName}`
        : webgpuUsable.value
          ? 'No model loaded'
          : 'WebGPU unavailable';
  return (
    <header class="app-header">
      <button type="button" class="sidebar-toggle" aria-expanded={sidebarOpen} aria-controls="sidebar" onClick={onToggleSidebar}>
        Chats
      </button>
      <h1>Mistral, in your browser</h1>
      <p class="status" data-testid="engine-status" data-model-id={ready?.modelId} title={ready?.modelId}>
        {status}
      </p>
      <ThemeToggle theme={theme.value} onChange={setTheme} />
    </header>
  );
}
