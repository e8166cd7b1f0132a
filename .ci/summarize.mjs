// Totals the JSON reports of every suite (Vitest per package, Playwright for
// e2e) into the one line CI reads: "N passed, N failed".
// Usage: node .ci/summarize.mjs <exit status of the test command>
import { readdir, readFile } from "node:fs/promises";

const testCommandStatus = Number(process.argv[2] ?? 0);
let passed = 0;
let failed = 0;

async function readReport(path) {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    if (error.code === "ENOENT") return undefined;
    throw error;
  }
}

const vitestReports = [
  ...(await readdir("apps")).map((name) => `apps/${name}`),
  ...(await readdir("packages")).map((name) => `packages/${name}`),
  "bench",
  "chaos",
  "infra",
];
for (const dir of vitestReports) {
  const report = await readReport(`${dir}/test-results/vitest.json`);
  if (!report) continue;
  passed += report.numPassedTests;
  // A file whose hooks fail can fail with no failed test.
  failed += report.numFailedTests + report.numFailedTestSuites;
  console.log(`${dir}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}

const e2e = await readReport("e2e/test-results/results.json");
if (e2e) {
  passed += e2e.stats.expected;
  failed += e2e.stats.unexpected + e2e.stats.flaky;
  console.log(`e2e: ${e2e.stats.expected} passed, ${e2e.stats.unexpected + e2e.stats.flaky} failed`);
}

// A command that failed outside any test (a crash, a missing report) still fails the run.
if (testCommandStatus !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
