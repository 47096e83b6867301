// The package's main entry, for sites that embed the engine: the worker-backed
// client, the OpenAI-style fetch adapter, the errors it throws, and the
// contract's types. Importing it starts the engine worker; WebLLM stays in the
// worker and is fetched there on the first model load.
export { engine, onEngineStopped, restartEngine } from '../engine/bridge';
export { ChunkStream, createEngineClient, type EngineClient, type RequestOptions } from '../engine/client';
export { createLocalFetch } from '../http/local-fetch';
export { ApiError, EngineStoppedError, ModelLoadError, RequestAbortedError, isAbortError, isApiError, isEngineStopped, isModelLoadError } from '../../protocol/errors';
export type * from '../../protocol/contract';
