// Turns what WebLLM throws during a load into our typed errors. WebLLM sets a distinct
// `name` on each error class, so we branch on names (no runtime import of the
// engine) and on the failing fetch the download monitor saw.
import type { FetchFailure } from '../cache/download-monitor';
import { ModelLoadError, unreachableMessage } from '../../protocol/errors';

function fileAndHost(url: string): { file: string; host: string } {
  try {
    const parsed = new URL(url);
    return { file: parsed.pathname.split('/').pop() || parsed.pathname, host: parsed.host };
  } catch {
    return { file: url, host: 'the model host' };
  }
}

/** A failed `reload()` as a ModelLoadError whose kind the UI can act on. */
export function classifyLoadError(error: unknown, modelId: string, lastFailure: FetchFailure | null): ModelLoadError {
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'WebGPUNotAvailableError':
    case 'WebGPUNotFoundError':
      return new ModelLoadError('WebGPU is not available in this browser, so the model cannot run here.', 'no-webgpu', modelId);
    case 'ShaderF16SupportError':
      return new ModelLoadError(
        `${modelId} needs the WebGPU shader-f16 feature, which this GPU does not offer. Pick the q4f32_1 variant of the model instead.`,
        'shader-f16',
        modelId,
      );
    case 'DeviceLostError':
      return new ModelLoadError(
        `The GPU device was lost while loading ${modelId}, most often because it ran out of memory. ` +
          'Close other GPU-heavy tabs, or pick a smaller model such as Ministral 3 3B, then retry.',
        'device-lost',
        modelId,
      );
    case 'GPUOutOfMemoryError':
      return new ModelLoadError(`The GPU ran out of memory loading ${modelId}. Pick a smaller model such as Ministral 3 3B, or close other GPU-heavy tabs.`, 'gpu-memory', modelId);
    case 'QuotaExceededError':
      return new ModelLoadError(`The browser's storage is full, so ${modelId} cannot be cached. Free some space (delete cached models or site data) and retry.`, 'storage-full', modelId);
  }
  if (lastFailure) {
    const { file, host } = fileAndHost(lastFailure.url);
    switch (lastFailure.kind) {
      case 'network':
        return new ModelLoadError(unreachableMessage(lastFailure.url, `download ${file}`), 'network', modelId, lastFailure.url);
      case 'file-missing':
        return new ModelLoadError(`The file ${file} is missing on ${host} (HTTP 404), so ${modelId} cannot be loaded from there.`, 'file-missing', modelId, lastFailure.url);
      case 'http-error':
        return new ModelLoadError(`${host} answered HTTP ${lastFailure.status} for ${file}. Retry later.`, 'http-error', modelId, lastFailure.url);
    }
  }
  return new ModelLoadError(`Loading ${modelId} failed: ${detail}`, 'unknown', modelId);
}
