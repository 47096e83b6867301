// The Mistral models this app offers, taken from WebLLM's prebuilt list, and
// how a requested model name (ours, or a hosted API's id) resolves to one of
// them on this device.
import type { GpuReport, ModelInfo } from '../../protocol/contract';
import type { AppConfig, ModelRecord } from '../engine/engine';
import { ApiError } from '../../protocol/errors';
import { CONTEXT_WINDOWS, FAMILIES, NEMO_ALIASES, NEMO_EXPLANATION, QUANTS, type FamilySpec } from './families';

function quantOf(record: ModelRecord): string {
  return /q\d+f\d+_\d/.exec(record.model_id)?.[0] ?? 'unknown';
}

/** Bits per weight of MLC's group quantization: 4-bit values plus one f16 / f32 scale per 32 weights. */
const BITS_PER_WEIGHT: Record<string, number> = { q4f16_1: 4 + 16 / 32, q4f32_1: 4 + 32 / 32 };

/** A download-size estimate from the parameter count, until the model's manifest gives the exact size. */
export function estimateDownloadBytes(paramCount: number, quantization: string): number | null {
  const bits = BITS_PER_WEIGHT[quantization];
  return bits === undefined ? null : Math.round((paramCount * bits) / 8);
}

/** A q4f16 model needs shader-f16 even where its record forgets to say so (WebLLM's Ministral records). */
function requiredFeatures(record: ModelRecord): string[] {
  const features = new Set(record.required_features ?? []);
  if (quantOf(record).includes('f16')) features.add('shader-f16');
  return [...features];
}

function contextWindow(record: ModelRecord): number | null {
  const size = record.overrides?.context_window_size;
  return size && size > 0 ? size : null;
}

/** The record's own window, then the larger ones the family was trained for (custom models: their own only). */
function contextWindowOptions(record: ModelRecord, spec: FamilySpec | null): number[] {
  const base = contextWindow(record);
  if (!base) return [];
  if (!spec) return [base];
  return [base, ...CONTEXT_WINDOWS.filter((n) => n > base && n <= spec.trainedContext)];
}

/** KV cache bytes per token: K and V for every layer and KV head; f16 values for q4f16, f32 for q4f32. */
function kvBytesPerToken(spec: FamilySpec | null, quantization: string): number | null {
  if (!spec) return null;
  const bytes = /f32/.test(quantization) ? 4 : 2;
  return spec.kv.layers * spec.kv.kvHeads * spec.kv.headDim * 2 * bytes;
}

/** Why this device cannot run the record, or null when it can. */
export function unsupportedReason(record: ModelRecord, gpu: GpuReport): string | null {
  if (gpu.status !== 'ok') return 'This browser has no usable WebGPU adapter.';
  const missing = requiredFeatures(record).filter((f) => !gpu.features.includes(f));
  if (missing.includes('shader-f16')) return 'Needs the WebGPU shader-f16 feature, which this GPU does not offer; use the q4f32_1 variant.';
  if (missing.length > 0) return `Needs the WebGPU features ${missing.join(', ')}, which this GPU does not offer.`;
  const needed = record.buffer_size_required_bytes;
  if (needed !== undefined && (gpu.maxStorageBufferBindingSize < needed || gpu.maxBufferSize < needed)) {
    return `Needs GPU buffers of ${needed} bytes; this adapter allows ${Math.min(gpu.maxBufferSize, gpu.maxStorageBufferBindingSize)}.`;
  }
  return null;
}

/** A hint that the model may not fit: browsers expose system memory (rounded, capped at 8 GB), not GPU memory. */
export function memoryWarning(record: ModelRecord, gpu: GpuReport): string | null {
  if (gpu.status !== 'ok' || gpu.deviceMemoryGB === null || gpu.deviceMemoryGB >= 8 || !record.vram_required_MB) return null;
  const neededGB = record.vram_required_MB / 1024;
  if (neededGB <= gpu.deviceMemoryGB * 0.6) return null;
  return `This device reports about ${gpu.deviceMemoryGB} GB of memory and the model needs about ${neededGB.toFixed(1)} GB of GPU memory, so it may not fit.`;
}

export interface CatalogEntry {
  record: ModelRecord;
  info: ModelInfo;
}

export interface CatalogInputs {
  appConfig: AppConfig;
  gpu: GpuReport;
  /** Records the user registered (owned_by "custom"). */
  customRecords?: ModelRecord[];
  /** Per model id: what its cache holds, and the exact download size once its manifest is cached. */
  cache?: Map<string, { cached: ModelInfo['cached']; downloadBytes: number | null }>;
}

function entryFor(record: ModelRecord, spec: FamilySpec | null, inputs: CatalogInputs): CatalogEntry {
  const reason = unsupportedReason(record, inputs.gpu);
  const quantization = quantOf(record);
  const cache = inputs.cache?.get(record.model_id);
  const estimate = spec ? estimateDownloadBytes(spec.paramCount, quantization) : null;
  return {
    record,
    info: {
      id: record.model_id,
      object: 'model',
      owned_by: spec ? 'mistralai' : 'custom',
      displayName: spec ? `${spec.displayName} (${quantization})` : `${record.model_id} (custom)`,
      family: spec?.family ?? record.model_id,
      parameters: spec?.parameters ?? /(\d+(?:\.\d+)?)B/i.exec(record.model_id)?.[0]?.toUpperCase() ?? '?',
      quantization,
      vramRequiredMB: record.vram_required_MB ?? null,
      contextWindow: contextWindow(record),
      contextWindowOptions: contextWindowOptions(record, spec),
      kvCacheBytesPerToken: kvBytesPerToken(spec, quantization),
      requiredFeatures: requiredFeatures(record),
      supported: reason === null,
      unsupportedReason: reason,
      memoryWarning: reason === null ? memoryWarning(record, inputs.gpu) : null,
      preferredVariant: false,
      recommended: false,
      downloadBytes: cache?.downloadBytes ?? estimate,
      downloadBytesExact: cache?.downloadBytes != null,
      cached: cache?.cached ?? 'none',
      toolCalling: spec?.toolCalling ?? true,
      aliases: [],
    },
  };
}

