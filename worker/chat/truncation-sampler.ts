// top_k and min_p, which WebLLM's sampler lacks, as a WebLLM LogitProcessor:
// it masks the logits of tokens outside the kept set to -Infinity, and
// WebLLM's own temperature / top_p sampling then runs on what is left.
// The processor runs on the CPU after grammar masking and before logit_bias
// and penalties (see WebLLM's LLMChatPipeline.sampleTokenFromLogits).
import type { LogitProcessor } from '@mlc-ai/web-llm';
import quickselect from 'quickselect';

export interface TruncationParams {
  topK: number | null;
  minP: number | null;
  /** The request's temperature: min_p compares probabilities after it is applied. */
  temperature: number;
}

// Reused between tokens: one vocabulary-sized copy per model size, not one per token.
let scratch = new Float32Array(0);

/** The k-th largest value, by selection (O(n) on average), not a full sort. */
function kthLargest(values: Float32Array, k: number): number {
  if (scratch.length !== values.length) scratch = new Float32Array(values.length);
  scratch.set(values);
  const index = values.length - k;
  quickselect(scratch as unknown as number[], index);
  return scratch[index]!;
}

/** Masks logits in place; returns the same array. Exported for direct tests. */
export function truncateLogits(logits: Float32Array, params: TruncationParams): Float32Array {
  const { topK, minP, temperature } = params;
  let threshold = -Infinity;
  // The k-th largest logit; ties with it are kept.
  if (topK !== null && topK > 0 && topK < logits.length) threshold = kthLargest(logits, topK);
  if (minP !== null && minP > 0 && temperature > 0) {
    // p_i / p_max = exp((l_i - l_max) / T) >= min_p  <=>  l_i >= l_max + T * ln(min_p)
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
    threshold = Math.max(threshold, max + temperature * Math.log(minP));
  }
  if (threshold === -Infinity) return logits;
  for (let i = 0; i < logits.length; i++) if (logits[i]! < threshold) logits[i] = -Infinity;
  return logits;
}

/**
 * One processor instance serves every model: requests run one at a time, so
 * the chat service sets the current request's params and puts the processor
 * on the model before generating, and takes both off after
 * (worker/engine/logit-processor.ts).
 */
export class TruncationSampler implements LogitProcessor {
  params: TruncationParams | null = null;

  processLogits(logits: Float32Array): Float32Array {
    return this.params ? truncateLogits(logits, this.params) : logits;
  }
  processSampledToken(): void {}
  resetState(): void {}
}
