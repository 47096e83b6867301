import { render } from 'preact';
import { App } from './components/App';
import { conversation } from './state/app-state';
import { initializeEngine } from './state/model-actions';
import { loadCurrentConversation } from './storage/conversations';
import './styles.css';

render(<App />, document.getElementById('app')!);

// The saved conversation shows even when the engine cannot start (no WebGPU).
void loadCurrentConversation().then((saved) => {
  if (saved) conversation.value = saved;
});
void initializeEngine();
