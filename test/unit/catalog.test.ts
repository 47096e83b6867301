import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { buildCatalog, resolveModel } from '../../worker/models/catalog';
import type { GpuReport } from '../../protocol/contract';
import { F16_GPU, SWIFTSHADER_GPU } from '../support/api-harness';

const ids = (gpu: GpuReport) => buildCatalog({ appConfig: prebuiltAppConfig, gpu }).map((e) => e.info);

describe('Mistral catalog from WebLLM prebuilt records', () => {
  it('lists the Mistral family variants WebLLM 0.2.86 ships', () => {
    expect(ids(F16_GPU).map((m) => m.id)).toEqual([
      'Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
      'Mistral-7B-Instruct-v0.3-q4f32_1-MLC',
      'Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC',
      'Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC',
      'Mistral-7B-Instruct-v0.2-q4f16_1-MLC',
    ]);
  });

  it('prefers q4f16_1 where the adapter has shader-f16, and recommends one model', () => {
    const preferred = ids(F16_GPU).filter((m) => m.preferredVariant).map((m) => m.id);
    expect(preferred).toEqual(['Mistral-7B-Instruct-v0.3-q4f16_1-MLC', 'Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC', 'Mistral-7B-Instruct-v0.2-q4f16_1-MLC']);
    expect(ids(F16_GPU).filter((m) => m.recommended).map((m) => m.id)).toEqual(['Mistral-7B-Instruct-v0.3-q4f16_1-MLC']);
    // A software (CPU) adapter: every model would run far below a usable rate, so none is recommended.
    expect(ids(SWIFTSHADER_GPU).filter((m) => m.recommended)).toEqual([]);
  });

  it('on a device reporting little memory, warns on the 7B and recommends Ministral 3B', () => {
    const models = ids({ ...F16_GPU, deviceMemoryGB: 4 });
    const mistral = models.find((m) => m.id === 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC')!;
    expect(mistral.memoryWarning).toMatch(/reports about 4 GB .* needs about 4\.5 GB/);
    expect(models.filter((m) => m.recommended).map((m) => m.id)).toEqual(['Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC']);
    // 8 GB is the browser's cap, so it says nothing about larger machines: no warning.
    expect(ids({ ...F16_GPU, deviceMemoryGB: 8 }).every((m) => m.memoryWarning === null)).toBe(true);
  });

  it('marks a model whose buffers exceed the adapter limits', () => {
    const appConfig = { ...prebuiltAppConfig, model_list: prebuiltAppConfig.model_list.map((r) => (r.model_id === 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC' ? { ...r, buffer_size_required_bytes: 2 ** 31 } : r)) };
    const entry = buildCatalog({ appConfig, gpu: SWIFTSHADER_GPU }).find((e) => e.info.id === 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC')!;
    expect(entry.info.supported).toBe(false);
    expect(entry.info.unsupportedReason).toMatch(/Needs GPU buffers of 2147483648 bytes; this adapter allows 1073741824/);
  });

  it('estimates download size from parameters and quantization until the manifest is known', () => {
    const m = ids(F16_GPU).find((x) => x.id === 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC')!;
    // 7.25e9 weights at 4.5 bits (4-bit values + an f16 scale per 32).
    expect(m.downloadBytes).toBe(Math.round((7.25e9 * 4.5) / 8));
    expect(m.downloadBytesExact).toBe(false);
    const exact = buildCatalog({ appConfig: prebuiltAppConfig, gpu: F16_GPU, cache: new Map([[m.id, { cached: 'partial' as const, downloadBytes: 123 }]]) }).find((e) => e.info.id === m.id)!.info;
    expect(exact).toMatchObject({ downloadBytes: 123, downloadBytesExact: true, cached: 'partial' });
  });

  it('a registered custom Nemo build answers for the hosted Nemo ids', () => {
    const record = { model: 'https://example.org/Mistral-Nemo-Instruct-2407-q4f16_1-MLC', model_id: 'Mistral-Nemo-Instruct-2407-q4f16_1-MLC', model_lib: 'https://example.org/nemo.wasm', required_features: ['shader-f16'] };
    const catalog = buildCatalog({ appConfig: prebuiltAppConfig, gpu: F16_GPU, customRecords: [record] });
    const entry = resolveModel('mistralai/mistral-nemo', catalog);
    expect(entry.info).toMatchObject({ id: record.model_id, owned_by: 'custom', parameters: '?', quantization: 'q4f16_1' });
  });

  it('without shader-f16 marks every q4f16 variant unsupported, Ministral included (its record omits the feature)', () => {
    const models = ids(SWIFTSHADER_GPU);
    const ministral = models.find((m) => m.id === 'Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC')!;
    expect(prebuiltAppConfig.model_list.find((r) => r.model_id === ministral.id)!.required_features).toBeUndefined();
    expect(ministral.supported).toBe(false);
    expect(ministral.unsupportedReason).toMatch(/shader-f16/);
    expect(models.filter((m) => m.supported).map((m) => m.id)).toEqual(['Mistral-7B-Instruct-v0.3-q4f32_1-MLC', 'Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC']);
  });

  it('resolves hosted ids to the best local variant for this device', () => {
    expect(resolveModel('mistralai/Mistral-7B-Instruct-v0.3', buildCatalog({ appConfig: prebuiltAppConfig, gpu: SWIFTSHADER_GPU })).info.id).toBe('Mistral-7B-Instruct-v0.3-q4f32_1-MLC');
    expect(resolveModel('mistralai/mistral-7b-instruct-v0.3', buildCatalog({ appConfig: prebuiltAppConfig, gpu: F16_GPU })).info.id).toBe('Mistral-7B-Instruct-v0.3-q4f16_1-MLC');
  });

  it('explains that Nemo has no prebuilt WebGPU build, for every hosted spelling', () => {
    const catalog = buildCatalog({ appConfig: prebuiltAppConfig, gpu: F16_GPU });
    for (const id of ['mistralai/mistral-nemo', 'mistralai/Mistral-Nemo-Instruct-2407']) {
      expect(() => resolveModel(id, catalog)).toThrow(/no prebuilt WebGPU build/);
    }
  });

  it('v0.2 exists only as q4f16_1, so without shader-f16 it cannot run and says why', () => {
    expect(() => resolveModel('mistralai/Mistral-7B-Instruct-v0.2', buildCatalog({ appConfig: prebuiltAppConfig, gpu: SWIFTSHADER_GPU }))).toThrow(/shader-f16/);
  });

  it('unknown model is a 404 listing what exists', () => {
    expect(() => resolveModel('gpt-4o', buildCatalog({ appConfig: prebuiltAppConfig, gpu: F16_GPU }))).toThrow(expect.objectContaining({ status: 404, param: 'model' }));
  });

  it('without a WebGPU adapter nothing is supported', () => {
    expect(ids({ status: 'no-adapter' }).every((m) => !m.supported)).toBe(true);
  });
});
