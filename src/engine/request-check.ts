// Checks a request before it crosses to the worker. postMessage copies it by
// structured clone, which throws a bare DataCloneError for a function or a
// Symbol, runs (and can be broken by) getters, and overflows its own stack on
// very deep values; a sparse array would arrive with holes the validator never
// sees. Each becomes an ApiError naming the parameter, as the worker's own
// validation would.
import { ApiError } from '../../protocol/errors';

/** Deeper than this, structured cloning (postMessage) itself overflows the stack. */
export const MAX_REQUEST_DEPTH = 64;
const MAX_REQUEST_NODES = 1_000_000;

function path(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;
}

/** Walks the request without recursion; throws an ApiError at the first value that cannot cross. */
export function checkTransferable(request: unknown): void {
  if (typeof request !== 'object' || request === null) return;
  const stack: [unknown, string, number][] = [[request, '', 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, at, depth] = stack.pop()!;
    const param = at || 'body';
    if (typeof node === 'function' || typeof node === 'symbol') {
      throw new ApiError(`'${param}' is a ${typeof node}, which cannot be sent to the engine; send JSON values only.`, 400, param, 'invalid_type');
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_REQUEST_DEPTH) {
      const top = at.split(/[.[]/)[0] || 'body';
      throw new ApiError(`'${top}' is nested more than ${MAX_REQUEST_DEPTH} levels deep.`, 400, top, 'request_too_deep');
    }
    // A cycle is caught by the depth limit; shared values that fan out, by this one.
    if (++nodes > MAX_REQUEST_NODES) throw new ApiError(`The request holds more than ${MAX_REQUEST_NODES} values.`, 400, 'body', 'request_too_large');
    const entries: [string | number, unknown][] = [];
    const keys: (string | number)[] = Array.isArray(node) ? Array.from({ length: node.length }, (_, i) => i) : Object.keys(node);
    for (const key of keys) {
      if (Array.isArray(node) && !((key as number) in node)) throw new ApiError(`'${path(at, key)}' is a hole in a sparse array; send a dense array.`, 400, path(at, key), 'invalid_type');
      try {
        entries.push([key, (node as Record<string | number, unknown>)[key]]);
      } catch (error) {
        throw new ApiError(`'${path(at, key)}' could not be read (${(error as Error)?.message ?? 'a getter threw'}); send plain JSON values.`, 400, path(at, key), 'invalid_value');
      }
    }
    for (const [key, value] of entries) stack.push([value, path(at, key), depth + 1]);
  }
}