/** A family's prebuilt records, in the catalog's order of variants. */
function familyRecords(appConfig: AppConfig, spec: (typeof FAMILIES)[number]): ModelRecord[] {
  return QUANTS.map((q) => appConfig.model_list.find((r) => r.model_id === `${spec.recordPrefix}-${q}-MLC`)).filter((r): r is ModelRecord => r !== undefined);
}

/** The records the catalog lists, whatever the GPU: every Mistral variant, then the custom models. */
export function catalogRecords(appConfig: AppConfig, customRecords: ModelRecord[] = []): ModelRecord[] {
  return [...FAMILIES.flatMap((spec) => familyRecords(appConfig, spec)), ...customRecords];
}

/** The catalog for this device: every Mistral variant and custom model, marked supported, preferred, recommended. */
export function buildCatalog(inputs: CatalogInputs): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const spec of FAMILIES) {
    const variants = familyRecords(inputs.appConfig, spec).map((r) => entryFor(r, spec, inputs));
    const best = variants.find((e) => e.info.supported);
    if (best) {
      best.info.preferredVariant = true;
      best.info.aliases = [...spec.aliases];
    }
    entries.push(...variants);
  }
  for (const record of inputs.customRecords ?? []) {
    const entry = entryFor(record, null, inputs);
    entry.info.preferredVariant = entry.info.supported;
    // A Nemo build the user registered answers for the hosted Nemo ids.
    if (entry.info.supported && /nemo/i.test(record.model_id)) entry.info.aliases = [...NEMO_ALIASES];
    entries.push(entry);
  }
  // One recommendation: the best family whose preferred variant should fit, else the smallest that runs.
  const candidates = entries.filter((e) => e.info.preferredVariant && e.info.owned_by === 'mistralai');
  const pick = candidates.find((e) => e.info.memoryWarning === null) ?? [...candidates].sort((a, b) => (a.info.vramRequiredMB ?? 0) - (b.info.vramRequiredMB ?? 0))[0];
  // A software (CPU) adapter runs every model far below a usable rate: recommend nothing there (the UI says why).
  const onCpu = inputs.gpu.status === 'ok' && inputs.gpu.isFallback;
  if (pick && !onCpu) pick.info.recommended = true;
  return entries;
}

/** Whether the model was trained for tool calling (custom builds are trusted to be). */
export function modelSupportsTools(entry: CatalogEntry): boolean {
  return entry.info.toolCalling;
}

/** The ids a caller may mean by `requested`: as written, without an OpenRouter-style ":free" / ":nitro" suffix. */
function spellings(requested: string): string[] {
  const wanted = requested.trim().toLowerCase();
  const bare = wanted.replace(/:[a-z0-9-]+$/, '');
  return bare === wanted ? [wanted] : [wanted, bare];
}

function notFound(requested: string, catalog: CatalogEntry[]): ApiError {
  const hosted = FAMILIES.flatMap((f) => f.aliases.filter((a) => a.includes('/')).slice(0, 1));
  return new ApiError(
    `The model '${requested}' does not exist here. Available: ${catalog.map((e) => e.info.id).join(', ')}; hosted ids such as ${hosted.map((a) => `'${a}'`).join(', ')} resolve to them (GET /v1/models lists every id).`,
    404,
    'model',
    'model_not_found',
  );
}

/**
 * Resolves what a caller names (a WebLLM id, a family name or a hosted API's id,
 * case-insensitively, with or without an OpenRouter variant suffix) to a
 * catalog entry this device can run.
 */
export function resolveModel(requested: string, catalog: CatalogEntry[]): CatalogEntry {
  for (const wanted of spellings(requested)) {
    const exact = catalog.find((e) => e.info.id.toLowerCase() === wanted);
    if (exact) {
      if (!exact.info.supported) throw new ApiError(`Model '${requested}' cannot run on this device: ${exact.info.unsupportedReason}`, 400, 'model', 'model_not_supported');
      return exact;
    }
    if (NEMO_ALIASES.some((a) => a.toLowerCase() === wanted)) {
      // A Nemo build the user registered answers for the hosted ids.
      const custom = catalog.find((e) => e.info.owned_by === 'custom' && /nemo/i.test(e.info.id) && e.info.supported);
      if (custom) return custom;
      throw new ApiError(NEMO_EXPLANATION, 404, 'model', 'model_not_found');
    }
    const spec = FAMILIES.find((f) => f.family.toLowerCase() === wanted || f.aliases.some((a) => a.toLowerCase() === wanted));
    if (spec) {
      const variants = catalog.filter((e) => e.info.family === spec.family);
      const best = variants.find((e) => e.info.preferredVariant);
      if (!best) {
        const reason = variants[0]?.info.unsupportedReason ?? 'no variant is available';
        throw new ApiError(`Model '${requested}' has no variant this device can run: ${reason}`, 400, 'model', 'model_not_supported');
      }
      return best;
    }
  }
  throw notFound(requested, catalog);
}
