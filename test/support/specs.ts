// The vendors' published OpenAPI specs (OpenAI's and Mistral's), read from
// ../shared/specs beside the project, or the folder SPECS_DIR names (they stay
// the vendors' files and are not copied here), compiled with ajv as JSON Schema 2020-12.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const SPECS_DIR = process.env.SPECS_DIR ?? fileURLToPath(new URL('../../../shared/specs/', import.meta.url));

const FILES = { openai: 'openai-openapi.yaml', mistral: 'mistral-openapi-public-doc.yaml', 'mistral-full': 'mistral-openapi.yaml' } as const;
export type SpecName = keyof typeof FILES;

/** True when every spec file is there; the conformance tests skip (and say so) otherwise. */
export const specsPresent = Object.values(FILES).every((f) => existsSync(`${SPECS_DIR}${f}`));

/**
 * OpenAPI 3.1 is JSON Schema 2020-12 but for a few OpenAPI words: `nullable`
 * (3.0's, still used by OpenAI's file) becomes "or null", and `discriminator`
 * (ajv cannot read its `mapping`) is dropped: the oneOf it annotates still decides.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'discriminator' && key !== 'nullable' && key !== 'example' && key !== 'examples') out[key] = toJsonSchema(value);
  return (node as { nullable?: boolean }).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

type Schema = { properties?: Record<string, unknown>; items?: Schema; required?: string[]; allOf?: Schema[] };

/**
 * Where a spec is wrong or the two disagree, what the vendors' SDKs accept
 * (each decision written up in docs/api.md's "Conformance" section):
 * - Mistral's ChatCompletionResponse lists `data` as required but never
 *   defines it; its own example has none and its SDK accepts responses without it.
 * - OpenAI requires `message.refusal` (string or null); Mistral's
 *   AssistantMessage forbids properties it does not list. We send
 *   `refusal: null`, which Mistral's SDK accepts.
 * - OpenAI says a streamed legacy completion chunk has the response's shape,
 *   whose finish_reason is never null; its service and clients use null on
 *   every chunk before the last, and so do we ("CreateCompletionStreamResponse").
 */
function amend(name: SpecName, components: Record<string, Record<string, Schema>>): void {
  const schemas = components.schemas!;
  if (name === 'openai') {
    const stream = structuredClone(schemas.CreateCompletionResponse!);
    const choice = stream.properties!.choices as Schema;
    choice.items!.properties!.finish_reason = { anyOf: [choice.items!.properties!.finish_reason, { type: 'null' }] };
    schemas.CreateCompletionStreamResponse = stream;
    return;
  }
  for (const part of schemas.ChatCompletionResponse!.allOf!) if (part.required) part.required = part.required.filter((key) => key !== 'data');
  schemas.AssistantMessage!.properties!.refusal = { anyOf: [{ type: 'string' }, { type: 'null' }] };
}

let ajv: InstanceType<typeof Ajv2020> | null = null;

function compiler(): InstanceType<typeof Ajv2020> {
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('unixtime', true);
  for (const [name, file] of Object.entries(FILES) as [SpecName, string][]) {
    const components = toJsonSchema(parse(readFileSync(`${SPECS_DIR}${file}`, 'utf8')).components) as Record<string, Record<string, Schema>>;
    amend(name, components);
    ajv.addSchema({ $id: name, components });
  }
  return ajv;
}

/** Reads and parses both specs now (seconds on a busy machine), not inside the first test that checks a value. */
export function loadSpecs(): void {
  compiler();
}

const cache = new Map<string, ValidateFunction>();

/** The errors of `value` against a spec's component schema (empty when it conforms). */
export function violations(spec: SpecName, schema: string, value: unknown): string[] {
  const key = `${spec}#/components/schemas/${schema}`;
  let validate = cache.get(key);
  if (!validate) {
    validate = compiler().getSchema(key);
    if (!validate) throw new Error(`No schema ${key}`);
    cache.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 8).map((e) => `${spec} ${schema}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
