// Code highlighting is not needed for first paint: highlight.js is fetched
// when the page is idle; code blocks already on screen are then highlighted
// in slices (render/highlight-queue.ts).

export function loadHighlightingWhenIdle(): void {
  (globalThis.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 200)))(() => void import('../render/markdown').then((m) => m.loadHighlighter()));
}
