import { engineFailure, generating, gpu, pendingUpdate } from '../state/app-state';
import { restartAndReload } from '../state/model-actions';
import { GpuNotice } from './GpuNotice';

/** What the user must know before chatting: a new version, a stopped engine, the GPU. */
export function EngineNotices() {
  const detected = gpu.value;
  return (
    <>
      {pendingUpdate.value && (
        <p class="notice notice-warn" role="status" data-testid="update-ready">
          A new version of the app is ready.{' '}
          <button type="button" onClick={pendingUpdate.value} disabled={generating.value}>
            Reload to update
          </button>
        </p>
      )}
      {engineFailure.value && (
        <section class="notice notice-error engine-stopped" role="alert" data-testid="engine-stopped">
          <h2>The engine stopped</h2>
          <p>{engineFailure.value} Your conversations and the reply so far are kept.</p>
          <button type="button" onClick={() => void restartAndReload()}>
            Restart engine
          </button>
        </section>
      )}
      {detected && <GpuNotice gpu={detected} />}
    </>
  );
}
