// top_k / min_p without a per-token tax. WebLLM reads a model's LogitProcessor
// once, when the model loads, and then runs it on every token of every
// request: it copies the logits to the CPU, waits for the GPU, runs the
// processor and copies them back (32,768 floats a token for Mistral 7B,
// 131,072 for Ministral 3), even when the request sets neither parameter. A
// registered processor also turns WebLLM's resumable generation off. So none
// is registered: the chat service puts ours on the loaded model's pipeline
// for the requests that set top_k or min_p, and takes it off after them.
//
// `loadedModelIdToPipeline` and the pipeline's `logitProcessor` are private
// in WebLLM 0.2.86; test/unit/webllm-internals.test.ts fails if an upgrade
// renames them or stops reading the field per token.
import type { LogitProcessor } from '@mlc-ai/web-llm';
import type { ChatEngine } from './engine';

interface Pipelines {
  loadedModelIdToPipeline?: Map<string, { logitProcessor?: LogitProcessor }>;
}

/** Puts `processor` on every loaded model (undefined: none, WebLLM samples on the GPU alone). */
export function setLogitProcessor(engine: ChatEngine, processor: LogitProcessor | undefined): void {
  const pipelines = (engine as unknown as Pipelines).loadedModelIdToPipeline;
  if (!(pipelines instanceof Map)) {
    if (processor === undefined) return;
    throw new Error('top_k and min_p are unavailable: this WebLLM version no longer exposes the loaded model to a logit processor.');
  }
  for (const pipeline of pipelines.values()) pipeline.logitProcessor = processor;
}
