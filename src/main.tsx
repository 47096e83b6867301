// First: the bridge takes the engine worker that the built page already started (or spawns one).
import './engine/bridge';
import { render } from 'preact';
import { App } from './components/App';
import { startServiceWorker } from './state/app-update';
import { loadConversations } from './state/conversation-actions';
import { initializeEngine } from './state/model-actions';
import { loadRendererWhenIdle } from './state/render-actions';
import { loadTheme } from './state/theme';
import './styles.css';

// The engine is asked at once what this device can run (the worker, started by the page before
// this script arrived, has usually built the answer already), and the app's first render waits
// for that answer, 150 ms at most, so that its first frame already has the model picker; until
// then the page shows index.html's header. Rendering first made the picker later: a render with
// its layout and paint (60–70 ms on 2 cores) held the answer back, and, when the worker was
// spawned here, also the worker's start (Chromium starts it in a task of this main thread).
// The saved preferences and the theme are read meanwhile (on a first visit, the page's first
// IndexedDB open creates the database), and so are the saved conversations (they show even
// when the engine cannot start: no WebGPU).
const FIRST_RENDER_WAIT_MS = 150;
void loadTheme();
void loadConversations();
// A returning user's model, when cached, loads by itself (a setting in the model panel).
const started = initializeEngine(true);
void Promise.race([started, new Promise((resolve) => setTimeout(resolve, FIRST_RENDER_WAIT_MS))]).then(() => {
  const root = document.getElementById('app')!;
  root.textContent = '';
  render(<App />, root);
});
// What the first screen does not need waits for the model picker, so that it does not compete
// with the engine worker's start (on 2 cores it delayed the picker by about 150 ms).
void started.finally(startServiceWorker);
loadRendererWhenIdle(started);
