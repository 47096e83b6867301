import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `--mode e2e` builds the test app: same code, but the worker's engine is the
// scripted one from test/support (aliased below), written to dist-e2e/.
// BASE_PATH sets where the app is hosted; the default './' works under any sub-path.
export default defineConfig(({ mode }) => ({
  base: process.env.BASE_PATH ?? './',
  plugins: [preact()],
  worker: { format: 'es' },
  build: {
    outDir: mode === 'e2e' ? 'dist-e2e' : 'dist',
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
  resolve: {
    alias:
      mode === 'e2e'
        ? [{ find: /^\.\/create-engine$/, replacement: fileURLToPath(new URL('./test/support/create-scripted-engine.ts', import.meta.url)) }]
        : [],
  },
}));
