// WebGPU detection: what the adapter offers decides which model variants can run.
import type { GpuReport } from '../../protocol/contract';

/** Asks the browser for a WebGPU adapter and reports its features and limits. */
export async function detectGpu(gpu: GPU | undefined = (globalThis.navigator as Navigator | undefined)?.gpu): Promise<GpuReport> {
  if (!gpu) return { status: 'no-webgpu-api' };
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    // Some browsers throw instead of resolving null when WebGPU is blocklisted.
    adapter = null;
  }
  if (!adapter) return { status: 'no-adapter' };
  const info = adapter.info;
  const features = [...adapter.features].sort();
  return {
    status: 'ok',
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    isFallback: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true || info.architecture === 'swiftshader',
    features,
    shaderF16: features.includes('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    deviceMemoryGB: (globalThis.navigator as Navigator & { deviceMemory?: number } | undefined)?.deviceMemory ?? null,
  };
}
