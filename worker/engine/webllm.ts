// WebLLM is ~6 MB of JavaScript: the worker imports it on first use (a model
// load, or a prefetch once a usable GPU is found), never at start-up, so GPU
// facts, the catalog and the storage view are ready at once and a browser
// without WebGPU never downloads it.

/** The WebLLM module, imported once, when first needed. */
export const loadWebLLM = (() => {
  let module: Promise<typeof import('@mlc-ai/web-llm')> | null = null;
  return () => (module ??= import('@mlc-ai/web-llm'));
})();
