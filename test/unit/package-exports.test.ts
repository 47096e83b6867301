// The package's `exports` resolve to the embedding API (by the package's own name).
import { describe, expect, it } from 'vitest';

describe('package exports', () => {
  it('exposes the fetch adapter and the client factory by package name', async () => {
    const { createLocalFetch } = await import('mistral-local/local-fetch');
    const { createEngineClient, ChunkStream } = await import('mistral-local/client');
    expect(typeof createLocalFetch).toBe('function');
    expect(typeof createEngineClient).toBe('function');
    expect(typeof ChunkStream).toBe('function');
  });
});
