// Fuzzing the API as clients reach it: valid requests (any combination of
// parameters within their ranges), near-valid ones (a valid request with one
// parameter made invalid) and garbage, alternately over HTTP (the local
// fetch) and over comlink. The report counts what must stay zero: crashes,
// 5xx answers, malformed answers, successful answers that break the response
// schema (OpenAI's spec, when ../shared/specs is there), invalid values accepted.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEngine, MODEL, SERVER, weatherTool, type LocalEngine } from '../support/clients';
import { specsPresent, violations } from '../support/specs';

const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);

let engine: LocalEngine;
beforeAll(async () => {
  engine = await localEngine();
});
afterAll(() => engine?.harness.close());

const text = fc.string({ maxLength: 40 });
const message = fc.oneof(
  text.map((content) => ({ role: 'user', content })),
  fc.array(text, { minLength: 1, maxLength: 3 }).map((parts) => ({ role: 'user', content: parts.map((t) => ({ type: 'text', text: t })) })),
);
const conversation = fc.oneof(
  message.map((m) => [m]),
  fc.tuple(fc.constantFrom('system', 'developer'), text, message).map(([role, s, m]) => [{ role, content: s }, m]),
  fc.tuple(message, text, message).map(([a, reply, b]) => [a, { role: 'assistant', content: reply, refusal: null }, b]),
  fc.tuple(message, text.filter((t) => t.trim() !== '')).map(([a, prefix]) => [a, { role: 'assistant', content: prefix, prefix: true }]),
);

/** Every parameter, each within its documented range. */
const params = fc.record(
  {
    stream: fc.boolean(),
    n: fc.integer({ min: 1, max: 3 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    top_p: fc.double({ min: 0.01, max: 1, noNaN: true }),
    top_k: fc.integer({ min: 0, max: 50 }),
    min_p: fc.double({ min: 0, max: 1, noNaN: true }),
    max_tokens: fc.integer({ min: 1, max: 30 }),
    stop: fc.oneof(text.filter((t) => t !== ''), fc.array(text.filter((t) => t !== ''), { minLength: 1, maxLength: 4 })),
    seed: fc.integer(),
    frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    repetition_penalty: fc.double({ min: 0.5, max: 2, noNaN: true }),
    logit_bias: fc.dictionary(fc.integer({ min: 0, max: 30 }).map(String), fc.integer({ min: -100, max: 100 }), { maxKeys: 3 }),
    logprobs: fc.constant(true),
    user: text,
    store: fc.boolean(),
    metadata: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), text, { maxKeys: 2 }),
    safe_prompt: fc.boolean(),
    response_format: fc.constantFrom({ type: 'text' }, { type: 'json_object' }, { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } } }),
  },
  { requiredKeys: [] },
);

const toolParams = fc.record({ tools: fc.constant([weatherTool]), tool_choice: fc.constantFrom('auto', 'required', 'any', 'none', { type: 'function', function: { name: 'get_weather' } }), parallel_tool_calls: fc.boolean() }, { requiredKeys: ['tools'] });

const valid = fc.tuple(conversation, params, fc.option(toolParams, { nil: null })).map(([messages, p, tools]) => {
  const request: Record<string, unknown> = { model: MODEL, messages, ...p, ...(tools ?? {}) };
  if (request.stream !== true) delete request.stream_options;
  if (tools && tools.tool_choice !== 'none' && tools.tool_choice !== 'auto') delete request.response_format;
  if (tools && request.response_format) delete request.response_format;
  const last = (messages as { prefix?: boolean }[]).at(-1);
  if (last?.prefix && request.response_format) delete request.response_format;
  if (last?.prefix && tools && tools.tool_choice !== 'auto' && tools.tool_choice !== 'none') delete request.tools, delete request.tool_choice, delete request.parallel_tool_calls;
  return request;
});

/** One parameter made invalid, and the param the 400 must name. */
const MUTATIONS: [string, unknown][] = [
  ['temperature', -1], ['temperature', 3], ['temperature', 'hot'], ['top_p', 0], ['top_p', 1.5], ['top_k', -1], ['top_k', 2.5], ['min_p', 2],
  ['max_tokens', 0], ['max_tokens', 1.5], ['max_completion_tokens', -3], ['stop', 3], ['stop', ['a', 'b', 'c', 'd', 'e']], ['stop', ''], ['seed', 1.5], ['random_seed', 'x'],
  ['n', 0], ['n', 9], ['frequency_penalty', 3], ['presence_penalty', -3], ['repetition_penalty', 0], ['logit_bias', { x: 1 }], ['logit_bias', { 1: 200 }],
  ['logprobs', 'yes'], ['response_format', { type: 'xml' }], ['response_format', 'json'], ['tool_choice', 'maybe'], ['tools', []], ['parallel_tool_calls', 'yes'],
  ['user', 5], ['store', 'no'], ['metadata', 'x'], ['service_tier', 3], ['safe_prompt', 'x'], ['stream', 'yes'], ['messages', []], ['messages', 'hi'], ['model', ''],
  ['prediction', { type: 'content', content: 'x' }], ['frobnicate', 1],
];
const nearValid = fc.tuple(valid, fc.constantFrom(...MUTATIONS)).map(([request, [param, value]]) => {
  const mutated: Record<string, unknown> = { ...request, [param]: value };
  // tool_choice needs tools to be judged on its own value.
  if (param === 'tool_choice') mutated.tools = [weatherTool];
  return { request: mutated, param };
});

const garbage = fc.oneof(fc.jsonValue(), fc.object(), fc.record({ model: fc.anything(), messages: fc.anything() }), fc.record({ model: fc.constant(MODEL), messages: fc.array(fc.object(), { maxLength: 3 }) }));

