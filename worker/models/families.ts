// The Mistral families this app offers, as facts: which WebLLM records they
// map to, their names, what hosted APIs call them, what they can do. Add a
// family here (and its records to WebLLM's app config) to offer it.

export interface FamilySpec {
  family: string;
  displayName: string;
  parameters: string;
  /** Parameter count, for download-size estimates before the manifest is known. */
  paramCount: number;
  /** Ids hosted Mistral APIs (OpenRouter, aimlapi, IONOS, la Plateforme) use for it. */
  aliases: string[];
  /** Trained for Mistral's tool-call format ([AVAILABLE_TOOLS] / [TOOL_CALLS]). */
  toolCalling: boolean;
  /** The context the model was trained for, and the shape of its KV cache (from the model's config.json). */
  trainedContext: number;
  kv: { layers: number; kvHeads: number; headDim: number };
}

/** Context windows offered at load, up to what a family was trained for. */
export const CONTEXT_WINDOWS = [4096, 8192, 16384, 32768];

/** Catalog families, best first. Each maps to WebLLM records `${family-prefix}-${quant}-MLC`. */
export const FAMILIES: (FamilySpec & { recordPrefix: string })[] = [
  {
    family: 'Mistral-7B-Instruct-v0.3',
    recordPrefix: 'Mistral-7B-Instruct-v0.3',
    displayName: 'Mistral 7B Instruct v0.3',
    parameters: '7B',
    paramCount: 7.25e9,
    aliases: ['mistralai/Mistral-7B-Instruct-v0.3', 'mistralai/mistral-7b-instruct', 'mistralai/mistral-7b-instruct-v0.3', 'mistral-7b-instruct', 'mistral-7b-instruct-v0.3', 'open-mistral-7b'],
    toolCalling: true,
    trainedContext: 32768,
    kv: { layers: 32, kvHeads: 8, headDim: 128 },
  },
  {
    family: 'Ministral-3-3B-Instruct-2512',
    recordPrefix: 'Ministral-3-3B-Instruct-2512-BF16',
    displayName: 'Ministral 3 3B Instruct (2512)',
    parameters: '3B',
    paramCount: 3.85e9,
    aliases: ['mistralai/Ministral-3-3B-Instruct-2512', 'mistralai/ministral-3b-2512', 'ministral-3b-2512', 'ministral-3b-latest', 'ministral-3b', 'ministral-3-3b'],
    toolCalling: true,
    trainedContext: 262144,
    kv: { layers: 26, kvHeads: 8, headDim: 128 },
  },
  {
    family: 'Mistral-7B-Instruct-v0.2',
    recordPrefix: 'Mistral-7B-Instruct-v0.2',
    displayName: 'Mistral 7B Instruct v0.2',
    parameters: '7B',
    paramCount: 7.24e9,
    aliases: ['mistralai/Mistral-7B-Instruct-v0.2', 'mistralai/mistral-7b-instruct-v0.2', 'mistral-7b-instruct-v0.2'],
    // v0.2's tokenizer has no tool-call control tokens.
    toolCalling: false,
    trainedContext: 32768,
    kv: { layers: 32, kvHeads: 8, headDim: 128 },
  },
];

export const QUANTS = ['q4f16_1', 'q4f32_1'] as const;

/** Mistral Nemo has no prebuilt WebGPU library in WebLLM: these ids get a specific explanation. */
export const NEMO_ALIASES = ['mistralai/mistral-nemo', 'mistralai/Mistral-Nemo-Instruct-2407', 'open-mistral-nemo', 'mistral-nemo', 'Mistral-Nemo-Instruct-2407'];

export const NEMO_EXPLANATION =
  'Mistral Nemo 12B has no prebuilt WebGPU build in WebLLM, so it cannot be downloaded here. ' +
  'It runs only as a custom model you compile yourself with MLC LLM (mlc_llm convert_weight / gen_config / compile --device webgpu) ' +
  'and register by its model URL and model-library URL; see docs/models.md.';
