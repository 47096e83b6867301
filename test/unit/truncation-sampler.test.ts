import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TruncationSampler, truncateLogits } from '../../worker/chat/truncation-sampler';

const logits = () => Float32Array.from([1, 5, 3, 4, 2]);

describe('truncateLogits', () => {
  it('top_k keeps the k largest logits', () => {
    expect(Array.from(truncateLogits(logits(), { topK: 2, minP: null, temperature: 1 }))).toEqual([-Infinity, 5, -Infinity, 4, -Infinity]);
  });
  it('top_k keeps ties with the k-th value', () => {
    expect(Array.from(truncateLogits(Float32Array.from([3, 3, 1]), { topK: 1, minP: null, temperature: 1 }))).toEqual([3, 3, -Infinity]);
  });
  it('min_p keeps tokens whose probability is at least min_p times the top one, after temperature', () => {
    // p_i/p_max = exp((l_i - 5)/T). With T=1 and min_p = e^-1.5, l >= 3.5 survives.
    expect(Array.from(truncateLogits(logits(), { topK: null, minP: Math.exp(-1.5), temperature: 1 }))).toEqual([-Infinity, 5, -Infinity, 4, -Infinity]);
    // A higher temperature flattens the distribution: with T=2, l >= 2 survives.
    expect(Array.from(truncateLogits(logits(), { topK: null, minP: Math.exp(-1.5), temperature: 2 }))).toEqual([-Infinity, 5, 3, 4, 2]);
  });
  it('both together apply the stricter bound; no params leave logits untouched', () => {
    expect(Array.from(truncateLogits(logits(), { topK: 3, minP: Math.exp(-1.5), temperature: 1 }))).toEqual([-Infinity, 5, -Infinity, 4, -Infinity]);
    expect(Array.from(truncateLogits(logits(), { topK: null, minP: null, temperature: 1 }))).toEqual([1, 5, 3, 4, 2]);
    expect(Array.from(truncateLogits(logits(), { topK: 10, minP: 0, temperature: 0 }))).toEqual([1, 5, 3, 4, 2]);
  });
  it('top_k by selection keeps exactly what a full sort would, ties and -Infinity included', () => {
    const logit = fc.oneof(fc.integer({ min: -20, max: 20 }).map((n) => n / 4), fc.constant(-Infinity));
    fc.assert(
      fc.property(fc.array(logit, { minLength: 1, maxLength: 2000 }), fc.nat(), (values, k) => {
        const topK = (k % values.length) + 1;
        const sorted = Float32Array.from(values).sort();
        const threshold = sorted[values.length - topK]!;
        const expected = values.map((v) => (topK < values.length && v < threshold ? -Infinity : v));
        expect(Array.from(truncateLogits(Float32Array.from(values), { topK, minP: null, temperature: 1 }))).toEqual(expected.map((v) => Math.fround(v)));
      }),
      { numRuns: 300 },
    );
  });

  it('the processor passes logits through when no request params are set', () => {
    const sampler = new TruncationSampler();
    expect(Array.from(sampler.processLogits(logits()))).toEqual([1, 5, 3, 4, 2]);
    sampler.params = { topK: 1, minP: null, temperature: 1 };
    expect(Array.from(sampler.processLogits(logits()))).toEqual([-Infinity, 5, -Infinity, -Infinity, -Infinity]);
  });
});
