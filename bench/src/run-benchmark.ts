import { cpus } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { storageFromEnv, type ObjectStorage } from "@darkroom/storage";
import { monitorApi } from "./api-monitor";
import { rawImaging, rawS3Put } from "./baselines";
import { CompletionTracker } from "./completion-tracker";
import { compareEncoders, encoderPhotoSets } from "./encoder-comparison";
import { makePhotoSet, type BenchPhoto, type PhotoFormat } from "./photos";

import {
  distribution,
  percentile,
  type BenchEvent,
  type BenchMode,
  type BenchReport,
  type EncoderComparison,
  type ModeResult,
  type Workload,
} from "@darkroom/contracts";
import { sendUploads, startApiSession, type DirectSteps, type Outcome } from "./send-uploads";
import { probeStorage } from "./storage-probe";

type Mode = BenchMode;

export interface BenchTarget {
  apiUrl: string;
  /** S3 settings (S3_* variables) of the API, for the storage baseline. */
  env: Record<string, string | undefined>;
  workerParallelism: number;
}

const ENDPOINTS: Record<Mode, string> = {
  sync: "/api/uploads/sync",
  queued: "/api/uploads",
  direct: "/api/uploads/direct",
  resumable: "/api/uploads/tus",
};

/** Results after the last acceptance needed to trust a rate measured over them. */
const DRAIN_SAMPLE_MIN = 10;

/**
 * Images the imaging baseline renders each way: enough for a steady rate and
 * a ratio of the two within a few per cent, few enough to stay quick.
 */
const IMAGING_SAMPLE = 32;

export async function runBenchmark(
  preset: string,
  workload: Workload,
  target: BenchTarget,
  emit: (event: BenchEvent) => void = () => undefined,
  {
    format = "jpeg",
    encoders,
    warmUp: warm = false,
  }: {
    format?: PhotoFormat;
    encoders?: EncoderSample;
    /** Only on a stack of the benchmark's own: on another, the uploads would count against its limits and stay in its gallery. */
    warmUp?: boolean;
  } = {},
): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  emit({
    type: "phase",
    phase: "photos",
    message: `making ${workload.width}×${workload.height} ${format.toUpperCase()} photos`,
  });
  const photos = await makePhotoSet(workload.width, workload.height, format);

  emit({ type: "phase", phase: "baselines", message: "measuring raw imaging and raw S3 PUT" });
  const storage = storageFromEnv(target.env);
  const { inProcess: imaging, isolated: imagingIsolated } = await rawImaging(
    photos,
    Math.min(workload.count, IMAGING_SAMPLE),
    target.workerParallelism,
  );
  const s3Put = await rawS3Put(storage, photos, workload.count, workload.concurrency);
  const encoderComparison = encoders && (await compareEncoderSample(encoders, emit));

  const token = await startApiSession(target.apiUrl);
  if (warm) {
    emit({ type: "phase", phase: "warm-up", message: "warming the workers up" });
    await warmUp(target, token, photos);
  }
  const modes = {} as Record<Mode, ModeResult>;
  // Least memory first: a process keeps the memory it has grown, and each mode reports its own peak.
  for (const mode of ["direct", "queued", "resumable", "sync"] as const) {
    emit({
      type: "phase",
      phase: mode,
      message: `${mode}: ${workload.count} uploads, ${workload.concurrency} at once`,
    });
    modes[mode] = await runMode(mode, workload, target, token, photos, emit, storage);
  }

  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    preset,
    workload: {
      ...workload,
      workerParallelism: target.workerParallelism,
      photoBytes: Math.round(photos.reduce((sum, photo) => sum + photo.data.byteLength, 0) / photos.length),
      photoFormat: format,
    },
    machine: { cpus: cpus().length, node: process.version, platform: `${process.platform} ${process.arch}` },
    modes,
    baselines: { imaging, imagingIsolated, s3Put },
    ratios: {
      syncP95OverQueuedP95: modes.sync.response.p95 / modes.queued.response.p95,
      queuedAcceptOverS3Put: modes.queued.acceptedPerSecond / s3Put.perSecond,
      workerDrainOverImaging: modes.queued.drainPerSecond / imaging.perSecond,
      imagingIsolatedOverInProcess: imagingIsolated.perSecond / imaging.perSecond,
      directAcceptOverS3Put: modes.direct.acceptedPerSecond / s3Put.perSecond,
      resumableAcceptOverS3Put: modes.resumable.acceptedPerSecond / s3Put.perSecond,
    },
  };
  if (encoderComparison) report.baselines.encoders = encoderComparison;
  emit({ type: "phase", phase: "done", message: "done" });
  return report;
}

