// `npm run bench:package`: the npm package's size as a site gets it — the
// tarball `npm pack` writes, its unpacked size, and gzip of what a page loads:
// the main entry with the modules it imports statically, the engine worker's
// entry, the WebLLM chunk it imports on the first model load, the chat part.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { machine, writeSection } from './bench-lib.mjs';

const out = mkdtempSync(join(tmpdir(), 'bench-package-'));
execFileSync('npm', ['pack', '--pack-destination', out], { stdio: ['ignore', 'ignore', 'inherit'] });
const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
const tarballBytes = statSync(join(out, tarball)).size;
execFileSync('tar', ['-xzf', join(out, tarball), '-C', out]);
const lib = join(out, 'package/dist-lib');
const unpacked = readdirSync(join(out, 'package'), { recursive: true }).map((f) => join(out, 'package', f)).filter((f) => statSync(f).isFile()).reduce((n, f) => n + statSync(f).size, 0);

/** A module and what it imports statically (relative imports within dist-lib). */
function closure(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(join(lib, entry), 'utf8');
  for (const m of code.matchAll(/^import\s[^;]*?from\s*"\.\/([^"]+)"|^import\s*"\.\/([^"]+)"/gm)) closure(m[1] ?? m[2], seen);
  return seen;
}
const gzip = (files) => files.reduce((n, f) => n + gzipSync(readFileSync(join(lib, f)), { level: 9 }).length, 0);
const raw = (files) => files.reduce((n, f) => n + statSync(join(lib, f)).size, 0);
const webllm = readdirSync(lib).find((f) => f.startsWith('engine-lib-') && f.endsWith('.js'));
const rows = [
  ['main entry (`mistral-local`: engine client, createLocalFetch, errors) with its static imports', [...closure('index.js')]],
  ['engine worker entry (`engine.worker.js`: API, catalog, GPU facts, downloads)', [...closure('engine.worker.js')]],
  ['WebLLM chunk, fetched by the worker on the first model load', [webllm]],
  ['chat part (`mistral-local/chat`) with its static imports', [...closure('chat.js')]],
  ['documents worker entry (`documents.worker.js`: splitting, BM25, storage; started on the first attachment)', [...closure('documents.worker.js')]],
  ['highlight worker (`highlight.worker.js`: highlight.js; started when the page is idle after start-up)', [...closure('highlight.worker.js')]],
  ['document readers (pdf.js with its worker, mammoth, htmlparser2), each fetched on the first file of its kind', readdirSync(lib).filter((f) => /^documents-(?!rolldown).*\.js$/.test(f))],
  ['chat styles (`mistral-local/chat.css`)', ['chat.css']],
];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
for (const [what, files] of rows) console.log(`${what}: ${kb(raw(files))} raw, ${kb(gzip(files))} gzip (${files.join(', ')})`);
console.log(`tarball ${mb(tarballBytes)}, unpacked ${mb(unpacked)}`);

writeSection(
  'package',
  `## Package size (\`npm run bench:package\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}: \`npm pack\` of version ${JSON.parse(readFileSync('package.json', 'utf8')).version}. Gzip is level 9; a site's own bundler re-bundles and minifies these files (the package ships them unminified, with source maps).

| what | raw | gzip |
|---|---:|---:|
| tarball (\`npm pack\`) | ${mb(tarballBytes)} | |
| unpacked (source maps: about half) | ${mb(unpacked)} | |
${rows.map(([what, files]) => `| ${what} | ${kb(raw(files))} | ${kb(gzip(files))} |`).join('\n')}
`,
);
rmSync(out, { recursive: true, force: true });
