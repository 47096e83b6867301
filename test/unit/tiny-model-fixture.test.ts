// The tiny model fixture (built by scripts/tiny-model/build.sh): its library
// imports only what WebLLM 0.2.86's glue provides (anything else fails
// instantiation with a LinkError) and exports what the glue calls; its weights
// match its manifest; it stays small enough to keep in the repository.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TINY_MODEL_DIR } from '../support/mlc-engines';

const wasm = readFileSync(`${TINY_MODEL_DIR}tiny-mistral-webgpu.wasm`);
const module = new WebAssembly.Module(wasm);

/** What WebLLM's tvmjs Environment and its WASI shim hand a model library at instantiation. */
const PROVIDED = new Set([
  'env.TVMFFIWasmFunctionDeleter', 'env.TVMFFIWasmSafeCall', 'env.__cxa_thread_atexit', 'env.__console_log', 'env.emscripten_notify_memory_growth',
  ...['clock_time_get', 'environ_get', 'environ_sizes_get', 'fd_close', 'fd_read', 'fd_seek', 'fd_write', 'proc_exit'].flatMap((f) => [`env.${f}`, `wasi_snapshot_preview1.${f}`]),
]);

/** What the glue looks up in the instance. */
const REQUIRED = [
  'memory', '_initialize', 'TVMWasmAllocSpace', 'TVMWasmFreeSpace', 'TVMFFIWasmGetLastError', 'TVMFFIWasmFunctionCreate', 'TVMFFIFunctionCall',
  'TVMFFIFunctionGetGlobal', 'TVMFFIFunctionSetGlobal', 'TVMFFIObjectIncRef', 'TVMFFIObjectDecRef', 'TVMFFIAnyViewToOwnedAny',
  'TVMFFIErrorSetRaisedFromCStr', 'TVMFFIGetTypeInfo', 'TVMFFITypeKeyToIndex', 'TVMFFIDataTypeToString',
];

describe('the tiny model fixture', () => {
  it("imports nothing WebLLM's glue does not provide", () => {
    const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
    expect(imports.filter((i) => !PROVIDED.has(i))).toEqual([]);
    expect(imports.length).toBeGreaterThan(0);
  });

  it('exports every function the glue calls, and its memory', () => {
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(REQUIRED.filter((name) => !exports.includes(name))).toEqual([]);
  });

  it('its tensor-cache manifest describes its one shard exactly, and its config matches the tokenizer', () => {
    const manifest = JSON.parse(readFileSync(`${TINY_MODEL_DIR}tensor-cache.json`, 'utf8')) as { records: { dataPath: string; nbytes: number; records: { nbytes: number; byteOffset: number }[] }[] };
    for (const shard of manifest.records) {
      expect(statSync(`${TINY_MODEL_DIR}${shard.dataPath}`).size).toBe(shard.nbytes);
      expect(shard.records.reduce((n, r) => Math.max(n, r.byteOffset + r.nbytes), 0)).toBeLessThanOrEqual(shard.nbytes);
    }
    const config = JSON.parse(readFileSync(`${TINY_MODEL_DIR}mlc-chat-config.json`, 'utf8'));
    const tokenizer = JSON.parse(readFileSync(`${TINY_MODEL_DIR}tokenizer.json`, 'utf8'));
    expect(config.vocab_size).toBe(Object.keys(tokenizer.model.vocab).length);
    expect(config.conv_template.stop_token_ids).toEqual([tokenizer.added_tokens.find((t: { content: string }) => t.content === '</s>').id]);
  });

  it('stays under 8 MB in all', () => {
    const bytes = readdirSync(TINY_MODEL_DIR).reduce((n, f) => n + statSync(`${TINY_MODEL_DIR}${f}`).size, 0);
    expect(bytes).toBeLessThan(8 * 1024 * 1024);
  });
});
