import type { ModelInfo } from '../../protocol/contract';
import { formatBytes } from '../format';
import { ModelDetails } from './ModelDetails';

function optionLabel(m: ModelInfo): string {
  const parts = [m.displayName];
  if (m.cached === 'full') parts.push('cached');
  else if (m.downloadBytes !== null) parts.push(`${m.downloadBytesExact ? '' : '≈'}${formatBytes(m.downloadBytes)} download`);
  if (m.recommended) parts.push('recommended');
  if (!m.supported) parts.push('not supported here');
  else if (m.memoryWarning) parts.push('may not fit');
  return parts.join(' · ');
}

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
            {optionLabel(m)}
          </option>
        ))}
      </select>
      <button type="submit" disabled={disabled || !selected?.supported || selected.id === loadedId}>
        {selected && selected.id === loadedId ? 'Loaded' : 'Load'}
      </button>
      {selected && selected.id !== loadedId && <ModelDetails model={selected} />}
      {selected?.id !== loadedId && <p class="hint">
        Variants marked “not supported here” need a GPU feature this device lacks (q4f16_1 needs shader-f16). Mistral Nemo 12B has no prebuilt WebGPU build: it runs only as a
        custom model you compile yourself:{' '}
        <a
          href="#custom-models"
          onClick={() => {
            const section = document.getElementById('custom-models') as HTMLDetailsElement | null;
            if (section) section.open = true;
          }}
        >
          see Custom models
        </a>
        .
      </p>}
    </form>
  );
}
