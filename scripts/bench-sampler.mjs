// `npm run bench:sampler`: the per-token CPU cost of top_k / min_p (our
// logit processor) at Mistral 7B's vocabulary (32,768) and Ministral 3's
// (131,072): the full sort we used before, the selection used now, and min_p.
// A request that sets neither pays nothing: the processor is not on the model
// then (worker/engine/logit-processor.ts), so WebLLM samples on the GPU alone.
// This is the processor itself; on a GPU each call also costs WebLLM's copy
// of the logits to the CPU and back and a device sync.
import { runnerImport } from 'vite';
import { machine, writeSection } from './bench-lib.mjs';

const { module } = await runnerImport('/worker/chat/truncation-sampler.ts');
const { truncateLogits } = module;
const RUNS = Number(process.env.RUNS ?? 7);
const TOKENS = 200;

/** Logits shaped like a language model's: most far below the top, a few close to it. */
function logitsFor(vocab, seed) {
  let x = seed;
  const random = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
  return Float32Array.from({ length: vocab }, () => -8 + 6 * Math.log(1 / (1 - random())) * (random() < 0.01 ? 2 : 0.5));
}

function sortTopK(logits, k) {
  const sorted = Float32Array.from(logits).sort();
  const threshold = sorted[logits.length - k];
  for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = -Infinity;
  return logits;
}

const variants = {
  'top_k 40, full sort (before)': (l) => sortTopK(l, 40),
  'top_k 40, selection (now)': (l) => truncateLogits(l, { topK: 40, minP: null, temperature: 0.7 }),
  'min_p 0.05': (l) => truncateLogits(l, { topK: null, minP: 0.05, temperature: 0.7 }),
  'top_k 40 + min_p 0.05': (l) => truncateLogits(l, { topK: 40, minP: 0.05, temperature: 0.7 }),
};

/** Median ms per token of `fn` over RUNS runs of TOKENS tokens, variants alternated within each run. */
function measure(vocab) {
  const inputs = Array.from({ length: 8 }, (_, i) => logitsFor(vocab, i + 1));
  const times = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let run = 0; run < RUNS + 1; run++) {
    for (const [name, fn] of Object.entries(variants)) {
      const start = performance.now();
      for (let t = 0; t < TOKENS; t++) fn(Float32Array.from(inputs[t % inputs.length]));
      if (run > 0) times[name].push((performance.now() - start) / TOKENS);
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  return Object.fromEntries(Object.entries(times).map(([name, v]) => [name, median(v)]));
}

const sizes = [32_768, 131_072];
const results = sizes.map((vocab) => ({ vocab, ms: measure(vocab) }));
const rows = Object.keys(variants).map((name) => `| ${name} | ${results.map((r) => r.ms[name].toFixed(3)).join(' | ')} |`);
const date = new Date().toISOString().slice(0, 10);
const markdown = `## Logit processor per token (\`npm run bench:sampler\`)

Measured ${date} on ${machine()}. Our top_k / min_p processor on one token's logits (a copy of the vector included), median of ${RUNS} runs of ${TOKENS} tokens, variants alternated. A request without top_k or min_p runs no processor at all: the processor is put on the model only for requests that set them, so WebLLM keeps the logits on the GPU.

| ms per token | vocabulary 32,768 (Mistral 7B) | 131,072 (Ministral 3) |
|---|---|---|
| no top_k / min_p (processor off the model) | 0 | 0 |
${rows.join('\n')}
`;
writeSection('sampler', markdown);
console.log(markdown);
