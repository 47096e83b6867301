// A generation as the ReadableStream that crosses the worker boundary
// (transferred): pulled one item at a time, so a slow reader slows nothing
// but itself; cancelling it (Stop, an AbortSignal) interrupts the engine.
import type { StreamItem } from '../../protocol/contract';
import { toPlainError } from '../../protocol/errors';
import { classifyGenerationError } from './generation-errors';
import type { Slot } from './request-queue';

/**
 * Waits for the first item, so that errors before any output (queue abort,
 * prompt too long) reject the caller's `create` with a typed error; later
 * errors travel on the stream as plain objects.
 */
export async function streamCompletion(items: AsyncGenerator<StreamItem, void, undefined>, slot: Slot, includeUsage: boolean, abort: () => void): Promise<ReadableStream<StreamItem>> {
  let cancelled = false;
  let pending: IteratorResult<StreamItem, void> | null = await items.next();
  return new ReadableStream<StreamItem>(
    {
      async pull(controller) {
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
            if (step.value.object === 'chat.completion.chunk' && step.value.choices.length === 0 && !includeUsage) continue;
            controller.enqueue(step.value);
            return;
          }
        } catch (error) {
          slot.release();
          if (!cancelled) controller.error(toPlainError(classifyGenerationError(error)));
        }
      },
      async cancel() {
        // The reader went away (Stop in the UI): interrupt and drain so the engine is free.
        cancelled = true;
        abort();
        try {
          for await (const _ of items) void _;
        } catch {
          // The drain ends with the abort; nobody is listening any more.
        } finally {
          slot.release();
        }
      },
    },
    { highWaterMark: 8 },
  );
}
