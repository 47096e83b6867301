// `npm test`: every test, unit and browser, in one vitest run, then the count line.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('test-results/vitest.json', { force: true });
const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
const summary = spawnSync('node', ['scripts/test-summary.mjs'], { stdio: 'inherit' });
process.exit(run.status || summary.status || 0);
