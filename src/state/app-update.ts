// The static site's service worker: offline after the first visit, and a
// visible "update ready" when a new deploy is found (applied when the user
// chooses). The package's chat part leaves this to the host page.
import { registerSW } from 'virtual:pwa-register';
import { pendingUpdate } from './app-state';

export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  // Called once start-up is done (after the window's load event): register now, not on a later load.
  const update = registerSW({
    immediate: true,
    onNeedRefresh: () => (pendingUpdate.value = () => void update(true)),
    onRegisterError: (error: unknown) => console.error('Service worker registration failed:', error),
  });
}
