// The package entry for sites that embed the engine: the worker-backed client,
// the OpenAI-style fetch adapter, and the contract's types. Importing it starts
// the engine worker (WebLLM stays in the worker chunk).
export { engine, onEngineStopped, restartEngine } from './engine/bridge';
export { ChunkStream, createEngineClient, type EngineClient, type RequestOptions } from './engine/client';
export { createLocalFetch } from './http/local-fetch';
export type * from '../protocol/contract';
