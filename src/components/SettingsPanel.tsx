import { DEFAULT_SETTINGS, type ChatSettings } from '../storage/conversations';

interface Props {
  settings: ChatSettings;
  onChange(patch: Partial<ChatSettings>): void;
}

function NumberField({ id, label, value, min, max, step, hint, onValue }: { id: string; label: string; value: number | null; min: number; max: number; step: number; hint: string; onValue(v: number | null): void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={step}
        value={value ?? ''}
        placeholder="off"
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const raw = (e.target as HTMLInputElement).value;
          const n = Number(raw);
          onValue(raw === '' || !Number.isFinite(n) ? null : Math.min(max, Math.max(min, n)));
        }}
      />
      <span id={`${id}-hint`} class="hint">
        {hint}
      </span>
    </div>
  );
}

/** System prompt and sampling for this conversation, sent with every request. */
export function SettingsPanel({ settings, onChange }: Props) {
  return (
    <section class="settings" aria-label="Conversation settings">
      <div class="field wide">
        <label for="system-prompt">System prompt</label>
        <textarea id="system-prompt" rows={3} value={settings.systemPrompt} placeholder="e.g. You are a concise assistant. Answer in French." onChange={(e) => onChange({ systemPrompt: (e.target as HTMLTextAreaElement).value })} />
      </div>
      <NumberField id="s-temperature" label="Temperature" value={settings.temperature} min={0} max={2} step={0.05} hint="0 = deterministic; 0.7 suits Mistral chat" onValue={(v) => onChange({ temperature: v ?? DEFAULT_SETTINGS.temperature })} />
      <NumberField id="s-top-p" label="Top p" value={settings.top_p} min={0.01} max={1} step={0.01} hint="nucleus sampling" onValue={(v) => onChange({ top_p: v ?? 1 })} />
      <NumberField id="s-max-tokens" label="Max reply tokens" value={settings.max_tokens} min={16} max={4096} step={16} hint="longer replies stop with “length”" onValue={(v) => onChange({ max_tokens: v ?? DEFAULT_SETTINGS.max_tokens })} />
      <NumberField id="s-top-k" label="Top k" value={settings.top_k} min={0} max={1000} step={1} hint="empty = off" onValue={(v) => onChange({ top_k: v || null })} />
      <NumberField id="s-min-p" label="Min p" value={settings.min_p} min={0} max={1} step={0.01} hint="empty = off" onValue={(v) => onChange({ min_p: v || null })} />
      <NumberField id="s-frequency" label="Frequency penalty" value={settings.frequency_penalty} min={-2} max={2} step={0.1} hint="−2 to 2" onValue={(v) => onChange({ frequency_penalty: v ?? 0 })} />
      <NumberField id="s-presence" label="Presence penalty" value={settings.presence_penalty} min={-2} max={2} step={0.1} hint="−2 to 2" onValue={(v) => onChange({ presence_penalty: v ?? 0 })} />
      <NumberField id="s-repetition" label="Repetition penalty" value={settings.repetition_penalty} min={0.5} max={2} step={0.05} hint="empty = model default" onValue={(v) => onChange({ repetition_penalty: v })} />
      <NumberField id="s-seed" label="Seed" value={settings.seed} min={0} max={2 ** 31} step={1} hint="same seed + prompt = same reply" onValue={(v) => onChange({ seed: v === null ? null : Math.round(v) })} />
      <div class="field wide">
        <button type="button" onClick={() => onChange({ ...DEFAULT_SETTINGS, systemPrompt: settings.systemPrompt })}>
          Reset sampling to defaults
        </button>
      </div>
    </section>
  );
}
