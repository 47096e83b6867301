// top_k and min_p, which WebLLM's sampler lacks, as a WebLLM LogitProcessor:
// it masks the logits of tokens outside the kept set to -Infinity, and
// WebLLM's own temperature / top_p sampling then runs on what is left.
// The processor runs on the CPU after grammar masking and before logit_bias
// and penalties (see WebLLM's LLMChatPipeline.sampleTokenFromLogits).
import type { LogitProcessor } from '@mlc-ai/web-llm';

export interface TruncationParams {
  topK: number | null;
  minP: number | null;
  /** The request's temperature: min_p compares probabilities after it is applied. */
  temperature: number;
}

/** Masks logits in place; returns the same array. Exported for direct tests. */
export function truncateLogits(logits: Float32Array, params: TruncationParams): Float32Array {
  const { topK, minP, temperature } = params;
  let threshold = -Infinity;
  if (topK !== null && topK > 0 && topK < logits.length) {
    // The k-th largest logit; ties with it are kept.
    const sorted = Float32Array.from(logits).sort();
    threshold = Math.max(threshold, sorted[logits.length - topK]!);
  }
  if (minP !== null && minP > 0 && temperature > 0) {
    // p_i / p_max = exp((l_i - l_max) / T) >= min_p  <=>  l_i >= l_max + T * ln(min_p)
    let max = -Infinity;
    for (const value of logits) if (value > max) max = value;
    threshold = Math.max(threshold, max + temperature * Math.log(minP));
  }
  if (threshold === -Infinity) return logits;
  for (let i = 0; i < logits.length; i++) if (logits[i]! < threshold) logits[i] = -Infinity;
  return logits;
}

/**
 * One processor instance serves every model: requests run one at a time, so
 * the API sets the current request's params before generating and clears them after.
 */
export class TruncationSampler implements LogitProcessor {
  params: TruncationParams | null = null;

  processLogits(logits: Float32Array): Float32Array {
    return this.params ? truncateLogits(logits, this.params) : logits;
  }
  processSampledToken(): void {}
  resetState(): void {}
}

/**
 * The registry WebLLM reads at `reload()` (`registry.get(modelId)`): it
 * answers with the one processor for every model, so no load step has to
 * register it first.
 */
export function processorForEveryModel(processor: LogitProcessor): Map<string, LogitProcessor> {
  return new (class extends Map<string, LogitProcessor> {
    override get(): LogitProcessor {
      return processor;
    }
    override has(): boolean {
      return true;
    }
  })();
}
