// WebLLM's MLCEngine on its own, in a worker of its own, for the engine
// benchmark's baseline: the same model and request with none of our layers
// (no comlink, no validation, no queue, no tool or sampler hooks).
import { MLCEngine, prebuiltAppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import * as Comlink from 'comlink';

let engine: MLCEngine | null = null;

const raw = {
  async load(record: ModelRecord): Promise<void> {
    engine = new MLCEngine({ appConfig: { ...prebuiltAppConfig, model_list: [record], cacheBackend: 'indexeddb' }, logLevel: 'WARN' });
    await engine.reload(record.model_id);
  },
  /** Streams one request; returns decode tokens/s (after the first token) and the token count. */
  async run(request: Record<string, unknown>): Promise<{ tokensPerSecond: number; tokens: number; text: string }> {
    const stream = await engine!.chatCompletion({ ...request, stream: true, stream_options: { include_usage: true } } as never);
    let first = 0;
    let last = 0;
    let tokens = 0;
    let text = '';
    for await (const chunk of stream as unknown as AsyncIterable<{ choices: { delta: { content?: string } }[]; usage?: { completion_tokens: number } }>) {
      const delta = chunk.choices[0]?.delta.content ?? '';
      if (delta) {
        last = performance.now();
        first ||= last;
        text += delta;
      }
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
    return { tokensPerSecond: ((tokens - 1) * 1000) / (last - first), tokens, text };
  },
};

export type RawEngine = typeof raw;
Comlink.expose(raw);
