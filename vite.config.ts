import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** Vite's dev server injects CSS as inline <style> tags; only in dev, let the CSP allow them. */
function devCspForInlineStyles(): Plugin {
  return {
    name: 'dev-csp-inline-styles',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

// `--mode e2e` builds the test app: same code, but the worker's engine is the
// scripted one from test/support (aliased below), written to dist-e2e/.
// BASE_PATH sets where the app is hosted; the default './' works under any sub-path.
export default defineConfig(({ mode }) => ({
  base: process.env.BASE_PATH ?? './',
  plugins: [
    preact(),
    devCspForInlineStyles(),
    // Offline after the first visit: a service worker precaches the built app
    // (the worker chunk too). Model files live in IndexedDB, not here.
    VitePWA({
      registerType: 'prompt',
      injectRegister: null,
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html}'],
        // Not precached: a browser without WebGPU never needs WebLLM. It is cached when first loaded.
        // Nor the document readers, which a chat without files never needs.
        globIgnores: ['**/engine.worker-lib-*.js', '**/documents.worker-*-*.js'],
        runtimeCaching: [
          { urlPattern: /\/engine\.worker-lib-[^/]+\.js$/, handler: 'CacheFirst', options: { cacheName: 'engine-webllm', expiration: { maxEntries: 2 } } },
          { urlPattern: /\/documents\.worker-[^/]+-[^/]+\.js$/, handler: 'CacheFirst', options: { cacheName: 'document-readers', expiration: { maxEntries: 12 } } },
        ],
        maximumFileSizeToCacheInBytes: 12 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
      },
    }),
  ],
  // Pre-bundled up front so the dev server never reloads the page mid-session to add one.
  optimizeDeps: { include: ['preact', 'preact/hooks', 'preact/jsx-runtime', '@preact/signals', 'comlink', 'idb-keyval', '@mlc-ai/web-llm'] },
  worker: {
    format: 'es',
    // Libraries a worker imports when first needed, in chunks named for them, so the service worker
    // can leave them out of the precache and the bundle test can find them: WebLLM (on the first model
    // load) and the document readers (on the first attachment: pdf.js, mammoth, htmlparser2).
    rolldownOptions: {
      output: {
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some((id) => id.includes('/@mlc-ai/web-llm/'))
            ? 'assets/engine.worker-lib-[hash].js'
            : chunk.moduleIds.some((id) => /\/(pdfjs-dist|mammoth|htmlparser2)\//.test(id))
              ? 'assets/documents.worker-[name]-[hash].js'
              : 'assets/worker-[name]-[hash].js',
      },
    },
  },
  build: {
    outDir: mode === 'e2e' ? 'dist-e2e' : 'dist',
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
  resolve: {
    alias:
      mode === 'e2e'
        ? [{ find: /^\.\/engine\/create-engine$/, replacement: fileURLToPath(new URL('./test/support/create-scripted-engine.ts', import.meta.url)) }]
        : [],
  },
}));
