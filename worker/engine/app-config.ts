// The engine's model list: WebLLM 0.2.86's prebuilt records for the Mistral
// families, cached in IndexedDB. Kept here as data, not imported from WebLLM,
// so that the worker starts (GPU facts, catalog, storage) without loading the
// 6 MB engine; WebLLM itself is imported when a model loads. A unit test
// (test/unit/app-config.test.ts) fails when WebLLM's records differ from these.
import type { AppConfig, ModelRecord } from './engine';

export const MISTRAL_RECORDS: ModelRecord[] = [
  {
    model: 'https://huggingface.co/mlc-ai/Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
    model_id: 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
    model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Mistral-7B-Instruct-v0.3-q4f16_1_cs1k-webgpu.wasm',
    vram_required_MB: 4573.39,
    low_resource_required: false,
    required_features: ['shader-f16'],
    overrides: { context_window_size: 4096, sliding_window_size: -1 }
  },
  {
    model: 'https://huggingface.co/mlc-ai/Mistral-7B-Instruct-v0.3-q4f32_1-MLC',
    model_id: 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC',
    model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Mistral-7B-Instruct-v0.3-q4f32_1_cs1k-webgpu.wasm',
    vram_required_MB: 5619.27,
    low_resource_required: false,
    overrides: { context_window_size: 4096, sliding_window_size: -1 }
  },
  {
    model: 'https://huggingface.co/mlc-ai/Mistral-7B-Instruct-v0.2-q4f16_1-MLC',
    model_id: 'Mistral-7B-Instruct-v0.2-q4f16_1-MLC',
    model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Mistral-7B-Instruct-v0.3-q4f16_1_cs1k-webgpu.wasm',
    vram_required_MB: 4573.39,
    low_resource_required: false,
    required_features: ['shader-f16'],
    overrides: { context_window_size: 4096, sliding_window_size: -1 }
  },
  {
    model: 'https://huggingface.co/mlc-ai/Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC',
    model_id: 'Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC',
    model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Ministral-3-3B-Instruct-2512-BF16-q4f16_1_cs1k-webgpu.wasm',
    vram_required_MB: 2863.69,
    low_resource_required: true,
    overrides: {
      context_window_size: 4096
    }
  },
  {
    model: 'https://huggingface.co/mlc-ai/Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC',
    model_id: 'Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC',
    model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Ministral-3-3B-Instruct-2512-BF16-q4f32_1_cs1k-webgpu.wasm',
    vram_required_MB: 3532.37,
    low_resource_required: true,
    overrides: {
      context_window_size: 4096
    }
  }
];

export const appConfig: AppConfig = { model_list: MISTRAL_RECORDS, cacheBackend: 'indexeddb' };
