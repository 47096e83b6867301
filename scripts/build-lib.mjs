// `npm run build:lib`: the package's files in dist-lib/ — the engine worker
// (with WebLLM), the documents worker (with its readers), the highlight worker (highlight.js), the main-thread entries and the chat's CSS (vite.lib.config.ts),
// their type declarations (tsconfig.lib.json), and the licenses of what the
// bundles include.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'vite';

await build({ configFile: 'vite.lib.config.ts', mode: 'lib-worker' });
await build({ configFile: 'vite.lib.config.ts', mode: 'lib-documents' });
await build({ configFile: 'vite.lib.config.ts', mode: 'lib-highlight' });
await build({ configFile: 'vite.lib.config.ts', mode: 'lib' });
// The chat's styles are the app's, as they are (plain CSS; the site's bundler may minify them).
copyFileSync('src/styles.css', 'dist-lib/chat.css');
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.lib.json'], { stdio: 'inherit' });

// Bundled third-party code keeps its licenses beside it.
const bundled = ['@mlc-ai/web-llm', 'comlink', 'preact', '@preact/signals', '@preact/signals-core', 'marked', 'dompurify', 'highlight.js', 'idb-keyval', 'quickselect', 'loglevel', 'pdfjs-dist', 'mammoth', 'htmlparser2', 'minisearch', 'morphdom'];
const notices = bundled
  .filter((name) => existsSync(`node_modules/${name}/package.json`))
  .map((name) => {
    const pkg = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8'));
    const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE'].map((f) => `node_modules/${name}/${f}`).find(existsSync);
    return `## ${name} ${pkg.version} (${pkg.license ?? 'see below'})\n\n${file ? readFileSync(file, 'utf8').trim() : ''}\n`;
  });
writeFileSync('dist-lib/THIRD-PARTY-LICENSES.md', `# Third-party code bundled in this package\n\n${notices.join('\n')}`);
console.log('dist-lib/ written');
