import { useState } from 'preact/hooks';
import type { GpuReport } from '../../protocol/contract';

const DISMISSED = 'mistral-local:software-gpu-notice-dismissed';

/** Says plainly when this browser cannot run a model, and what can. */
export function GpuNotice({ gpu }: { gpu: GpuReport }) {
  // The software-adapter warning can be put away (for this tab); the picker still says it per model.
  const [dismissed, setDismissed] = useState(() => sessionStorage.getItem(DISMISSED) === '1');
  if (gpu.status === 'ok') {
    if (!gpu.isFallback || dismissed) return null;
    return (
      <p class="notice notice-warn" role="status">
        WebGPU is running on a software adapter ({gpu.architecture || gpu.vendor}), not a real GPU. Models can be listed but will be far too slow to chat with.{' '}
        <button
          type="button"
          onClick={() => {
            sessionStorage.setItem(DISMISSED, '1');
            setDismissed(true);
          }}
        >
          Got it
        </button>
      </p>
    );
  }
  const reason =
    gpu.status === 'no-webgpu-api'
      ? 'This browser does not offer WebGPU.'
      : 'This browser offers WebGPU, but no usable GPU adapter was found (the GPU may be blocklisted, or hardware acceleration is off).';
  return (
    <section class="notice notice-error" role="alert" aria-labelledby="no-webgpu-title">
      <h2 id="no-webgpu-title">WebGPU is not available</h2>
      <p>{reason} Mistral models run on your GPU through WebGPU, so they cannot be loaded here. Your saved conversation is still shown below.</p>
      <p>Browsers that work:</p>
      <ul>
        <li>Chrome or Edge 113+ on Windows, macOS and ChromeOS (on Linux, enable <code>chrome://flags/#enable-unsafe-webgpu</code> and Vulkan).</li>
        <li>Safari 26+ on macOS and iOS.</li>
        <li>Firefox 141+ on Windows.</li>
      </ul>
      <p>Check that hardware acceleration is on in the browser settings, then reload.</p>
    </section>
  );
}
