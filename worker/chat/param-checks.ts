// Small checks shared by the request validators: each throws an ApiError
// naming the parameter (invalidParam) or returns the checked value.
import { invalidParam } from '../../protocol/errors';

const MAX_STOP_SEQUENCES = 4;
/** Schemas are walked without recursion and capped, so a hostile one cannot stall or overflow the worker. */
export const MAX_SCHEMA_DEPTH = 32;
export const MAX_SCHEMA_CHARS = 100_000;

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function present(request: Json, key: string): boolean {
  return Object.hasOwn(request, key) && request[key] !== undefined && request[key] !== null;
}

export function numberIn(request: Json, key: string, min: number, max: number, integer = false): number | undefined {
  if (!present(request, key)) return undefined;
  const value = request[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidParam(key, `'${key}' must be a number, got ${describe(value)}.`, 'invalid_type');
  }
  if (integer && !Number.isInteger(value)) {
    throw invalidParam(key, `'${key}' must be an integer, got ${value}.`, 'invalid_type');
  }
  if (value < min || value > max) {
    throw invalidParam(key, `'${key}' must be between ${min} and ${max}, got ${value}.`);
  }
  return value;
}

export function booleanParam(request: Json, key: string): boolean | undefined {
  if (!present(request, key)) return undefined;
  if (typeof request[key] !== 'boolean') {
    throw invalidParam(key, `'${key}' must be a boolean, got ${describe(request[key])}.`, 'invalid_type');
  }
  return request[key] as boolean;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}

export function validateStop(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && s.length > 0)) {
    throw invalidParam('stop', "'stop' must be a non-empty string or an array of non-empty strings.", 'invalid_type');
  }
  if (list.length > MAX_STOP_SEQUENCES) {
    throw invalidParam('stop', `'stop' accepts at most ${MAX_STOP_SEQUENCES} sequences, got ${list.length}.`);
  }
  return list as string[];
}

export function validateLogitBias(value: unknown): Record<string, number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalidParam('logit_bias', "'logit_bias' must be an object mapping token ids to numbers.", 'invalid_type');
  // Built on a null-prototype object: keys like "__proto__" cannot reach Object.prototype.
  const bias: Record<string, number> = Object.create(null);
  for (const [token, amount] of Object.entries(value)) {
    if (!/^\d+$/.test(token)) throw invalidParam('logit_bias', `logit_bias keys must be token ids (integers), got ${JSON.stringify(token.slice(0, 40))}.`);
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < -100 || amount > 100) {
      throw invalidParam('logit_bias', `logit_bias[${token}] must be a number between -100 and 100.`);
    }
    bias[token] = amount;
  }
  return { ...bias };
}

export function checkSchema(schema: unknown, param: string): void {
  const stack: [unknown, number][] = [[schema, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_SCHEMA_DEPTH) throw invalidParam(param, `${param} is nested more than ${MAX_SCHEMA_DEPTH} levels deep.`, 'schema_too_complex');
    if (++nodes > MAX_SCHEMA_CHARS / 10) throw invalidParam(param, `${param} is too large.`, 'schema_too_complex');
    if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  if (JSON.stringify(schema).length > MAX_SCHEMA_CHARS) throw invalidParam(param, `${param} is larger than ${MAX_SCHEMA_CHARS} characters.`, 'schema_too_complex');
}

