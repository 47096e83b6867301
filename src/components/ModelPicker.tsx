import type { ModelInfo } from '../../protocol/contract';
import { formatBytes, formatCount } from '../format';
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

/** "8,192 tokens · +1.0 GB GPU memory": what a larger window costs over the model's default. */
function windowLabel(m: ModelInfo, tokens: number): string {
  const base = m.contextWindowOptions[0] ?? tokens;
  const extra = m.kvCacheBytesPerToken ? (tokens - base) * m.kvCacheBytesPerToken : 0;
  return `${formatCount(tokens)} tokens${tokens === base ? ' (default)' : extra > 0 ? ` · +${formatBytes(extra)} GPU memory` : ''}`;
}

/** The GPU memory the model needs with this window, and a warning when the device may not hold it. */
function windowFit(m: ModelInfo, tokens: number, deviceMemoryGB: number | null): string | null {
  if (!m.vramRequiredMB || !m.kvCacheBytesPerToken) return null;
  const base = m.contextWindowOptions[0] ?? tokens;
  const total = m.vramRequiredMB * 2 ** 20 + (tokens - base) * m.kvCacheBytesPerToken;
  const fits = deviceMemoryGB === null || deviceMemoryGB >= 8 || total <= deviceMemoryGB * 0.6 * 2 ** 30;
  return `About ${formatBytes(total)} of GPU memory with this window${fits ? '' : `; this device reports about ${deviceMemoryGB} GB of memory, so it may not fit`}. A longer window holds longer chats and documents.`;
}

interface Props {
  models: ModelInfo[];
  selectedId: string | null;
  loadedId: string | null;
  /** The window the loaded model has, and the one chosen for the selected model. */
  loadedWindow: number | null;
  chosenWindow: number | null;
  deviceMemoryGB: number | null;
  onContextWindow(id: string, tokens: number): void;
  disabled: boolean;
  onSelect(id: string): void;
  onLoad(id: string): void;
}

/** The Mistral models, what each costs, and whether this device can run it. */
export function ModelPicker({ models, selectedId, loadedId, loadedWindow, chosenWindow, deviceMemoryGB, disabled, onSelect, onLoad, onContextWindow }: Props) {
  const selected = models.find((m) => m.id === selectedId);
  const windows = selected?.contextWindowOptions ?? [];
  const window = chosenWindow && windows.includes(chosenWindow) ? chosenWindow : (windows[0] ?? null);
  // The loaded model with another window chosen: Load reloads it with that one.
  const isLoaded = selected !== undefined && selected.id === loadedId && (window === null || window === loadedWindow);
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
      {selected && windows.length > 1 && (
        <>
          <label for="context-window">Context window</label>
          <select id="context-window" value={String(window)} disabled={disabled} aria-describedby="context-window-fit" onChange={(e) => onContextWindow(selected.id, Number((e.target as HTMLSelectElement).value))}>
            {windows.map((n) => (
              <option key={n} value={String(n)}>
                {windowLabel(selected, n)}
              </option>
            ))}
          </select>
        </>
      )}
      <button type="submit" disabled={disabled || !selected?.supported || isLoaded}>
        {isLoaded ? 'Loaded' : selected && selected.id === loadedId ? 'Reload' : 'Load'}
      </button>
      {selected && window !== null && windows.length > 1 && (
        <p class="hint" id="context-window-fit" data-testid="context-window-fit">
          {windowFit(selected, window, deviceMemoryGB)}
        </p>
      )}
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
