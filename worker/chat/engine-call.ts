// How one generation is asked of WebLLM: its chat path, or its text path for
// a prompt we rendered (an assistant prefix, a legacy completion); streamed,
// or whole when logprobs are wanted.
import type { ChatEngine, EngineCompletion, EngineNonStreamingRequest, EngineStreamingRequest, EngineTextCompletion, EngineTextNonStreamingRequest, EngineTextStreamingRequest } from '../engine/engine';
import type { RawChunk } from './generate';

/** A whole (non-streamed) engine reply as the one chunk generateChoice reads. */
function asChunk(reply: EngineCompletion | EngineTextCompletion): RawChunk {
  const choice = reply.choices[0]!;
  const content = 'message' in choice ? (choice.message.content ?? '') : choice.text;
  return { usage: reply.usage ?? null, choices: [{ delta: { content }, finish_reason: choice.finish_reason, logprobs: choice.logprobs ?? null }] };
}

/** A chat request's sampling settings as WebLLM's text-completion request for `prompt`. */
function toTextRequest(request: EngineStreamingRequest, prompt: string): EngineTextStreamingRequest {
  const { messages: _, response_format: __, ...sampling } = request;
  return { ...sampling, prompt, stream: true } as EngineTextStreamingRequest;
}

/**
 * Starts the generation. WebLLM's stream drops the logprobs of tokens that
 * complete no character (each chunk carries only the last token's), so with
 * logprobs the reply is asked for whole, which has them all, and arrives as one chunk.
 */
export async function startGeneration(engine: ChatEngine, request: EngineStreamingRequest, textPrompt: string | null, whole: boolean): Promise<AsyncIterable<RawChunk>> {
  if (!whole) return textPrompt === null ? engine.chatCompletion(request) : engine.completion(toTextRequest(request, textPrompt));
  const reply =
    textPrompt === null
      ? await engine.chatCompletion({ ...request, stream: false, stream_options: undefined } as EngineNonStreamingRequest)
      : await engine.completion({ ...toTextRequest(request, textPrompt), stream: false, stream_options: undefined } as EngineTextNonStreamingRequest);
  return (async function* () {
    yield asChunk(reply);
  })();
}
