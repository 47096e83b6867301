// Chunks as Server-Sent Events, ending with `data: [DONE]`. Cancelling the
// body stops the generation; so does the request's signal, which also errors
// the body with AbortError, as a network fetch's body does.
//
// A failure mid-stream (the GPU lost, the engine stopped) is one event that
// both dialects read, then the body ends with an error instead of [DONE]:
// the event is an OpenAI error object (`error: {…}`; OpenAI's client throws
// an APIError) and at the same time a valid Mistral chunk whose choice ends
// with finish_reason "error" (Mistral's SDK reads it, then throws the body's
// error). See docs/api.md.
import { statusAndBody } from './responses';

const encoder = new TextEncoder();

const abortError = () => new DOMException('The operation was aborted.', 'AbortError');

interface Chunk {
  id?: string;
  model?: string;
  created?: number;
  object?: string;
}

export function sseBody(chunks: AsyncIterable<Chunk> & { abort(): void }, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  let last: Chunk = {};
  let failed: Error | null = null;
  // The abort listener comes off the signal when the body ends: a caller's signal may outlive many requests.
  let forgetSignal = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onAbort = () => {
        chunks.abort();
        controller.error(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      forgetSignal = () => signal?.removeEventListener('abort', onAbort);
    },
    async pull(controller) {
      if (failed) {
        // The error event has been read: now end the body with the error.
        forgetSignal();
        controller.error(failed);
        return;
      }
      try {
        const step = await iterator.next();
        if (step.done) {
          forgetSignal();
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          controller.close();
          return;
        }
        last = step.value;
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(step.value)}\n\n`));
      } catch (error) {
        const { body } = statusAndBody(error);
        const event = {
          ...body,
          id: last.id ?? 'error',
          object: last.object ?? 'chat.completion.chunk',
          created: last.created ?? Math.floor(Date.now() / 1000),
          model: last.model ?? '',
          choices: [{ index: 0, delta: {}, finish_reason: 'error' }],
        };
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
        failed = Object.assign(new Error(body.message), { name: 'StreamError', code: body.code, type: body.type });
      }
    },
    cancel() {
      forgetSignal();
      chunks.abort();
    },
  });
}
