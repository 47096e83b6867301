import { useEffect, useRef, useState } from 'preact/hooks';
import type { DeleteResult, StorageReport } from '../../protocol/contract';
import { formatBytes } from '../format';

interface Props {
  report: StorageReport | null;
  /** Documents attached in conversations (stored with them, apart from model files). */
  documents: { count: number; bytes: number } | null;
  lastDelete: DeleteResult | null;
  error: string | null;
  /** The model loaded or loading now: deleting it asks first. */
  inUse: string | null;
  onDelete(modelId: string): void;
  onPersist(): void;
}

function usage(e: { usage: number; quota: number } | null): string {
  return e ? `${formatBytes(e.usage)} used of ${formatBytes(e.quota)}` : 'unknown';
}

/** The cache manager: each cached model, its size, Delete; total use and quota; persistence. */
export function StoragePanel({ report, documents, lastDelete, error, inUse, onDelete, onPersist }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmButton.current?.focus(), [confirming]);
  if (!report) return <p class="hint">Reading storage…</p>;
  return (
    <section class="storage-panel" aria-label="Storage">
      <p data-testid="storage-usage">Storage: {usage(report.estimate)}.</p>
      {documents && documents.count > 0 && (
        <p data-testid="storage-documents">
          Attached documents: {documents.count === 1 ? 'one file' : `${documents.count} files`}, about {formatBytes(documents.bytes)} of text and index, kept with their conversations (deleting a conversation deletes its files).
        </p>
      )}
      <p data-testid="storage-persisted">
        {report.persisted === true
          ? 'The browser keeps these files (persistent storage granted).'
          : report.persisted === false
            ? 'The browser may delete these files when space runs low (persistent storage not granted).'
            : 'This browser does not say whether it keeps these files.'}{' '}
        {report.persisted === false && (
          <button type="button" onClick={onPersist}>
            Ask to keep them
          </button>
        )}
      </p>
      {report.models.length === 0 ? (
        <p class="hint">No model files are cached in this browser.</p>
      ) : (
        <table class="storage-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">On disk</th>
              <th scope="col">Files</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {report.models.map((m) => (
              <tr key={m.id} data-model-id={m.id}>
                <td>{m.displayName}</td>
                <td data-testid="bytes-on-disk">{formatBytes(m.bytesOnDisk)}</td>
                <td>
                  {m.shardsCached}/{m.shardsTotal} weight files{m.complete ? ', complete' : ', partial (resumes on next load)'}
                  {m.damagedShards > 0 && `; ${m.damagedShards} damaged (fetched again on the next load)`}
                </td>
                <td>
                  {confirming === m.id ? (
                    <span
                      class="confirm-delete"
                      role="group"
                      aria-label={`Delete ${m.displayName}?`}
                      onKeyDown={(e) => {
                        if (e.key === 'Escape') setConfirming(null);
                      }}
                    >
                      <span>It is in use: deleting unloads it.</span>{' '}
                      <button
                        type="button"
                        ref={confirmButton}
                        class="danger"
                        onClick={() => {
                          setConfirming(null);
                          onDelete(m.id);
                        }}
                      >
                        Unload and delete
                      </button>{' '}
                      <button type="button" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button type="button" onClick={() => (m.id === inUse ? setConfirming(m.id) : onDelete(m.id))} aria-label={`Delete ${m.displayName}`}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {lastDelete && (
        <p role="status" data-testid="delete-result">
          Deleted {lastDelete.modelId} ({lastDelete.removedFiles} files
          {lastDelete.cachedAfter ? '; WebLLM still finds it cached' : '; WebLLM confirms it is gone'}). Before: {usage(lastDelete.before)}. After: {usage(lastDelete.after)}. Your
          conversations are kept.
        </p>
      )}
      {error && (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