/**
 * The API's ETA reads the newest 20 completed jobs: after the first
 * round, which runs cold, as many warm ones as that.
 */
const WARM_UP_ROUNDS = 6;

/**
 * Queued uploads before the first mode, not counted: the workers start each
 * mode warm, and the queue has the history of completed jobs its ETA is
 * measured from, as a queue in use has.
 */
async function warmUp(
  { apiUrl, workerParallelism }: BenchTarget,
  token: string,
  photos: readonly BenchPhoto[],
) {
  const tracker = new CompletionTracker(apiUrl, token);
  try {
    const outcomes = await sendUploads("multipart", {
      url: apiUrl + ENDPOINTS.queued,
      token,
      photos,
      count: WARM_UP_ROUNDS * workerParallelism,
      concurrency: workerParallelism,
      timeoutMs: 60_000,
    });
    const ids = outcomes.flatMap((outcome) =>
      outcome.kind === "ok" ? [(outcome.body as { id: string }).id] : [],
    );
    // Workers that never finish are the modes' to report, not a reason to hang here.
    await Promise.race([Promise.all(ids.map((id) => tracker.follow(id))), deadline(5 * 60_000)]);
  } finally {
    tracker.close();
  }
}

/** How many 12 MP photos the comparison of encoder settings renders, and how many times each. */
export interface EncoderSample {
  photos: number;
  rounds: number;
}

/** An iPhone's 12 MP: the size the encoder settings were chosen for, whatever the load's photos. */
const ENCODER_PHOTO = { width: 4032, height: 3024 };

async function compareEncoderSample(
  { photos, rounds }: EncoderSample,
  emit: (event: BenchEvent) => void,
): Promise<EncoderComparison> {
  emit({ type: "phase", phase: "baselines", message: "comparing encoder settings on 12 MP photos" });
  return compareEncoders(await encoderPhotoSets(ENCODER_PHOTO.width, ENCODER_PHOTO.height, photos), rounds);
}

