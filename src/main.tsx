// First: the engine worker is spawned while the rest of the app is still being evaluated.
import './engine/bridge';
import { render } from 'preact';
import { App } from './components/App';
import { startServiceWorker } from './state/app-update';
import { loadConversations } from './state/conversation-actions';
import { initializeEngine } from './state/model-actions';
import { loadRendererWhenIdle } from './state/render-actions';
import { loadTheme } from './state/theme';
import './styles.css';

render(<App />, document.getElementById('app')!);

// Saved conversations show even when the engine cannot start (no WebGPU).
void loadTheme();
void loadConversations();
// A returning user's model, when cached, loads by itself (a setting in the model panel).
const started = initializeEngine(true);
// What the first screen does not need waits for the model picker, so that it does not compete
// with the engine worker's start (on 2 cores it delayed the picker by about 150 ms).
void started.finally(startServiceWorker);
loadRendererWhenIdle(started);
