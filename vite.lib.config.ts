// The package build (`npm run build:lib`, written to dist-lib/), in four passes
// that scripts/build-lib.mjs runs: the engine worker with WebLLM (our patched
// copy, bundled: a site installing the package needs no patch step), the
// documents worker with its readers, the highlight worker with highlight.js,
// then the main-thread entries, which reach each worker by its file name only.
import preact from '@preact/preset-vite';
import MagicString from 'magic-string';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const OUT = fileURLToPath(new URL('./dist-lib', import.meta.url));
const WORKER_FILE = 'engine.worker.js';
const DOCUMENTS_WORKER_FILE = 'documents.worker.js';
const HIGHLIGHT_WORKER_FILE = 'highlight.worker.js';
/** Placeholder → the worker file it stands for (see src/package/spawn-*.ts). */
const PLACEHOLDERS: Record<string, string> = { __MISTRAL_LOCAL_ENGINE_WORKER__: WORKER_FILE, __MISTRAL_LOCAL_DOCUMENTS_WORKER__: DOCUMENTS_WORKER_FILE, __MISTRAL_LOCAL_HIGHLIGHT_WORKER__: HIGHLIGHT_WORKER_FILE };

/** Writes the workers' file names where src/package/spawn-*.ts have their placeholders. */
function workerFileNames(): Plugin {
  return {
    name: 'worker-file-names',
    renderChunk(code) {
      const found = Object.keys(PLACEHOLDERS).filter((p) => code.includes(p));
      if (found.length === 0) return null;
      const s = new MagicString(code);
      for (const placeholder of found) s.replaceAll(placeholder, JSON.stringify(`./${PLACEHOLDERS[placeholder]}`));
      return { code: s.toString(), map: s.generateMap({ hires: 'boundary' }) };
    },
  };
}

const shared: UserConfig = {
  logLevel: 'warn',
  // The package's own files: a library is minified by the site that bundles it, and stays readable.
  build: { outDir: OUT, target: 'es2022', minify: false, sourcemap: true, copyPublicDir: false, chunkSizeWarningLimit: 8000 },
};

/** One worker as an ES module of its own; what it imports later (`import()`) goes in chunks named `${prefix}-…`. */
function workerLib(entry: string, fileName: string, prefix: string, emptyOutDir: boolean): UserConfig {
  return {
    ...shared,
    build: {
      ...shared.build,
      emptyOutDir,
      lib: { entry: fileURLToPath(new URL(entry, import.meta.url)), formats: ['es'], fileName: () => fileName },
      rolldownOptions: { output: { chunkFileNames: `${prefix}-[name]-[hash].js` } },
    },
  };
}

// WebLLM in a chunk of its own, imported on the first model load.
const workerBuild = workerLib('./worker/engine.worker.ts', WORKER_FILE, 'engine', true);
// pdf.js, mammoth and htmlparser2 in chunks of their own, imported on the first file of their kind.
const documentsWorkerBuild = workerLib('./src/documents/documents.worker.ts', DOCUMENTS_WORKER_FILE, 'documents', false);
// highlight.js, off the page's main thread.
const highlightWorkerBuild = workerLib('./src/render/highlight.worker.ts', HIGHLIGHT_WORKER_FILE, 'highlight', false);

const mainBuild: UserConfig = {
  ...shared,
  plugins: [preact(), workerFileNames()],
  resolve: {
    alias: [
      { find: /^\.\/spawn-worker$/, replacement: fileURLToPath(new URL('./src/package/spawn-worker.ts', import.meta.url)) },
      { find: /^\.\/spawn-documents-worker$/, replacement: fileURLToPath(new URL('./src/package/spawn-documents-worker.ts', import.meta.url)) },
      { find: /^\.\/spawn-highlight-worker$/, replacement: fileURLToPath(new URL('./src/package/spawn-highlight-worker.ts', import.meta.url)) },
    ],
  },
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

// `--mode lib-worker`, `lib-documents` and `lib-highlight` build the workers; any other mode the main-thread entries, last.
const passes: Record<string, UserConfig> = { 'lib-worker': workerBuild, 'lib-documents': documentsWorkerBuild, 'lib-highlight': highlightWorkerBuild };
export default defineConfig(({ mode }) => passes[mode] ?? mainBuild);
