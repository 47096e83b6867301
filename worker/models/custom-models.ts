// Models the user compiled and hosts (e.g. Mistral-Nemo-Instruct-2407 q4f16_1
// for WebGPU): registered by model URL and model-library URL, validated, and
// persisted in IndexedDB so they survive reloads.
import { del, entries, set } from 'idb-keyval';
import type { CustomModelInput } from '../../protocol/contract';
import type { ModelRecord } from '../engine/engine';
import { invalidParam, unreachableMessage } from '../../protocol/errors';
import { modelBaseUrl } from '../cache/webllm-cache';
import { createRepairingStore } from '../../protocol/idb-store';

const store = createRepairingStore('mistral-local-custom-models', 'records');

function isLocalHost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** https anywhere, http only on this machine; never credentials, never another scheme. */
function checkUrl(value: unknown, param: string): URL {
  if (typeof value !== 'string' || value.trim() === '') throw invalidParam(param, `${param} is required.`, 'missing_required_parameter');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalidParam(param, `${param} is not a valid URL.`);
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url.hostname)))) {
    throw invalidParam(param, `${param} must use https (http is allowed only for localhost).`);
  }
  if (url.username || url.password) throw invalidParam(param, `${param} must not contain credentials.`);
  return url;
}

const REQUIRED_CONFIG_FIELDS: [string, (v: unknown) => boolean][] = [
  ['vocab_size', (v) => Number.isInteger(v) && (v as number) > 0],
  ['context_window_size', (v) => Number.isInteger(v) && ((v as number) > 0 || v === -1)],
  ['tokenizer_files', (v) => Array.isArray(v) && v.length > 0 && v.every((f) => typeof f === 'string')],
  ['conv_template', (v) => typeof v === 'object' && v !== null],
];

/** Checks a fetched mlc-chat-config.json and returns what the catalog needs from it. */
export function validateChatConfig(config: unknown): { quantization: string | null; contextWindow: number } {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw invalidParam('modelUrl', 'mlc-chat-config.json is not a JSON object: is the model URL the folder of an MLC-compiled model?');
  }
  const c = config as Record<string, unknown>;
  for (const [field, ok] of REQUIRED_CONFIG_FIELDS) {
    if (!ok(c[field])) throw invalidParam('modelUrl', `mlc-chat-config.json has no valid '${field}': is this an MLC-compiled model (mlc_llm gen_config)?`);
  }
  return { quantization: typeof c.quantization === 'string' ? c.quantization : null, contextWindow: c.context_window_size as number };
}

/** Validates the input, fetches and checks the model's config, and builds a WebLLM record. */
export async function buildCustomRecord(input: CustomModelInput, fetchImpl: typeof fetch, existingIds: Set<string>): Promise<ModelRecord> {
  const modelUrl = checkUrl(input.modelUrl, 'modelUrl');
  const libUrl = checkUrl(input.modelLibUrl, 'modelLibUrl');
  if (!libUrl.pathname.endsWith('.wasm')) throw invalidParam('modelLibUrl', 'modelLibUrl must point to the compiled WebGPU library (a .wasm file).');
  const base = modelBaseUrl(modelUrl.href.replace(/\/+$/, ''));
  const folder = modelUrl.pathname.replace(/\/+$/, '').replace(/\/resolve\/[^/]+$/, '').split('/').pop() ?? '';
  const id = (input.id ?? folder).trim();
  if (!/^[A-Za-z0-9._-]{1,120}$/.test(id)) throw invalidParam('id', 'The model id must be 1-120 letters, digits, ".", "_" or "-".');
  // Ids become object keys in WebLLM's records and in ours: never one of Object's own names.
  if (id === '__proto__' || id in Object.prototype) throw invalidParam('id', `The model id '${id}' is a reserved name; choose another.`);
  if (existingIds.has(id)) throw invalidParam('id', `A model with the id '${id}' already exists.`);

  const configUrl = new URL('mlc-chat-config.json', base).href;
  let response: Response;
  try {
    response = await fetchImpl(configUrl);
  } catch {
    throw invalidParam('modelUrl', unreachableMessage(configUrl, 'read mlc-chat-config.json', 'It is down, or it does not allow cross-origin requests.'));
  }
  if (!response.ok) throw invalidParam('modelUrl', `${configUrl} answered HTTP ${response.status}: the model folder must contain mlc-chat-config.json.`);
  let config: unknown;
  try {
    config = await response.json();
  } catch {
    throw invalidParam('modelUrl', 'mlc-chat-config.json is not valid JSON.');
  }
  const { quantization, contextWindow } = validateChatConfig(config);
  const quant = quantization ?? /q\d+f\d+_\d/.exec(id)?.[0] ?? null;
  return {
    model: modelUrl.href,
    model_id: id,
    model_lib: libUrl.href,
    ...(quant?.includes('f16') ? { required_features: ['shader-f16'] } : {}),
    overrides: { context_window_size: contextWindow },
  };
}

export async function listCustomRecords(): Promise<ModelRecord[]> {
  if (typeof indexedDB === 'undefined') return [];
  return (await entries<string, ModelRecord>(store)).map(([, record]) => record).sort((a, b) => a.model_id.localeCompare(b.model_id));
}

export function saveCustomRecord(record: ModelRecord): Promise<void> {
  return set(record.model_id, record, store);
}

export function deleteCustomRecord(id: string): Promise<void> {
  return del(id, store);
}
