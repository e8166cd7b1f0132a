// Totals the JSON reports of every suite (Vitest per package, Playwright for
// e2e) into the one line CI reads, last: "N passed, N failed". Above it, a line
// per check with its outcome, a line per suite, and each failure named with the
// start of its message, so a CI log shows what broke. Exits 1 if anything failed.
// Usage: node .ci/summarize.mjs <check>=<exit status>... (the one named "test"
// being the test command), e.g. format=0 typecheck=2 lint=0 build=0 test=1
import { readdir, readFile } from "node:fs/promises";

const checks = process.argv.slice(2).map((arg) => {
  const match = /^([\w:-]+)=(\d+)$/.exec(arg);
  if (!match) throw new Error(`expected <check>=<exit status>, got ${arg}`);
  return { name: match[1], status: Number(match[2]) };
});
const testCommandStatus = checks.find((check) => check.name === "test")?.status ?? 0;
let passed = 0;
let failed = 0;
const failures = [];

for (const { name, status } of checks)
  console.log(`${name}: ${status === 0 ? "passed" : `failed (exit ${status})`}`);

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
// A test command that failed outside any test (a crash, a missing report)
// still fails the run.
if (testCommandStatus !== 0 && failed === 0) failed = 1;
// Each other check that failed (format, typecheck, lint, build) counts as one
// failure: it is not a test, but a run with badly formatted or ill-typed code
// must not end on "N passed, 0 failed", the line CI reads as green. Passed
// checks add nothing, so "passed" stays the number of tests that passed.
failed += checks.filter((check) => check.name !== "test" && check.status !== 0).length;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || checks.some((check) => check.status !== 0) ? 1 : 0;
