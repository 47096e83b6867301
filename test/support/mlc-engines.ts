// The tokenizer and grammar engines WebLLM runs inside (@mlc-ai/web-tokenizers,
// @mlc-ai/web-xgrammar), loaded in Node. Both are UMD bundles inside "type":
// "module" packages: they need `require` and `__filename` to load, and then
// define globalThis.tokenizers and globalThis.xgrammar.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Xgrammar = typeof import('@mlc-ai/web-xgrammar');
type Tokenizers = typeof import('@mlc-ai/web-tokenizers');

export const TINY_MODEL_DIR = fileURLToPath(new URL('../fixtures/tiny-mistral/', import.meta.url));

async function loadUmd(pkg: string): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  g.require ??= createRequire(import.meta.url);
  g.__filename = fileURLToPath(new URL(`../../node_modules/${pkg}/lib/index.js`, import.meta.url));
  await import(/* @vite-ignore */ pkg);
}

let loaded: Promise<{ xgrammar: Xgrammar; tokenizers: Tokenizers }> | null = null;

export function mlcEngines(): Promise<{ xgrammar: Xgrammar; tokenizers: Tokenizers }> {
  return (loaded ??= (async () => {
    await loadUmd('@mlc-ai/web-xgrammar');
    await loadUmd('@mlc-ai/web-tokenizers');
    const g = globalThis as unknown as { xgrammar: Xgrammar; tokenizers: Tokenizers };
    return { xgrammar: g.xgrammar, tokenizers: g.tokenizers };
  })());
}

/** The tiny model's tokenizer, as WebLLM builds it from tokenizer.json. */
export async function tinyTokenizer() {
  const { tokenizers } = await mlcEngines();
  const bytes = readFileSync(`${TINY_MODEL_DIR}tokenizer.json`);
  return tokenizers.Tokenizer.fromJSON(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}
