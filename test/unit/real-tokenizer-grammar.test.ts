// The real tokenizer and grammar engines WebLLM runs inside, on the tiny
// model's tokenizer.json (byte-level BPE with Mistral's control tokens):
// control tokens are single special tokens and decode as our tool-call parser
// expects; every response_format our API maps, and our tool-call grammar,
// compile in xgrammar, and random sampling under the grammar's mask always
// ends in output that parses and matches the schema.
import Ajv2020 from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateRequest } from '../../worker/chat/request-validation';
import { parseToolCalls, type ToolSetup } from '../../worker/chat/tool-calls';
import { mlcEngines, tinyTokenizer } from '../support/mlc-engines';

type Tokenizer = Awaited<ReturnType<typeof tinyTokenizer>>;
type Xgrammar = Awaited<ReturnType<typeof mlcEngines>>['xgrammar'];

const CONTROL = ['<s>', '</s>', '[INST]', '[/INST]', '[TOOL_CALLS]', '[AVAILABLE_TOOLS]', '[/AVAILABLE_TOOLS]', '[TOOL_RESULTS]', '[/TOOL_RESULTS]'];
const EOS = 2;

let tokenizer: Tokenizer;
let xgrammar: Xgrammar;
let compiler: Awaited<ReturnType<Xgrammar['GrammarCompiler']['createGrammarCompiler']>>;
let vocab: string[];

beforeAll(async () => {
  tokenizer = await tinyTokenizer();
  xgrammar = (await mlcEngines()).xgrammar;
  // As WebLLM does: the raw token table, post-processed as byte-level BPE (mlc-chat-config's tokenizer_info).
  vocab = Array.from({ length: tokenizer.getVocabSize() }, (_, i) => tokenizer.idToToken(i));
  const info = await xgrammar.TokenizerInfo.createTokenizerInfo(vocab, 'byte_level', false, vocab.length, [EOS]);
  compiler = await xgrammar.GrammarCompiler.createGrammarCompiler(info);
});

describe('the tiny model tokenizer', () => {
  it("encodes each of Mistral's control tokens as one special token", () => {
    for (const token of CONTROL) {
      const ids = Array.from(tokenizer.encode(`a ${token} b`));
      expect(ids.filter((id) => tokenizer.idToToken(id) === token)).toHaveLength(1);
    }
    const prompt = Array.from(tokenizer.encode('[INST] Hello [/INST]'));
    expect(tokenizer.idToToken(prompt[0]!)).toBe('[INST]');
    expect(tokenizer.idToToken(prompt.at(-1)!)).toBe('[/INST]');
  });

  it('decodes control tokens as text, which is what the tool-call parser reads', () => {
    const output = '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}}]';
    const decoded = tokenizer.decode(tokenizer.encode(output));
    expect(decoded).toBe(output);
    const setup: ToolSetup = { tools: [{ type: 'function', function: { name: 'get_weather' } }], choice: 'auto', parallel: true };
    expect(parseToolCalls(decoded, setup)).toEqual([expect.objectContaining({ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } })]);
  });
});

/** Random decoding under the grammar's mask, leaning towards closing tokens so it ends. */
async function sampleUnder(schema: string, seed: number): Promise<{ text: string; terminated: boolean }> {
  const grammar = await compiler.compileJSONSchema(schema);
  const matcher = await xgrammar.GrammarMatcher.createGrammarMatcher(grammar);
  let state = seed >>> 0;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const closing = new Set(vocab.map((t, i) => (/^[\]}",]|^(true|false|null)$|^\d$/.test(t) ? i : -1)).filter((i) => i >= 0));
  const ids: number[] = [];
  for (let step = 0; step < 3000 && !matcher.isTerminated(); step++) {
    const mask = await matcher.getNextTokenBitmask();
    const allowed: number[] = [];
    for (let id = 0; id < vocab.length; id++) if ((mask[id >> 5]! >>> (id & 31)) & 1) allowed.push(id);
    expect(allowed.length).toBeGreaterThan(0);
    const ending = allowed.filter((id) => id === EOS || closing.has(id));
    const pool = ending.length > 0 && random() < 0.6 ? ending : allowed;
    const pick = pool.includes(EOS) ? EOS : pool[Math.floor(random() * pool.length)]!;
    expect(matcher.acceptToken(pick)).toBe(true);
    if (pick !== EOS) ids.push(pick);
  }
  const terminated = matcher.isTerminated();
  matcher.dispose();
  grammar.dispose();
  return { text: tokenizer.decode(new Int32Array(ids)), terminated };
}

const ajv = new Ajv2020({ strict: false });
const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
const weather = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] } } };
const clock = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'], additionalProperties: false } } };

/** What our API hands WebLLM for each format and tool choice it accepts, and the schema the output must meet. */
const FORMATS: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['json_object', { response_format: { type: 'json_object' } }, { type: 'object' }],
  ['json_schema without a schema', { response_format: { type: 'json_schema', json_schema: { name: 'x' } } }, { type: 'object' }],
  ...([
    ['flat object, required', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a', 'b'], additionalProperties: false }],
    ['nested objects', { type: 'object', properties: { user: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } }, required: ['name'] } }, required: ['user'] }],
    ['arrays of enums', { type: 'object', properties: { tags: { type: 'array', items: { type: 'string', enum: ['red', 'green', 'blue'] }, minItems: 1, maxItems: 3 } }, required: ['tags'], additionalProperties: false }],
    ['booleans, numbers and null', { type: 'object', properties: { ok: { type: 'boolean' }, score: { type: 'number' }, none: { type: 'null' } }, required: ['ok', 'score', 'none'] }],
  ] as const).map(([name, schema]) => [`json_schema: ${name}`, { response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } } }, schema] as [string, Record<string, unknown>, Record<string, unknown>]),
  ['tools required (two functions)', { tools: [weather, clock], tool_choice: 'required' }, {}],
  ['tools named', { tools: [weather, clock], tool_choice: { type: 'function', function: { name: 'get_time' } } }, {}],
  ['tools any, one call', { tools: [weather], tool_choice: 'any', parallel_tool_calls: false }, {}],
];

describe('every response_format the API maps, and the tool-call grammar, in xgrammar', () => {
  it.each(FORMATS)('%s: compiles, and sampling under its mask always ends in output that parses and matches', async (_, params, expected) => {
    const mapped = validateRequest({ ...base, ...params }).engineRequest.response_format as { type: string; schema?: string };
    expect(mapped.type).toBe('json_object');
    // WebLLM compiles `schema` with xgrammar; without one it would pass undefined and fail.
    expect(typeof mapped.schema).toBe('string');
    const validate = ajv.compile(params.tools ? JSON.parse(mapped.schema!) : expected);
    for (let seed = 1; seed <= 8; seed++) {
      const { text, terminated } = await sampleUnder(mapped.schema!, seed);
      expect(terminated).toBe(true);
      const value = JSON.parse(text);
      expect(validate(value), `${text}: ${JSON.stringify(validate.errors)}`).toBe(true);
      if (params.tools) {
        const setup = validateRequest({ ...base, ...params }).tools!;
        const calls = parseToolCalls(text, setup)!;
        expect(calls.length).toBeGreaterThan(0);
        expect(calls.every((c) => (setup.tools.map((t) => t.function.name) as string[]).includes(c.function.name))).toBe(true);
      }
    }
  });
});
