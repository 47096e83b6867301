// Code highlighting is not needed for first paint: highlight.js is fetched
// when the page is idle, and replies re-render highlighted once it is there.
import { loadHighlighter } from '../render/markdown';
import { highlightReady } from './app-state';

export function loadHighlightingWhenIdle(): void {
  (globalThis.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 200)))(() => {
    void loadHighlighter().then(() => (highlightReady.value = true));
  });
}
