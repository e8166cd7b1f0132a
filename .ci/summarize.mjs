// Totals the JSON reports of every suite (Vitest per package, Playwright for
// e2e) into the one line CI reads: "N passed, N failed". Above it, each failure
// is named with the start of its message, so a CI log shows what broke.
// Usage: node .ci/summarize.mjs <exit status of the test command>
import { readdir, readFile } from "node:fs/promises";

const testCommandStatus = Number(process.argv[2] ?? 0);
let passed = 0;
let failed = 0;
const failures = [];

async function readReport(path) {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    if (error.code === "ENOENT") return undefined;
    throw error;
  }
}

const firstLines = (message = "") => message.split("\n").slice(0, 6).join("\n    ");

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
  let dirFailed = 0;
  for (const file of report.testResults) {
    const failedTests = file.assertionResults.filter((test) => test.status === "failed");
    for (const test of failedTests)
      failures.push(`${dir} › ${test.fullName}\n    ${firstLines(test.failureMessages[0])}`);
    // A file whose hooks fail can fail with no failed test.
    if (file.status === "failed" && failedTests.length === 0)
      failures.push(`${file.name}\n    ${firstLines(file.message)}`);
    dirFailed += Math.max(failedTests.length, file.status === "failed" ? 1 : 0);
  }
  passed += report.numPassedTests;
  failed += dirFailed;
  console.log(`${dir}: ${report.numPassedTests} passed, ${dirFailed} failed`);
}

const e2e = await readReport("e2e/test-results/results.json");
if (e2e) {
  const specs = (suite) => [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(specs)];
  for (const spec of e2e.suites.flatMap(specs)) {
    if (spec.ok) continue;
    const error = spec.tests.flatMap((test) => test.results).find((result) => result.error)?.error;
    failures.push(`e2e › ${spec.file} › ${spec.title}\n    ${firstLines(error?.message)}`);
  }
  for (const error of e2e.errors) failures.push(`e2e\n    ${firstLines(error.message)}`);
  const e2eFailed = e2e.stats.unexpected + e2e.stats.flaky;
  passed += e2e.stats.expected;
  failed += e2eFailed;
  console.log(`e2e: ${e2e.stats.expected} passed, ${e2eFailed} failed`);
}

if (failures.length > 0)
  console.log(`\nFailures:\n${failures.map((failure) => `  ${failure}`).join("\n")}\n`);
// A command that failed outside any test (a crash, a missing report) still fails the run.
if (testCommandStatus !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
