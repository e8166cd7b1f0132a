import { spawn } from "node:child_process";
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import {
  BENCH_PRESETS,
  BENCH_RUN_TOKEN_HEADER,
  benchReportSchema,
  benchRunSchema,
  type BenchEvent,
  type BenchRun,
  type BenchRunRequest,
} from "@darkroom/contracts";
import type { Logger } from "@darkroom/runtime";
import type { ObjectStorage, S3Config } from "@darkroom/storage";
import type { Request } from "express";
import { AppError } from "../http/app-error";

export interface BenchRunsOptions {
  /** The benchmark CLI (`bench/src/cli.ts`); runs are switched off without it. */
  cliPath: string | undefined;
  /** This API's own address, which the run loads. */
  apiUrl: () => string;
  /** For the run's raw S3 PUT baseline. */
  s3: S3Config;
  storage: ObjectStorage;
  logger: Logger;
  onStarted(run: BenchRun): void;
  onEvent(runId: string, event: BenchEvent): void;
  onFinished(run: BenchRun): void;
}

const RUNS_PREFIX = "bench-runs/";
/** Past runs listed, newest first. */
const LISTED_RUNS = 20;

/**
 * Benchmark runs started from the compare page. A browser cannot make this
 * load itself, so each run is the benchmark CLI in its own process, aimed at
 * this API; its events are passed on as they come. One run at a time, and
 * finished runs are kept in S3.
 */
export class BenchRuns {
  private current: { run: BenchRun; events: BenchEvent[] } | undefined;
  /** Given to the runs this API starts, and to no one else. */
  private readonly token = randomBytes(32).toString("hex");

  constructor(private readonly options: BenchRunsOptions) {}

  /** Whether a request comes from a run this API started. */
  isRunRequest(req: Request): boolean {
    const sent = Buffer.from(req.get(BENCH_RUN_TOKEN_HEADER) ?? "");
    const token = Buffer.from(this.token);
    return sent.length === token.length && timingSafeEqual(sent, token);
  }

  get enabled(): boolean {
    return this.options.cliPath !== undefined;
  }

  /** The run going on now, with its events so far. */
  running(): { run: BenchRun; events: BenchEvent[] } | undefined {
    return this.current;
  }

  start(request: BenchRunRequest): BenchRun {
    const cliPath = this.options.cliPath;
    if (!cliPath) throw new AppError("BENCH_RUNS_DISABLED");
    if (this.current) throw new AppError("BENCH_RUN_IN_PROGRESS");

    const { preset, ...overrides } = request;
    const run: BenchRun = {
      id: randomUUID(),
      preset,
      workload: { ...BENCH_PRESETS[preset], ...overrides },
      status: "running",
      startedAt: new Date().toISOString(),
    };
    this.current = { run, events: [] };
    this.options.onStarted(run);
    void this.execute(cliPath, run);
    return run;
  }

  async list(): Promise<BenchRun[]> {
    const keys = (await this.options.storage.listKeys(RUNS_PREFIX)).sort().reverse().slice(0, LISTED_RUNS);
    const runs = await Promise.all(
      keys.map(async (key) =>
        benchRunSchema.parse(JSON.parse((await this.options.storage.getBuffer(key)).toString())),
      ),
    );
    return this.current ? [this.current.run, ...runs] : runs;
  }

  private async execute(cliPath: string, run: BenchRun) {
    const out = await mkdtemp(join(tmpdir(), "darkroom-bench-run-"));
    let finished: BenchRun;
    try {
      const report = await this.runCli(cliPath, run, out);
      finished = { ...run, status: "completed", finishedAt: new Date().toISOString(), report };
    } catch (error) {
      this.options.logger.error({ err: error, runId: run.id }, "benchmark run failed");
      const message = error instanceof Error ? error.message : String(error);
      finished = { ...run, status: "failed", finishedAt: new Date().toISOString(), error: message };
    } finally {
      await rm(out, { recursive: true, force: true });
    }
    try {
      // Keys sort by start time, so the newest runs list first.
      const key = `${RUNS_PREFIX}${finished.startedAt}-${finished.id}.json`;
      await this.options.storage.put(key, Buffer.from(JSON.stringify(finished)), "application/json");
    } catch (error) {
      this.options.logger.error({ err: error, runId: run.id }, "could not keep the benchmark run");
    }
    this.current = undefined;
    this.options.onFinished(finished);
  }

  private runCli(cliPath: string, run: BenchRun, out: string) {
    const { s3, apiUrl } = this.options;
    const { workload } = run;
    const tsx = pathToFileURL(createRequire(cliPath).resolve("tsx")).href;
    const args = [
      ...["--import", tsx, cliPath, "--events", "--target", apiUrl(), "--preset", run.preset, "--out", out],
      ...["--count", workload.count, "--concurrency", workload.concurrency].map(String),
      ...["--width", workload.width, "--height", workload.height].map(String),
    ];
    const child = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: s3.region,
        S3_BUCKET: s3.bucket,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_FORCE_PATH_STYLE: String(s3.forcePathStyle),
        S3_KEY_PREFIX: s3.keyPrefix,
        BENCH_RUN_TOKEN: this.token,
      },
    });
    const stderr: string[] = [];
    createInterface({ input: child.stderr }).on("line", (line) => stderr.push(line));

    return new Promise<NonNullable<BenchRun["report"]>>((resolve, reject) => {
      let report: BenchRun["report"];
      createInterface({ input: child.stdout }).on("line", (line) => {
        const message = JSON.parse(line) as BenchEvent | { type: "report"; report: unknown };
        if (message.type === "report") {
          report = benchReportSchema.parse(message.report);
          return;
        }
        this.current?.events.push(message);
        this.options.onEvent(run.id, message);
      });
      child.once("error", reject);
      child.once("close", (code) => {
        if (code === 0 && report) resolve(report);
        else reject(new Error(`the benchmark exited with ${code}: ${stderr.slice(-5).join(" / ")}`));
      });
    });
  }
}
