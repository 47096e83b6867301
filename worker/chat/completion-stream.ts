// A generation as the ReadableStream that crosses the worker boundary
// (transferred): the engine runs up to 64 items ahead of the reader, so a page
// busy for a moment (a long layout, a tab switch) does not slow generation,
// and a reader that stopped reading holds at most that much; cancelling it
// (Stop, an AbortSignal) interrupts the engine.
import { ApiError, toPlainError } from '../../protocol/errors';
import { classifyGenerationError } from './generation-errors';
import type { Slot } from './request-queue';

/** How long a stream may go unread (its queue full) before its generation is stopped. */
export const ABANDON_AFTER_MS = 30_000;

/**
 * Waits for the first item, so that errors before any output (queue abort,
 * prompt too long) reject the caller's `create` with a typed error; later
 * errors travel on the stream as plain objects.
 */
export async function streamCompletion<I extends { object: string; choices?: unknown[] }>(
  items: AsyncGenerator<I, void, undefined>,
  slot: Slot,
  includeUsage: boolean,
  abort: () => void,
  abandonAfterMs = ABANDON_AFTER_MS,
): Promise<ReadableStream<I>> {
  let cancelled = false;
  let pending: IteratorResult<I, void> | null = await items.next();
  // A reader that stops reading without cancelling (a client that drops the stream) would hold
  // the one engine: when nothing is pulled for `abandonAfterMs` while the queue is full, stop.
  let abandon: ReturnType<typeof setTimeout> | undefined;
  const watch = (controller: ReadableStreamDefaultController<I>) => {
    clearTimeout(abandon);
    if ((controller.desiredSize ?? 1) > 0) return;
    abandon = setTimeout(() => {
      cancelled = true;
      abort();
      controller.error(toPlainError(new ApiError(`Nobody read this stream for ${Math.round(abandonAfterMs / 1000)} s, so the generation was stopped to free the engine.`, 408, null, 'stream_abandoned')));
      void drain();
    }, abandonAfterMs);
  };
  const drain = async () => {
    try {
      for await (const _ of items) void _;
    } catch {
      // The drain ends with the abort; nobody is listening any more.
    } finally {
      slot.release();
    }
  };
  return new ReadableStream<I>(
    {
      async pull(controller) {
        clearTimeout(abandon);
        try {
          // Each pull enqueues one item or closes: a pull that did neither could leave a read waiting.
          for (;;) {
            const step = pending ?? (await items.next());
            pending = null;
            if (step.done) {
              slot.release();
              controller.close();
              return;
            }
            // The separate usage chunk (no choices) is only sent when the caller asked for it.
            if (step.value.object !== 'engine.stats' && step.value.choices?.length === 0 && !includeUsage) continue;
            controller.enqueue(step.value);
            watch(controller);
            return;
          }
        } catch (error) {
          slot.release();
          if (!cancelled) controller.error(toPlainError(classifyGenerationError(error)));
        }
      },
      async cancel() {
        // The reader went away (Stop in the UI): interrupt and drain so the engine is free.
        clearTimeout(abandon);
        cancelled = true;
        abort();
        await drain();
      },
    },
    { highWaterMark: 64 },
  );
}
