import type { LoadProgress as Progress } from '../../protocol/contract';
import { formatBytes, formatDuration, formatPercent } from '../format';

interface Props {
  modelId: string;
  progress: Progress | null;
  bytesPerSecond: number | null;
  /** No byte for a few seconds: the network is down or stuck (the download resumes by itself or fails with a message). */
  stalled?: boolean;
  onCancel(): void;
}

const STAGE_LABEL: Record<Progress['stage'], string> = {
  prepare: 'Preparing',
  download: 'Downloading weights',
  'gpu-upload': 'Loading onto the GPU',
  ready: 'Ready',
};

/** A model load in numbers: bytes, percentage, speed, time left. */
export function LoadProgress({ modelId, progress, bytesPerSecond, stalled = false, onCancel }: Props) {
  const fraction = progress?.fraction ?? 0;
  const stage = progress?.stage ?? 'prepare';
  const downloading = stage === 'download' && progress && progress.bytesTotal > 0;
  const remaining = downloading && bytesPerSecond && bytesPerSecond > 0 ? (progress.bytesTotal - progress.bytesDone) / bytesPerSecond : null;
  return (
    <section class="load-progress" aria-label={`Loading ${modelId}`}>
      <p>
        <strong>{STAGE_LABEL[stage]}</strong> · {modelId}
      </p>
      <progress max={1} value={fraction} aria-valuetext={formatPercent(fraction)} />
      <p class="load-numbers" data-testid="load-numbers">
        {downloading
          ? `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)} (${formatPercent(fraction)})`
          : formatPercent(fraction)}
        {stalled ? ' · stalled: no data for a few seconds, waiting for the network' : ''}
        {!stalled && downloading && bytesPerSecond ? ` · ${formatBytes(bytesPerSecond)}/s` : ''}
        {!stalled && remaining !== null ? ` · ${formatDuration(remaining)} left` : ''}
      </p>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}
