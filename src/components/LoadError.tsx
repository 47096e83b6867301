import type { LoadFailureKind } from '../../worker/contract';

interface Props {
  modelId: string;
  kind: LoadFailureKind;
  message: string;
  onRetry(): void;
  onDismiss(): void;
}

/** A failed load: what happened, and the ways out (retry, another model). */
export function LoadError({ modelId, kind, message, onRetry, onDismiss }: Props) {
  return (
    <section class="notice notice-error" role="alert" data-kind={kind}>
      <h2>Could not load {modelId}</h2>
      <p>{message}</p>
      <div class="actions">
        <button type="button" onClick={onRetry}>
          Retry
        </button>
        <button type="button" onClick={onDismiss}>
          Pick another model
        </button>
      </div>
    </section>
  );
}
