import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { buildCatalog, resolveModel } from '../../worker/catalog';
import type { GpuReport } from '../../worker/contract';
import { F16_GPU, SWIFTSHADER_GPU } from '../support/api-harness';

const ids = (gpu: GpuReport) => buildCatalog(prebuiltAppConfig, gpu).map((e) => e.info);

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

  it('recommends q4f16_1 where the adapter has shader-f16', () => {
    const recommended = ids(F16_GPU).filter((m) => m.recommended).map((m) => m.id);
    expect(recommended).toEqual(['Mistral-7B-Instruct-v0.3-q4f16_1-MLC', 'Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC', 'Mistral-7B-Instruct-v0.2-q4f16_1-MLC']);
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
    expect(resolveModel('mistralai/Mistral-7B-Instruct-v0.3', buildCatalog(prebuiltAppConfig, SWIFTSHADER_GPU)).info.id).toBe('Mistral-7B-Instruct-v0.3-q4f32_1-MLC');
    expect(resolveModel('mistralai/mistral-7b-instruct-v0.3', buildCatalog(prebuiltAppConfig, F16_GPU)).info.id).toBe('Mistral-7B-Instruct-v0.3-q4f16_1-MLC');
  });

  it('explains that Nemo has no prebuilt WebGPU build, for every hosted spelling', () => {
    const catalog = buildCatalog(prebuiltAppConfig, F16_GPU);
    for (const id of ['mistralai/mistral-nemo', 'mistralai/Mistral-Nemo-Instruct-2407']) {
      expect(() => resolveModel(id, catalog)).toThrow(/no prebuilt WebGPU build/);
    }
  });

  it('v0.2 exists only as q4f16_1, so without shader-f16 it cannot run and says why', () => {
    expect(() => resolveModel('mistralai/Mistral-7B-Instruct-v0.2', buildCatalog(prebuiltAppConfig, SWIFTSHADER_GPU))).toThrow(/shader-f16/);
  });

  it('unknown model is a 404 listing what exists', () => {
    expect(() => resolveModel('gpt-4o', buildCatalog(prebuiltAppConfig, F16_GPU))).toThrow(expect.objectContaining({ status: 404, param: 'model' }));
  });

  it('without a WebGPU adapter nothing is supported', () => {
    expect(ids({ status: 'no-adapter' }).every((m) => !m.supported)).toBe(true);
  });
});
