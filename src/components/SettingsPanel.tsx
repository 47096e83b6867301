import { useState } from 'preact/hooks';
import type { ChatSettings } from '../storage/conversations';

interface Props {
  settings: ChatSettings;
  /** What new chats start with: a field that differs says so. */
  defaults: ChatSettings;
  onChange(patch: Partial<ChatSettings>): void;
  onSaveDefaults(): void;
  onResetToDefaults(): void;
}

interface FieldProps {
  id: string;
  label: string;
  value: number | null;
  fallback: number | null;
  min: number;
  max: number;
  step: number;
  hint: string;
  differs: boolean;
  /** Whether an empty field means "off" (null) rather than the fallback. */
  emptyIsOff?: boolean;
  onValue(v: number | null): void;
}

/**
 * A number setting. A value out of range is not clamped behind the user's
 * back: the field says what the range is and keeps the value in use.
 */
function NumberField({ id, label, value, fallback, min, max, step, hint, differs, emptyIsOff, onValue }: FieldProps) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div class={`field${differs ? ' differs' : ''}`}>
      <label for={id}>
        {label}
        {differs && <span class="differs-mark"> · this chat only</span>}
      </label>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={step}
        value={value ?? ''}
        placeholder={emptyIsOff ? 'off' : String(fallback ?? '')}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const input = e.target as HTMLInputElement;
          const raw = input.value.trim();
          if (raw === '') {
            setProblem(null);
            onValue(emptyIsOff ? null : fallback);
            return;
          }
          const n = Number(raw);
          if (!Number.isFinite(n) || n < min || n > max) {
            setProblem(`${label} must be between ${min} and ${max}; ${value ?? 'off'} is still in use.`);
            return;
          }
          setProblem(null);
          onValue(n);
        }}
      />
      <span id={`${id}-hint`} class={problem ? 'hint field-problem' : 'hint'} role={problem ? 'alert' : undefined}>
        {problem ?? hint}
      </span>
    </div>
  );
}

/** System prompt and sampling for this conversation, sent with every request; the defaults for new chats. */
export function SettingsPanel({ settings, defaults, onChange, onSaveDefaults, onResetToDefaults }: Props) {
  const differs = (key: keyof ChatSettings) => settings[key] !== defaults[key];
  const anyDiffers = (Object.keys(defaults) as (keyof ChatSettings)[]).some(differs);
  const field = (key: 'temperature' | 'top_p' | 'max_tokens' | 'top_k' | 'min_p' | 'frequency_penalty' | 'presence_penalty' | 'repetition_penalty' | 'seed', props: Omit<FieldProps, 'value' | 'fallback' | 'differs' | 'onValue'>, toValue: (v: number | null) => number | null = (v) => v) => (
    <NumberField {...props} value={settings[key]} fallback={defaults[key]} differs={differs(key)} onValue={(v) => onChange({ [key]: toValue(v) } as Partial<ChatSettings>)} />
  );
  return (
    <section class="settings" aria-label="Conversation settings">
      <div class={`field wide${differs('systemPrompt') ? ' differs' : ''}`}>
        <label for="system-prompt">
          System prompt{differs('systemPrompt') && <span class="differs-mark"> · this chat only</span>}
        </label>
        <textarea id="system-prompt" rows={3} value={settings.systemPrompt} placeholder="e.g. You are a concise assistant. Answer in French." onChange={(e) => onChange({ systemPrompt: (e.target as HTMLTextAreaElement).value })} />
      </div>
      {field('temperature', { id: 's-temperature', label: 'Temperature', min: 0, max: 2, step: 0.05, hint: '0 = deterministic; 0.7 suits Mistral chat' })}
      {field('top_p', { id: 's-top-p', label: 'Top p', min: 0.01, max: 1, step: 0.01, hint: 'nucleus sampling' })}
      {field('max_tokens', { id: 's-max-tokens', label: 'Max reply tokens', min: 16, max: 4096, step: 16, hint: 'longer replies stop with “length”' }, (v) => (v === null ? v : Math.round(v)))}
      {field('top_k', { id: 's-top-k', label: 'Top k', min: 0, max: 1000, step: 1, hint: 'empty = off', emptyIsOff: true }, (v) => (v ? Math.round(v) : null))}
      {field('min_p', { id: 's-min-p', label: 'Min p', min: 0, max: 1, step: 0.01, hint: 'empty = off', emptyIsOff: true }, (v) => v || null)}
      {field('frequency_penalty', { id: 's-frequency', label: 'Frequency penalty', min: -2, max: 2, step: 0.1, hint: '−2 to 2' })}
      {field('presence_penalty', { id: 's-presence', label: 'Presence penalty', min: -2, max: 2, step: 0.1, hint: '−2 to 2' })}
      {field('repetition_penalty', { id: 's-repetition', label: 'Repetition penalty', min: 0.5, max: 2, step: 0.05, hint: 'empty = model default', emptyIsOff: true })}
      {field('seed', { id: 's-seed', label: 'Seed', min: 0, max: 2 ** 31, step: 1, hint: 'same seed + prompt = same reply', emptyIsOff: true }, (v) => (v === null ? null : Math.round(v)))}
      <div class="field wide settings-actions">
        <p class="hint">{anyDiffers ? 'This chat differs from your defaults where marked.' : 'This chat uses your defaults.'}</p>
        <button type="button" disabled={!anyDiffers} onClick={onSaveDefaults}>
          Use these for new chats
        </button>
        <button type="button" disabled={!anyDiffers} onClick={onResetToDefaults}>
          Reset this chat to my defaults
        </button>
      </div>
    </section>
  );
}
