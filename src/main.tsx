import { render } from 'preact';
import { App } from './components/App';
import { startServiceWorker } from './state/app-update';
import { loadConversations } from './state/conversation-actions';
import { initializeEngine } from './state/model-actions';
import { loadHighlightingWhenIdle } from './state/render-actions';
import { loadTheme } from './state/theme';
import './styles.css';

render(<App />, document.getElementById('app')!);

// Saved conversations show even when the engine cannot start (no WebGPU).
void loadTheme();
void loadConversations();
// A returning user's model, when cached, loads by itself (a setting in the model panel).
void initializeEngine(true);
startServiceWorker();
loadHighlightingWhenIdle();
