// Turns what WebLLM throws during a generation into OpenAI-shaped errors.
// WebLLM sets a distinct `name` on each error class, so we branch on names.
import { ApiError } from '../../protocol/errors';

/** A failure during generation as an OpenAI-shaped ApiError. */
export function classifyGenerationError(error: unknown): Error {
  if (!(error instanceof Error)) return new ApiError(String(error), 500, null, 'engine_error');
  switch (error.name) {
    case 'ApiError':
    case 'AbortError':
      return error;
    case 'ContextWindowSizeExceededError':
      return new ApiError(`The conversation is longer than the model's context window. ${error.message.split('\n')[0]}`, 400, 'messages', 'context_length_exceeded');
    case 'ModelNotLoadedError':
      return new ApiError('No model is loaded. Load a model before sending requests.', 503, 'model', 'model_not_loaded');
    case 'DeviceLostError':
      return new ApiError('The GPU device was lost; reload the model.', 503, null, 'device_lost');
    case 'EngineStoppedError':
      return error;
  }
  return new ApiError(`The engine failed: ${error.message}`, 500, null, 'engine_error');
}
