// Prints one plain line counting every test of the last run (unit and browser
// together), read from vitest's JSON report: "N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const REPORT = 'test-results/vitest.json';
try {
  const report = JSON.parse(readFileSync(REPORT, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = report.numFailedTests > 0 || report.numTotalTestSuites === 0 ? 1 : 0;
} catch (error) {
  // No report: the runner itself crashed before writing one.
  console.log(`0 passed, 1 failed (no test report at ${REPORT}: ${error.message})`);
  process.exitCode = 1;
}
