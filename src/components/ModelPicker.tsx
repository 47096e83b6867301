import type { ModelInfo } from '../../worker/contract';
import { formatBytes } from '../format';

interface Props {
  models: ModelInfo[];
  selectedId: string | null;
  loadedId: string | null;
  disabled: boolean;
  onSelect(id: string): void;
  onLoad(id: string): void;
}

/** The Mistral models, what each costs, and whether this device can run it. */
export function ModelPicker({ models, selectedId, loadedId, disabled, onSelect, onLoad }: Props) {
  const selected = models.find((m) => m.id === selectedId);
  return (
    <form
      class="model-picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (selected?.supported) onLoad(selected.id);
      }}
    >
      <label for="model-select">Model</label>
      <select id="model-select" value={selectedId ?? ''} disabled={disabled} onChange={(e) => onSelect((e.target as HTMLSelectElement).value)}>
        {models.map((m) => (
          <option key={m.id} value={m.id} disabled={!m.supported}>
            {m.displayName}
            {m.vramRequiredMB ? ` · ${formatBytes(m.vramRequiredMB * 1024 * 1024)} GPU memory` : ''}
            {m.recommended ? ' · recommended' : ''}
            {m.supported ? '' : ' · not supported here'}
          </option>
        ))}
      </select>
      <button type="submit" disabled={disabled || !selected?.supported || selected.id === loadedId}>
        {selected && selected.id === loadedId ? 'Loaded' : 'Load'}
      </button>
      {selected && !selected.supported && <p class="hint">{selected.unsupportedReason}</p>}
      {selected && selected.supported && (
        <p class="hint">
          {selected.parameters} parameters, {selected.quantization}, context {selected.contextWindow ?? '?'} tokens. The first load downloads the weights once; later loads come
          from this browser's cache.
        </p>
      )}
      <p class="hint">
        Mistral Nemo 12B has no prebuilt WebGPU build: it runs only as a custom model you compile yourself (see docs/models.md).
      </p>
    </form>
  );
}
