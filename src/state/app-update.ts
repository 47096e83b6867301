// The service worker: offline after the first visit, and a visible "update
// ready" when a new deploy is found (applied when the user chooses).
import { signal } from '@preact/signals';
import { registerSW } from 'virtual:pwa-register';

export const updateReady = signal(false);
export const offlineReady = signal(false);

let update: ((reload?: boolean) => Promise<void>) | null = null;

export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  update = registerSW({
    onNeedRefresh: () => (updateReady.value = true),
    onOfflineReady: () => (offlineReady.value = true),
    onRegisterError: (error: unknown) => console.error('Service worker registration failed:', error),
  });
}

/** Reloads into the new version. */
export function applyUpdate(): void {
  void update?.(true);
}
