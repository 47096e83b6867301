import { useState } from 'preact/hooks';
import type { ModelInfo } from '../../protocol/contract';

interface Props {
  customModels: ModelInfo[];
  error: string | null;
  onAdd(input: { modelUrl: string; modelLibUrl: string }): Promise<boolean>;
  onRemove(modelId: string): void;
}

/** Registers a model the user compiled (e.g. Mistral Nemo 12B, which has no prebuilt WebGPU build). */
const NEMO_STEPS = `mlc_llm convert_weight ./Mistral-Nemo-Instruct-2407 --quantization q4f16_1 -o ./Nemo-q4f16_1-MLC
mlc_llm gen_config ./Mistral-Nemo-Instruct-2407 --quantization q4f16_1 --conv-template mistral_default --context-window-size 4096 -o ./Nemo-q4f16_1-MLC
mlc_llm compile ./Nemo-q4f16_1-MLC/mlc-chat-config.json --device webgpu -o ./Nemo-q4f16_1-webgpu.wasm`;

export function CustomModelForm({ customModels, error, onAdd, onRemove }: Props) {
  const [modelUrl, setModelUrl] = useState('');
  const [modelLibUrl, setModelLibUrl] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section class="custom-models" aria-label="Custom models">
      <p class="hint">Mistral Nemo 12B has no prebuilt WebGPU build. Compile it with MLC LLM, host the files, and register them here.</p>
      <details class="how-to">
        <summary>How to compile Mistral Nemo 12B</summary>
        <p>
          With{' '}
          <a href="https://llm.mlc.ai/docs/deploy/webllm.html" target="_blank" rel="noopener noreferrer">
            MLC LLM
          </a>{' '}
          installed, from the downloaded <code>Mistral-Nemo-Instruct-2407</code> weights:
        </p>
        <pre>
          <code>{NEMO_STEPS}</code>
        </pre>
        <p>
          Host the weight folder and the <code>.wasm</code> where CORS is allowed (a Hugging Face repository works as it is), allow the hosts in the page’s Content-Security-Policy{' '}
          <code>connect-src</code> (Hugging Face and raw.githubusercontent.com already are), then paste both URLs below. At q4f16_1 the model needs about 8 GB of GPU memory. The project’s{' '}
          <code>docs/models.md</code> has the details.
        </p>
      </details>
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