interface Report {
  requests: number;
  crashes: number;
  serverErrors: number;
  malformed: number;
  schemaBreaks: number;
  invalidAccepted: number;
  problems: string[];
}

const report: Report = { requests: 0, crashes: 0, serverErrors: 0, malformed: 0, schemaBreaks: 0, invalidAccepted: 0, problems: [] };
const note = (key: keyof Omit<Report, 'requests' | 'problems'>, detail: string) => {
  report[key]++;
  if (report.problems.length < 10) report.problems.push(`${key}: ${detail.slice(0, 300)}`);
};

function checkSuccess(body: Record<string, unknown>, streamed: boolean, request: unknown): void {
  const shapeOk = streamed ? body.object === 'chat.completion.chunk' : body.object === 'chat.completion' && Array.isArray(body.choices);
  if (!shapeOk) note('malformed', JSON.stringify(body));
  if (!specsPresent) return;
  const found = violations('openai', streamed ? 'CreateChatCompletionStreamResponse' : 'CreateChatCompletionResponse', body);
  if (found.length > 0) note('schemaBreaks', `${found[0]} for ${JSON.stringify(request)}`);
}

/** Sends over HTTP; returns the status and the (parsed) answer. */
async function overHttp(request: unknown): Promise<{ status: number; error?: { param?: string | null }; ok?: boolean }> {
  const response = await engine.fetch(`${SERVER}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(request) });
  if (response.status >= 500) note('serverErrors', `${response.status} ${await response.clone().text()}`);
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const text = await response.text();
    if (!text.trimEnd().endsWith('data: [DONE]')) note('malformed', text.slice(-200));
    for (const event of text.split('\n\n').filter((e) => e.startsWith('data: {'))) checkSuccess(JSON.parse(event.slice(6)), true, request);
    return { status: 200, ok: true };
  }
  let body: Record<string, unknown>;
  try {
    body = await response.json();
  } catch {
    note('malformed', `not JSON (${response.status})`);
    return { status: response.status };
  }
  if (response.ok) {
    checkSuccess(body, false, request);
    return { status: 200, ok: true };
  }
  const error = body.error as { message?: unknown; param?: string | null } | undefined;
  if (typeof error?.message !== 'string' || body.object !== 'error') note('malformed', JSON.stringify(body));
  return { status: response.status, error };
}

/** Sends over comlink; an error must be one of ours, never a raw DataCloneError or TypeError. */
async function overComlink(request: unknown): Promise<{ status: number; error?: { param?: string | null }; ok?: boolean }> {
  try {
    const result = await engine.harness.client.chat.completions.create(request as never);
    if (Symbol.asyncIterator in result) for await (const chunk of result) checkSuccess(chunk as never, true, request);
    else checkSuccess(result as never, false, request);
    return { status: 200, ok: true };
  } catch (error) {
    const e = error as { name?: string; status?: number; param?: string | null };
    if (e.name !== 'ApiError') {
      note('crashes', `${e.name}: ${(error as Error).message}`);
      return { status: 0 };
    }
    if ((e.status ?? 0) >= 500) note('serverErrors', `${e.status} ${(error as Error).message}`);
    return { status: e.status ?? 0, error: e };
  }
}

describe(`fuzzing ${RUNS} requests over HTTP and comlink`, () => {
  it('no crash, no 5xx, nothing malformed, no schema break, no invalid value accepted', async () => {
    let i = 0;
    const send = (request: unknown) => (i++ % 2 === 0 ? overHttp(request) : overComlink(request));
    const kinds = fc.oneof(
      { weight: 4, arbitrary: valid.map((request) => ({ kind: 'valid' as const, request, param: null as string | null })) },
      { weight: 4, arbitrary: nearValid.map(({ request, param }) => ({ kind: 'near' as const, request, param: param as string | null })) },
      { weight: 2, arbitrary: garbage.map((request) => ({ kind: 'garbage' as const, request, param: null as string | null })) },
    );
    await fc.assert(
      fc.asyncProperty(kinds, async ({ kind, request, param }) => {
        report.requests++;
        let answer: Awaited<ReturnType<typeof overHttp>>;
        try {
          answer = await send(request);
        } catch (error) {
          note('crashes', `${(error as Error).name}: ${(error as Error).message}`);
          return;
        }
        if (kind === 'valid' && !answer.ok) note('malformed', `valid request refused: ${answer.status} ${JSON.stringify(answer.error)} for ${JSON.stringify(request)}`);
        const named = answer.error?.param === param || answer.error?.param?.startsWith(`${param}.`) || answer.error?.param?.startsWith(`${param}[`);
        if (kind === 'near' && (answer.ok || answer.status !== 400 || !named)) note('invalidAccepted', `${param}: ${answer.status} ${JSON.stringify(answer.error)} for ${JSON.stringify(request)}`);
      }),
      { numRuns: RUNS },
    );
    // The engine answers after all of it.
    await expect(engine.harness.client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'still there?' }] })).resolves.toMatchObject({ object: 'chat.completion' });
    console.log(
      `fuzz: ${report.requests} requests — crashes ${report.crashes}, 5xx ${report.serverErrors}, malformed ${report.malformed}, schema breaks ${report.schemaBreaks}, invalid accepted ${report.invalidAccepted}${specsPresent ? '' : ' (no specs: schema checked by shape only)'}`,
    );
    expect(report.problems).toEqual([]);
    expect(report.requests).toBeGreaterThanOrEqual(RUNS);
  }, 600_000);
});
