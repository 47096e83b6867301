import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

const EARLY_WORKER_MARK = '<!-- the engine worker starts here -->';

/**
 * The built index.html starts the engine worker itself, from a small inline script in its head,
 * before the app's script and stylesheet have arrived (a cold browser takes 30–60 ms to fetch
 * them, and the app's script runs only after the stylesheet); src/engine/spawn-worker.ts adopts
 * that worker. The CSP allows this one script by its hash, in the page's <meta> and in the hosts'
 * headers file. Dev serves no such script (the bridge spawns the worker itself).
 */
function startEngineWorkerEarly(): Plugin {
  let base = './';
  let scriptSource = '';
  return {
    name: 'start-engine-worker-early',
    apply: 'build',
    configResolved: (config) => void (base = config.base),
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!html.includes(EARLY_WORKER_MARK)) return html;
        // The worker's entry, not the WebLLM chunk beside it (engine.worker-lib-<hash>.js).
        const files = Object.keys(ctx.bundle ?? {}).filter((name) => /^assets\/engine\.worker-(?!lib-)[\w-]+\.js$/.test(name));
        const file = files[0];
        const referenced = Object.values(ctx.bundle ?? {}).some((chunk) => chunk.type === 'chunk' && file !== undefined && chunk.code.includes(file.slice('assets/'.length)));
        if (files.length !== 1 || !referenced) throw new Error(`start-engine-worker-early: expected one engine worker file that the app spawns, found ${files.join(', ') || 'none'}`);
        // Errors before the app adopts the worker are kept, so that the app can tell it failed.
        const script =
          `try{(function(){var w=new Worker(${JSON.stringify(base + file)},{type:'module',name:'mistral-engine'}),e=[];function k(x){e.push(x)}` +
          `w.addEventListener('error',k);self.__mistralEngineWorker=function(){w.removeEventListener('error',k);return{worker:w,errors:e}}})()}catch(x){}`;
        scriptSource = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
        if (!html.includes("script-src 'self'")) throw new Error('start-engine-worker-early: index.html has no script-src to allow the script in');
        return html.replace("script-src 'self'", `script-src 'self' ${scriptSource}`).replace(EARLY_WORKER_MARK, `<script>${script}</script>`);
      },
    },
    // The hosts' header policy for the page (public/_headers, its "/" and "/index.html" rules) allows the script too.
    async writeBundle(options) {
      if (!scriptSource || !options.dir) return;
      const file = join(options.dir, '_headers');
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) return;
      let block = '';
      const lines = text.split('\n').map((line) => {
        if (/^\S/.test(line)) block = line.trim();
        const pagePolicy = (block === '/' || block === '/index.html') && /^\s+Content-Security-Policy:/.test(line);
        return pagePolicy ? line.replace("script-src 'self';", `script-src 'self' ${scriptSource};`) : line;
      });
      await writeFile(file, lines.join('\n'));
    },
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
    startEngineWorkerEarly(),
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
