import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BENCH_PRESETS,
  benchRunSchema,
  type BenchEvent,
  type BenchRun,
  type BenchRunProgress,
  type BenchRunRequest,
} from "@darkroom/contracts";
import type { Logger } from "@darkroom/runtime";
import type { ObjectStorage } from "@darkroom/storage";
import { runBenchCli, type CliTarget } from "./run-cli";
import { RunnerError } from "./runner-error";

export interface BenchRunsOptions {
  target: CliTarget;
  /** Where finished runs are kept. */
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
 * Benchmark runs started from the compare page: one at a time, each the
 * benchmark CLI aimed at the API, its events passed on as they come, and
 * every finished run kept in S3.
 */
export class BenchRuns {
  private current: (BenchRunProgress & { finished: Promise<void> }) | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly options: BenchRunsOptions) {}

  /** The run going on now, with its events so far. */
  running(): BenchRunProgress | undefined {
    return this.current && { run: this.current.run, events: this.current.events };
  }

  start(request: BenchRunRequest): BenchRun {
    if (this.current) throw new RunnerError("BENCH_RUN_IN_PROGRESS");
    if (this.stopping.signal.aborted) throw new RunnerError("SHUTTING_DOWN");
    const { preset, ...overrides } = request;
    const run: BenchRun = {
      id: randomUUID(),
      preset,
      workload: { ...BENCH_PRESETS[preset], ...overrides },
      status: "running",
      startedAt: new Date().toISOString(),
    };
    const events: BenchEvent[] = [];
    this.current = { run, events, finished: this.execute(run, events) };
    this.options.onStarted(run);
    return run;
  }

  /** The run going on, if any, then the newest kept runs. */
  async list(): Promise<BenchRun[]> {
    const { storage } = this.options;
    const keys = (await storage.listKeys(RUNS_PREFIX)).sort().reverse().slice(0, LISTED_RUNS);
    const kept = await Promise.all(
      keys.map(async (key) => benchRunSchema.parse(JSON.parse((await storage.getBuffer(key)).toString()))),
    );
    return this.current ? [this.current.run, ...kept] : kept;
  }

  /** Stops the run going on, if any, and resolves once it is kept as failed. */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.current?.finished;
  }

  private async execute(run: BenchRun, events: BenchEvent[]): Promise<void> {
    const { storage, logger } = this.options;
    let finished: BenchRun;
    try {
      const report = await this.perform(run, events);
      finished = { ...run, status: "completed", finishedAt: new Date().toISOString(), report };
    } catch (error) {
      logger.error({ err: error, runId: run.id }, "benchmark run failed");
      const message = this.stopping.signal.aborted
        ? "stopped: the benchmark runner shut down"
        : error instanceof Error
          ? error.message
          : String(error);
      finished = { ...run, status: "failed", finishedAt: new Date().toISOString(), error: message };
    }
    try {
      // Keys sort by start time, so the newest runs list first.
      const key = `${RUNS_PREFIX}${finished.startedAt}-${finished.id}.json`;
      await storage.put(key, Buffer.from(JSON.stringify(finished)), "application/json");
    } catch (error) {
      logger.error({ err: error, runId: run.id }, "could not keep the benchmark run");
    }
    this.current = undefined;
    this.options.onFinished(finished);
  }

  /** The CLI writes its report files too: they go to a directory of their own, deleted after. */
  private async perform(run: BenchRun, events: BenchEvent[]) {
    const out = await mkdtemp(join(tmpdir(), "darkroom-bench-run-"));
    const onEvent = (event: BenchEvent) => {
      events.push(event);
      this.options.onEvent(run.id, event);
    };
    try {
      return await runBenchCli(run, out, this.options.target, onEvent, this.stopping.signal);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }
}
