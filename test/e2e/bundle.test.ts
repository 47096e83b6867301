// Reads the built bundles: the scripted engine never ships in production, and
// WebLLM stays in a worker chunk of its own, loaded only when a model loads.
import { createHash } from 'node:crypto';
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
    expect(js).toContain('__documents');
  });

  it('the production build does not contain the scripted engine, nor the benchmarks’ engine and documents handles', async () => {
    for (const [name, code] of await assets('dist')) {
      expect(code, name).not.toContain(SCRIPTED_MARKER);
      expect(code, name).not.toContain('__engine');
      expect(code, name).not.toContain('__documents');
    }
  });

  it('WebLLM is only in its own worker chunk, loaded on the first model load: not in the main thread, not in the worker entry, not precached', async () => {
    const files = await assets('dist');
    // A string of WebLLM's own code (its weight loader's progress text).
    const WEBLLM = 'Fetching param cache';
    const lib = [...files.keys()].filter((n) => n.startsWith('engine.worker-lib-'));
    const entry = [...files.keys()].filter((n) => n.startsWith('engine.worker-') && !lib.includes(n));
    expect(lib).toHaveLength(1);
    expect(entry).toHaveLength(1);
    expect(files.get(lib[0]!)).toContain(WEBLLM);
    for (const [name, code] of files) if (name !== lib[0]) expect(code, name).not.toContain(WEBLLM);
    // The worker entry (GPU facts, catalog, storage, the API) is small; it imports WebLLM dynamically.
    expect(files.get(entry[0]!)!.length).toBeLessThan(300_000);
    expect(files.get(entry[0]!)).toContain(lib[0]);
    // Our patch of WebLLM's IndexedDB cache is in what ships (patches/, applied at install).
    expect(files.get(lib[0]!)).toMatch(/instanceof Blob\?yield \w+\.data\.arrayBuffer\(\)/);
    // The service worker precaches the app but not WebLLM (a browser without WebGPU never fetches it).
    const sw = await readFile(join('dist', 'sw.js'), 'utf8');
    expect(sw).toContain(entry[0]);
    expect(sw).not.toContain(lib[0]);
  });

  it('each served file gets one policy from the hosts’ headers file, and the page’s allows its one inline script', async () => {
    // Netlify's and Cloudflare Pages' _headers: a rule is a path pattern (`*` matches anything) and
    // its indented headers; a path gets the headers of every rule it matches.
    const rules: { pattern: RegExp; headers: [string, string][] }[] = [];
    for (const line of (await readFile(join('dist', '_headers'), 'utf8')).split('\n')) {
      if (/^\s*(#|$)/.test(line)) continue;
      if (/^\S/.test(line)) rules.push({ pattern: new RegExp(`^${line.trim().split('*').map((p) => p.replace(/[.?+^$|()[\]{}\\]/g, '\\$&')).join('.*')}$`), headers: [] });
      else {
        const [, name, value] = /^\s+([^:]+):\s*(.*)$/.exec(line)!;
        rules.at(-1)!.headers.push([name!, value!]);
      }
    }
    const policies = (path: string) => rules.filter((r) => r.pattern.test(path)).flatMap((r) => r.headers.filter(([n]) => n === 'Content-Security-Policy').map(([, v]) => v));
    const html = await readFile(join('dist', 'index.html'), 'utf8');
    const inline = [...html.matchAll(/<script>([^<]*)<\/script>/g)].map((m) => m[1]!);
    expect(inline).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256').update(inline[0]!).digest('base64')}'`;
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]!;
    expect(meta).toContain(`script-src 'self' ${hash};`);
    for (const page of ['/', '/index.html']) {
      expect(policies(page), page).toEqual([`${meta}; frame-ancestors 'none'`]);
    }
    const names = [...(await assets('dist')).keys()];
    const engine = names.find((n) => /^engine\.worker-(?!lib-)/.test(n))!;
    expect(policies(`/assets/${engine}`)).toHaveLength(1);
    expect(policies(`/assets/${engine}`)[0]).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
    for (const other of names.filter((n) => /^(highlight|documents)\.worker-/.test(n))) {
      // The page's limits; the page's script is no business of theirs.
      expect(policies(`/assets/${other}`), other).toEqual([meta.replace(` ${hash}`, '')]);
    }
  });
});
