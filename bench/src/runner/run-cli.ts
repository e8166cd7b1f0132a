import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { benchReportSchema, type BenchEvent, type BenchReport, type BenchRun } from "@darkroom/contracts";
import { typeScriptEntry } from "@darkroom/devstack";
import type { S3Config } from "@darkroom/storage";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));

/** Lines of the CLI's own output quoted when it fails. */
const QUOTED_LINES = 5;

export interface CliTarget {
  apiUrl: string;
  /** The API's object storage, which the run's raw S3 PUT baseline measures. */
  s3: S3Config;
}

/**
 * One run of the benchmark CLI, in a process of its own so that the load it
 * makes never shares the runner's event loop. Its events (one JSON line each
 * on stdout) reach `onEvent` as they come; it resolves with the report. The
 * process is stopped when `signal` aborts.
 */
export function runBenchCli(
  run: BenchRun,
  out: string,
  target: CliTarget,
  onEvent: (event: BenchEvent) => void,
  signal: AbortSignal,
): Promise<BenchReport> {
  const { workload } = run;
  const args = [
    ...["--events", "--target", target.apiUrl, "--preset", run.preset, "--out", out],
    ...["--count", workload.count, "--concurrency", workload.concurrency].map(String),
    ...["--width", workload.width, "--height", workload.height].map(String),
    ...["--timeout", workload.timeoutMs, "--workers", workload.workers].map(String),
  ];
  const child = spawn(process.execPath, typeScriptEntry(CLI, ...args), {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...s3Env(target.s3) },
    signal,
  });
  const output: string[] = [];
  createInterface({ input: child.stderr }).on("line", (line) => output.push(line));

  return new Promise((resolve, reject) => {
    let report: BenchReport | undefined;
    createInterface({ input: child.stdout }).on("line", (line) => {
      const message = parseLine(line);
      if (!message) output.push(line);
      else if (message.type !== "report") onEvent(message);
      else {
        const parsed = benchReportSchema.safeParse(message.report);
        if (parsed.success) report = parsed.data;
        else output.push(`its report is not valid: ${parsed.error.message}`);
      }
    });
    child.once("error", reject);
    child.once("close", (code, killed) => {
      if (code === 0 && report) return resolve(report);
      const lastLines = output.slice(-QUOTED_LINES).join(" / ");
      reject(new Error(`the benchmark exited with ${killed ?? code}: ${lastLines}`));
    });
  });
}

function parseLine(line: string): BenchEvent | { type: "report"; report: unknown } | undefined {
  try {
    return JSON.parse(line) as BenchEvent | { type: "report"; report: unknown };
  } catch {
    return undefined;
  }
}

/** The S3 variables the CLI reads. */
function s3Env(s3: S3Config): Record<string, string> {
  return {
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: String(s3.forcePathStyle),
    S3_KEY_PREFIX: s3.keyPrefix,
  };
}
