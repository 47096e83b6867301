// `/v1/models` entries that both dialects parse: OpenAI's Model (id, object,
// created, owned_by) and Mistral's BaseModelCard (type "base", capabilities,
// max_context_length, aliases, …), plus our own fields (ModelInfo). Every
// hosted id that resolves to a variant on this device is an entry of its
// own, saying what it resolves to.
import type { ModelInfo } from '../../protocol/contract';

/** Models are local files, not releases: no creation time is known. */
const CREATED = 0;

export type ModelCard = ReturnType<typeof modelCard>;

export function modelCard(info: ModelInfo) {
  return {
    ...info,
    created: CREATED,
    type: 'base' as const,
    name: info.displayName,
    description: info.supported ? `${info.displayName}, running in this browser on WebGPU.` : `${info.displayName}: ${info.unsupportedReason}`,
    capabilities: {
      completion_chat: info.supported,
      function_calling: info.supported && info.toolCalling,
      completion_fim: false,
      fine_tuning: false,
      vision: false,
      classification: false,
    },
    max_context_length: info.contextWindow ?? 4096,
    deprecation: null,
    default_model_temperature: 0.7,
    /** The WebLLM id this entry runs as (its own id, or the variant a hosted id resolves to). */
    resolves_to: info.id,
  };
}

/** The entry for a hosted id (or any name that resolves), answering as the variant it resolves to. */
export function aliasCard(id: string, target: ModelInfo): ModelCard {
  return { ...modelCard(target), id, aliases: [], resolves_to: target.id };
}

/** Every variant, then every hosted id that resolves to one. */
export function modelCards(models: ModelInfo[]): ModelCard[] {
  return [...models.map(modelCard), ...models.flatMap((m) => m.aliases.map((alias) => aliasCard(alias, m)))];
}
