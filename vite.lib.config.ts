// The package build (`npm run build:lib`, written to dist-lib/), in two passes
// that scripts/build-lib.mjs runs: the engine worker with WebLLM (our patched
// copy, bundled: a site installing the package needs no patch step), then
// the main-thread entries, which reach the worker by its file name only.
import preact from '@preact/preset-vite';
import MagicString from 'magic-string';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const OUT = fileURLToPath(new URL('./dist-lib', import.meta.url));
const WORKER_FILE = 'engine.worker.js';
const PLACEHOLDER = '__MISTRAL_LOCAL_ENGINE_WORKER__';

/** Writes the worker's file name where src/package/spawn-worker.ts has its placeholder. */
function workerFileName(): Plugin {
  return {
    name: 'engine-worker-file-name',
    renderChunk(code) {
      if (!code.includes(PLACEHOLDER)) return null;
      const s = new MagicString(code);
      s.replaceAll(PLACEHOLDER, JSON.stringify(`./${WORKER_FILE}`));
      return { code: s.toString(), map: s.generateMap({ hires: 'boundary' }) };
    },
  };
}

const shared: UserConfig = {
  logLevel: 'warn',
  // The package's own files: a library is minified by the site that bundles it, and stays readable.
  build: { outDir: OUT, target: 'es2022', minify: false, sourcemap: true, copyPublicDir: false, chunkSizeWarningLimit: 8000 },
};

const workerBuild: UserConfig = {
  ...shared,
  build: {
    ...shared.build,
    emptyOutDir: true,
    lib: { entry: fileURLToPath(new URL('./worker/engine.worker.ts', import.meta.url)), formats: ['es'], fileName: () => WORKER_FILE },
    // WebLLM in a chunk of its own, imported on the first model load.
    rolldownOptions: { output: { chunkFileNames: 'engine-[name]-[hash].js' } },
  },
};

const mainBuild: UserConfig = {
  ...shared,
  plugins: [preact(), workerFileName()],
  resolve: { alias: [{ find: /^\.\/spawn-worker$/, replacement: fileURLToPath(new URL('./src/package/spawn-worker.ts', import.meta.url)) }] },
  build: {
    ...shared.build,
    emptyOutDir: false,
    lib: {
      entry: {
        index: fileURLToPath(new URL('./src/package/index.ts', import.meta.url)),
        client: fileURLToPath(new URL('./src/engine/client.ts', import.meta.url)),
        'local-fetch': fileURLToPath(new URL('./src/http/local-fetch.ts', import.meta.url)),
        chat: fileURLToPath(new URL('./src/package/chat.tsx', import.meta.url)),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: { output: { chunkFileNames: 'shared-[name]-[hash].js' } },
  },
};

// `--mode lib-worker` is the first pass, any other mode the second.
export default defineConfig(({ mode }) => (mode === 'lib-worker' ? workerBuild : mainBuild));
