import { render } from 'preact';
import { App, highlightReady } from './components/App';
import { loadHighlighter } from './render/markdown';
import { startServiceWorker } from './state/app-update';
import { loadConversations } from './state/conversation-actions';
import { initializeEngine } from './state/model-actions';
import { loadTheme } from './state/theme';
import './styles.css';

render(<App />, document.getElementById('app')!);

// Saved conversations show even when the engine cannot start (no WebGPU).
void loadTheme();
void loadConversations();
void initializeEngine();
startServiceWorker();
// Code highlighting is not needed for first paint: fetch it when the page is idle.
(globalThis.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 200)))(() => {
  void loadHighlighter().then(() => (highlightReady.value = true));
});
