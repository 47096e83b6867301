// WebLLM's embedding models (its 0.2.86 prebuilt records, kept as data as
// worker/engine/app-config.ts does for the chat models; test/unit/app-config
// checks them against WebLLM's), and the names callers use for them.
import type { ModelRecord } from '../engine/engine';

const LIBS = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base';

export const EMBEDDING_RECORDS: ModelRecord[] = [
  {
    model: 'https://huggingface.co/mlc-ai/snowflake-arctic-embed-s-q0f32-MLC',
    model_id: 'snowflake-arctic-embed-s-q0f32-MLC-b4',
    model_lib: `${LIBS}/snowflake-arctic-embed-s-q0f32-ctx512_cs512_batch4-webgpu.wasm`,
    vram_required_MB: 238.71,
    model_type: 1,
  },
  {
    model: 'https://huggingface.co/mlc-ai/snowflake-arctic-embed-m-q0f32-MLC',
    model_id: 'snowflake-arctic-embed-m-q0f32-MLC-b4',
    model_lib: `${LIBS}/snowflake-arctic-embed-m-q0f32-ctx512_cs512_batch4-webgpu.wasm`,
    vram_required_MB: 539.4,
    model_type: 1,
  },
];

export interface EmbeddingModel {
  /** The short name callers use, e.g. "snowflake-arctic-embed-s". */
  id: string;
  recordId: string;
  dimensions: number;
  /** Tokens per input the compiled model accepts. */
  maxInputTokens: number;
}

export const EMBEDDING_MODELS: EmbeddingModel[] = [
  { id: 'snowflake-arctic-embed-s', recordId: 'snowflake-arctic-embed-s-q0f32-MLC-b4', dimensions: 384, maxInputTokens: 512 },
  { id: 'snowflake-arctic-embed-m', recordId: 'snowflake-arctic-embed-m-q0f32-MLC-b4', dimensions: 768, maxInputTokens: 512 },
];

/** The hosted Mistral embedding models: never stood in for by a local model with other vectors. */
export const HOSTED_EMBEDDING_IDS: Record<string, string> = {
  'mistral-embed': 'mistral-embed (1024 dimensions)',
  'mistral-embed-2312': 'mistral-embed (1024 dimensions)',
  'codestral-embed': 'codestral-embed (up to 3072 dimensions)',
  'codestral-embed-2505': 'codestral-embed (up to 3072 dimensions)',
};

export const LOCAL_EMBEDDING_LIST = EMBEDDING_MODELS.map((m) => `${m.id} (${m.dimensions} dimensions)`).join(', ');
