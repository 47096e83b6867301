// The engine seam: the API layer talks to this interface, never to MLCEngine
// directly. WebLLM's MLCEngine satisfies it as-is (pinned by a type test), and
// so does the deterministic test engine under test/support.
import type { AppConfig, MLCEngineInterface } from '@mlc-ai/web-llm';

export type ChatEngine = Pick<
  MLCEngineInterface,
  | 'reload'
  | 'unload'
  | 'chatCompletion'
  | 'completion'
  | 'interruptGenerate'
  | 'runtimeStatsText'
  | 'setInitProgressCallback'
  | 'setAppConfig'
  | 'embedding'
>;

/**
 * Builds the engine the worker owns. The production build binds it to WebLLM.
 * (No logit-processor registry: see logit-processor.ts.)
 */
export type CreateEngine = (appConfig: AppConfig) => ChatEngine;

export type {
  AppConfig,
  ModelRecord,
  InitProgressReport,
  ChatCompletionRequest as EngineRequest,
  ChatCompletionRequestStreaming as EngineStreamingRequest,
  ChatCompletionRequestNonStreaming as EngineNonStreamingRequest,
  ChatCompletion as EngineCompletion,
  ChatCompletionChunk as EngineChunk,
  CompletionCreateParams as EngineTextRequest,
  CompletionCreateParamsStreaming as EngineTextStreamingRequest,
  CompletionCreateParamsNonStreaming as EngineTextNonStreamingRequest,
  Completion as EngineTextCompletion,
  EmbeddingCreateParams as EngineEmbeddingRequest,
  CreateEmbeddingResponse as EngineEmbeddingResponse,
} from '@mlc-ai/web-llm';
