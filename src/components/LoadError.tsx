import type { LoadFailureKind } from '../../protocol/contract';

interface Props {
  modelId: string;
  kind: LoadFailureKind;
  message: string;
  onRetry(): void;
  onTakeOver(): void;
  onDismiss(): void;
}

/** A failed load: what happened, and the ways out (retry, another model). */
export function LoadError({ modelId, kind, message, onRetry, onTakeOver, onDismiss }: Props) {
  const elsewhere = kind === 'in-use-elsewhere';
  return (
    <section class="notice notice-error" role="alert" data-kind={kind}>
      <h2>{elsewhere ? `${modelId} is in use in another tab` : `Could not load ${modelId}`}</h2>
      <p>{message}</p>
      <div class="actions">
        {elsewhere ? (
          <button type="button" onClick={onTakeOver}>
            Use the model here
          </button>
        ) : (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        )}
        <button type="button" onClick={onDismiss}>
          Pick another model
        </button>
      </div>
    </section>
  );
}
