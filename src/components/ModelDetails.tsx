import type { ModelInfo } from '../../protocol/contract';
import { formatBytes } from '../format';
import { gpu } from '../state/app-state';

/** What a model costs before you click: size, memory, context, cache, and whether it fits this device. */
export function ModelDetails({ model }: { model: ModelInfo }) {
  const report = gpu.value;
  const onCpu = report?.status === 'ok' && report.isFallback;
  const size = model.downloadBytes === null ? 'unknown' : `${model.downloadBytesExact ? '' : '≈ '}${formatBytes(model.downloadBytes)}`;
  return (
    <dl class="model-details" data-testid="model-details">
      <dt>Parameters</dt>
      <dd>{model.parameters}</dd>
      <dt>Quantization</dt>
      <dd>{model.quantization}</dd>
      <dt>Download</dt>
      <dd>
        {model.cached === 'full' ? 'cached in this browser (no download)' : model.cached === 'partial' ? `${size}, partly cached (resumes)` : size}
        {!model.downloadBytesExact && model.cached !== 'full' ? ' (estimate)' : ''}
      </dd>
      <dt>GPU memory</dt>
      <dd>{model.vramRequiredMB ? formatBytes(model.vramRequiredMB * 1024 * 1024) : 'unknown'}</dd>
      <dt>Context</dt>
      <dd>{model.contextWindow ? `${model.contextWindow} tokens` : 'unknown'}</dd>
      <dt>This device</dt>
      <dd data-testid="model-fit">
        {!model.supported
          ? `Cannot run here: ${model.unsupportedReason}`
          : model.memoryWarning
            ? `May not fit: ${model.memoryWarning}`
            : model.recommended
              ? 'Recommended for this device.'
              : onCpu
                ? 'Runs here only on the CPU (a software WebGPU adapter): expect well under a few tokens a second, so nothing is recommended on this device.'
                : 'Can run here.'}
      </dd>
    </dl>
  );
}
