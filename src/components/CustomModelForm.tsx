import { useState } from 'preact/hooks';
import type { ModelInfo } from '../../protocol/contract';

interface Props {
  customModels: ModelInfo[];
  error: string | null;
  onAdd(input: { modelUrl: string; modelLibUrl: string }): Promise<boolean>;
  onRemove(modelId: string): void;
}

/** Registers a model the user compiled (e.g. Mistral Nemo 12B, which has no prebuilt WebGPU build). */
export function CustomModelForm({ customModels, error, onAdd, onRemove }: Props) {
  const [modelUrl, setModelUrl] = useState('');
  const [modelLibUrl, setModelLibUrl] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section class="custom-models" aria-label="Custom models">
      <p class="hint">
        Mistral Nemo 12B has no prebuilt WebGPU build. Compile it with MLC LLM (see docs/models.md), host the files, and register them here.
      </p>
      <form
        class="custom-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          if (await onAdd({ modelUrl, modelLibUrl })) {
            setModelUrl('');
            setModelLibUrl('');
          }
          setBusy(false);
        }}
      >
        <label>
          Model URL (folder with mlc-chat-config.json)
          <input type="url" required value={modelUrl} placeholder="https://huggingface.co/you/Mistral-Nemo-Instruct-2407-q4f16_1-MLC" onInput={(e) => setModelUrl((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Model library URL (.wasm)
          <input type="url" required value={modelLibUrl} placeholder="https://…/Mistral-Nemo-Instruct-2407-q4f16_1-webgpu.wasm" onInput={(e) => setModelLibUrl((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Add model'}
        </button>
      </form>
      {error && (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {customModels.length > 0 && (
        <ul class="custom-list">
          {customModels.map((m) => (
            <li key={m.id}>
              {m.id}{' '}
              <button type="button" onClick={() => onRemove(m.id)} aria-label={`Remove ${m.id}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