async function runMode(
  mode: Mode,
  workload: Workload,
  { apiUrl }: BenchTarget,
  token: string,
  photos: readonly BenchPhoto[],
  emit: (event: BenchEvent) => void,
  storage: ObjectStorage,
): Promise<ModeResult> {
  // Queued and direct answer before processing: their results come over socket.io.
  const tracker = mode === "sync" ? undefined : new CompletionTracker(apiUrl, token);
  const pending: Promise<void>[] = [];
  /** Each finished upload: when its result arrived, and how long after its request started. */
  const results: { at: number; ms: number }[] = [];
  let inFlight = 0;
  const monitor = monitorApi(apiUrl);
  // What completing a direct upload asks of S3, timed on S3 alone while the uploads are sent.
  const probe = mode === "direct" ? await probeStorage(storage, photos[0]!.data) : undefined;
  const started = performance.now();
  let lastAccepted = started;

  const outcomes = await sendUploads(mode === "direct" || mode === "resumable" ? mode : "multipart", {
    url: apiUrl + ENDPOINTS[mode],
    token,
    photos,
    count: workload.count,
    concurrency: workload.concurrency,
    timeoutMs: workload.timeoutMs,
    onOutcome(outcome, startedAt, index) {
      emit({
        type: "response",
        mode,
        index,
        ms: outcome.ms,
        outcome: outcome.kind,
        ...("status" in outcome && { status: outcome.status }),
      });
      if (outcome.kind !== "ok") return;
      lastAccepted = performance.now();
      const id = (outcome.body as { id: string }).id;
      const result = tracker ? tracker.follow(id) : Promise.resolve(lastAccepted);
      inFlight += 1;
      emit({ type: "depth", mode, at: lastAccepted - started, inFlight });
      pending.push(
        result.then((at) => {
          inFlight -= 1;
          emit({ type: "depth", mode, at: at - started, inFlight });
          emit({ type: "result", mode, index, ms: at - startedAt });
          results.push({ at, ms: at - startedAt });
        }),
      );
    },
  });

  const storageCheck = await probe?.stop();

  // A job that never ends must not hang the run: give the batch as long again as the worst case.
  await Promise.race([Promise.all(pending), deadline(workload.timeoutMs + 10 * 60_000)]);
  const api = await monitor.stop();
  tracker?.close();

  const accepted = outcomes.filter((outcome) => outcome.kind === "ok").length;
  const failedJobs = tracker
    ? [...tracker.finished.values()].filter((end) => end.status === "failed").length
    : 0;
  const unfinished = accepted - results.length;
  const byStatus: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (outcome.kind === "status") byStatus[outcome.status] = (byStatus[outcome.status] ?? 0) + 1;
  }
  const timeout = outcomes.filter((outcome) => outcome.kind === "timeout").length;
  const connection = outcomes.filter((outcome) => outcome.kind === "connection").length;
  const processing = failedJobs + unfinished;
  const lastResult = Math.max(started, ...results.map((result) => result.at));
  const drainSeconds = (lastResult - started) / 1000;
  // Once every upload is in, the workers have the machine to themselves: their
  // rate from then on is what the queue costs on the CPU limit. Sync results
  // all come with their responses, so for sync it is the whole batch's rate.
  const afterLastAccept = results.filter((result) => result.at > lastAccepted).length;
  const drainPerSecond =
    mode !== "sync" && afterLastAccept >= DRAIN_SAMPLE_MIN
      ? afterLastAccept / ((lastResult - lastAccepted) / 1000)
      : results.length / Math.max(0.001, drainSeconds);

  return {
    response: distribution(outcomes.map((outcome) => outcome.ms)),
    responseTimesMs: outcomes.map((outcome) => Math.round(outcome.ms)),
    accepted,
    acceptedPerSecond: accepted / Math.max(0.001, (lastAccepted - started) / 1000),
    failures: {
      byStatus,
      timeout,
      connection,
      processing,
      total: workload.count - accepted + processing,
    },
    timeToResult: distribution(results.map((result) => result.ms)),
    drainSeconds,
    drainPerSecond,
    api,
    ...(tracker && { eta: etaError(tracker.etaErrors()) }),
    ...(storageCheck && { direct: { ...directSteps(outcomes), storageCheck: distribution(storageCheck) } }),
  };
}

/** Resolves after `ms`, without keeping the process alive for it. */
const deadline = (ms: number) => delay(ms, undefined, { ref: false });

function etaError(errors: readonly number[]): NonNullable<ModeResult["eta"]> {
  const sorted = errors.map(Math.abs).sort((a, b) => a - b);
  return {
    predictions: sorted.length,
    errorP50: percentile(sorted, 50),
    errorP90: percentile(sorted, 90),
    tooLong: errors.filter((error) => error > 0).length / Math.max(1, errors.length),
  };
}

function directSteps(outcomes: readonly Outcome[]): NonNullable<ModeResult["direct"]> {
  const steps = outcomes.flatMap((outcome) =>
    outcome.kind === "ok" && outcome.direct ? [outcome.direct] : [],
  );
  const inApi = (stage: (step: DirectSteps) => number | undefined) => {
    const samples = steps.flatMap((step) => stage(step) ?? []);
    return samples.length === 0 ? undefined : distribution(samples);
  };
  return {
    sign: distribution(steps.map((step) => step.signMs)),
    complete: distribution(steps.map((step) => step.completeMs)),
    clientTotal: distribution(steps.map((step) => step.totalMs)),
    signInApi: inApi((step) => step.signInApiMs),
    completeInApi: inApi((step) => step.completeInApiMs),
    checkInApi: inApi((step) => step.checkInApiMs),
  };
}
