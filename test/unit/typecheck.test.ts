// The strict TypeScript check of both projects (UI with the DOM lib, worker
// with the WebWorker lib) runs as a test, so type tests (expectTypeOf) count.
import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

describe('TypeScript (strict)', () => {
  it.each(['tsconfig.json', 'worker/tsconfig.json'])('%s type-checks', (project) => {
    execFileSync('npx', ['tsc', '-p', project], { stdio: 'pipe', encoding: 'utf8' });
  }, 120_000);
});
