// The whole chat as a part a site mounts into an element of its own page (the
// package's "./chat" entry; its styles are "./chat.css", src/styles.css as it is). The same app as the
// static site, without the site's service worker: offline caching and updates
// are the host page's choice.
import { render } from 'preact';
import { App } from '../components/App';
import { loadConversations } from '../state/conversation-actions';
import { initializeEngine } from '../state/model-actions';
import { loadRendererWhenIdle } from '../state/render-actions';
import { loadTheme } from '../state/theme';

export interface MountOptions {
  /** Load the last model used by itself when it is fully cached (the user can turn it off in the model panel). Default true. */
  autoLoad?: boolean;
}

/** Renders the chat into `target`; returns a function that removes it again. */
export function mountChat(target: HTMLElement, options: MountOptions = {}): () => void {
  render(<App />, target);
  void loadTheme();
  void loadConversations();
  loadRendererWhenIdle(initializeEngine(options.autoLoad ?? true));
  return () => render(null, target);
}
