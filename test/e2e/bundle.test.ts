// Reads the built bundles: the scripted engine never ships in production, and
// WebLLM stays out of the main-thread chunk.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

async function assets(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of await readdir(join(dir, 'assets'))) {
    if (name.endsWith('.js')) files.set(name, await readFile(join(dir, 'assets', name), 'utf8'));
  }
  return files;
}

// A string only the scripted engine contains.
const SCRIPTED_MARKER = 'Loading scripted model';

describe('built bundles', () => {
  it('the e2e build contains the scripted engine (so the next check can fail)', async () => {
    const js = [...(await assets('dist-e2e')).values()].join('\n');
    expect(js).toContain(SCRIPTED_MARKER);
    expect(js).toContain('__engine');
  });

  it('the production build does not contain the scripted engine, nor the benchmarks’ engine handle', async () => {
    for (const [name, code] of await assets('dist')) {
      expect(code, name).not.toContain(SCRIPTED_MARKER);
      expect(code, name).not.toContain('__engine');
    }
  });

  it('WebLLM is only in the worker chunk, never in the main-thread chunk', async () => {
    const files = await assets('dist');
    const worker = [...files.keys()].filter((n) => n.startsWith('engine.worker'));
    const main = [...files.keys()].filter((n) => !n.startsWith('engine.worker'));
    expect(worker).toHaveLength(1);
    expect(files.get(worker[0]!)).toContain('binary-mlc-llm-libs');
    for (const name of main) expect(files.get(name), name).not.toContain('binary-mlc-llm-libs');
  });
});
