// Prints the closing line of a test run from vitest's JSON report: "N passed, N failed, N skipped".
// Exits 1 when a test failed, when the run executed no test, or when there is no report (the runner
// never got to run): CI reads this line and its exit code, not the colour of the log.
import { readFileSync } from 'node:fs';

const [file = 'reports/vitest.json', label = 'tests'] = process.argv.slice(2);
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.log(`${label}: no report at ${file} (${err.code ?? err.message}): the test runner did not finish`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A file that fails before any test runs (an import error) fails its suite with no failed test.
const failed = report.numFailedTests || report.numFailedTestSuites || 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0 || report.success === false) process.exit(1);
