// POST /v1/embeddings through the real openai client, Mistral's SDK and the
// comlink client, against the worker API over a MessageChannel (the scripted
// engine's deterministic embedder behind WebLLM's embedding interface).
import { Mistral } from '@mistralai/mistralai';
import { HTTPClient } from '@mistralai/mistralai/lib/http.js';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalFetch } from '../../src/http/local-fetch';
import { createHarness, type Harness } from '../support/api-harness';

let h: Harness;
afterEach(() => h?.close());

function clients() {
  h = createHarness();
  const fetch = createLocalFetch(h.client);
  return {
    openai: new OpenAI({ baseURL: 'http://local/v1', apiKey: 'local', fetch, maxRetries: 0, dangerouslyAllowBrowser: true }),
    mistral: new Mistral({ serverURL: 'http://local', apiKey: 'local', httpClient: new HTTPClient({ fetcher: fetch }) }),
    fetch,
  };
}

const cosine = (a: number[], b: number[]) => a.reduce((n, x, i) => n + x * b[i]!, 0);

describe('embeddings', () => {
  it('the openai client: one vector per input in order, normalised, with usage; texts sharing words are closer', async () => {
    const { openai } = clients();
    const res = await openai.embeddings.create({ model: 'snowflake-arctic-embed-s', input: ['The lighthouse lens is polished', 'polishing the lighthouse lens', 'quarterly budget figures'] });
    expect(res.object).toBe('list');
    expect(res.model).toBe('snowflake-arctic-embed-s');
    expect(res.data.map((d) => d.index)).toEqual([0, 1, 2]);
    const [a, b, c] = res.data.map((d) => d.embedding);
    expect(a!).toHaveLength(384);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!));
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    expect(res.usage.total_tokens).toBe(res.usage.prompt_tokens);
    // The model was downloaded into WebLLM's cache and loaded in an engine of its own, not the chat engine.
    expect(h.embedder).toBeDefined();
  });

  it('base64 is little-endian float32 of the same vector (the openai client asks for it by default and decodes it)', async () => {
    const { fetch } = clients();
    const post = (body: unknown) => fetch('http://local/v1/embeddings', { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
    const float = await post({ model: 'snowflake-arctic-embed-m', input: 'a harbour at night' });
    const b64 = await post({ model: 'snowflake-arctic-embed-m', input: 'a harbour at night', encoding_format: 'base64' });
    expect(float.data[0].embedding).toHaveLength(768);
    const decoded = Array.from(new Float32Array(Uint8Array.from(atob(b64.data[0].embedding), (ch) => ch.charCodeAt(0)).buffer));
    decoded.forEach((x, i) => expect(x).toBeCloseTo(float.data[0].embedding[i], 6));
  });

  it('Mistral’s SDK: inputs and output_dimension in its own terms', async () => {
    const { mistral } = clients();
    const res = await mistral.embeddings.create({ model: 'snowflake-arctic-embed-s', inputs: ['bonjour', 'au revoir'], outputDimension: 384 });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]!.embedding).toHaveLength(384);
  });

  it('mistral-embed is not stood in for: a 404 naming the local models; other mistakes are 400s naming the parameter', async () => {
    const { openai } = clients();
    const hosted = await openai.embeddings.create({ model: 'mistral-embed', input: 'x' }).catch((e) => e);
    expect(hosted).toBeInstanceOf(OpenAI.NotFoundError);
    expect(hosted.message).toMatch(/mistral-embed \(1024 dimensions\) is Mistral's hosted embedding model; .* Local embedding models: snowflake-arctic-embed-s \(384 dimensions\), snowflake-arctic-embed-m \(768 dimensions\)\./);
    const cases: [Record<string, unknown>, string][] = [
      [{ model: 'snowflake-arctic-embed-s', input: 'x', dimensions: 256 }, 'dimensions'],
      [{ model: 'snowflake-arctic-embed-s', input: '' }, 'input'],
      [{ model: 'snowflake-arctic-embed-s', input: ['ok', ''] }, 'input[1]'],
      [{ model: 'snowflake-arctic-embed-s', input: [1, 'two'] }, 'input[0]'],
      [{ model: 'snowflake-arctic-embed-s', input: 'x', encoding_format: 'int8' }, 'encoding_format'],
      [{ model: 'snowflake-arctic-embed-s', input: 'x', temperature: 1 }, 'temperature'],
      [{ input: 'x' }, 'model'],
      [{ model: 'snowflake-arctic-embed-s', input: Array.from({ length: 600 }, (_, i) => `w${i}`).join(' ') }, 'input'],
    ];
    for (const [body, param] of cases) {
      const error = await openai.embeddings.create(body as never).catch((e) => e);
      expect(error, JSON.stringify(body).slice(0, 80)).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param, JSON.stringify(body).slice(0, 80)).toBe(param);
    }
    // Still serving afterwards.
    expect((await openai.embeddings.create({ model: 'snowflake-arctic-embed-s', input: 'still here' })).data).toHaveLength(1);
  });

  it('token ids are accepted as input, and the comlink client answers in the same shape', async () => {
    clients();
    const res = await h.client.embeddings.create({ model: 'snowflake-arctic-embed-s', input: [[1, 2, 3], [4, 5]] });
    expect(res.data).toHaveLength(2);
    expect(typeof res.data[0]!.embedding[0]).toBe('number');
  });
});
