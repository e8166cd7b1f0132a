import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { freePort, startWorkerProcess, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv, metricSample } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { photoQueueFromEnv } from "@darkroom/queue";
import { obliteratePhotoQueue } from "@darkroom/queue/testing";
import { objectKeys, readManifest, storageFromEnv } from "@darkroom/storage";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

describe("the worker's metrics and probes", () => {
  const env = isolatedEnv();
  const storage = storageFromEnv(env);
  const queue = photoQueueFromEnv(env);
  let worker: StartedProcess;
  let opsUrl: string;
  beforeAll(async () => {
    worker = await startWorkerProcess(env);
    opsUrl = worker.ready[1]!;
  });
  afterAll(async () => {
    await worker?.stop();
    await queue.close();
    await obliteratePhotoQueue(env);
  });

  /** Stores `bytes` as an original and enqueues its job, as the API does; resolves once it has ended. */
  async function process(bytes: Buffer): Promise<void> {
    const id = randomUUID();
    const originalKey = objectKeys.original(id);
    await storage.putStream(originalKey, () => Readable.from([bytes]), bytes.byteLength, "image/jpeg");
    const job = { id, originalKey, contentType: "image/jpeg", bytes: bytes.byteLength, filename: "a.jpg" };
    await queue.enqueue({ ...job, uploadedAt: new Date().toISOString() });
    await vi.waitFor(
      async () => expect((await readManifest(storage, id))?.status).toMatch(/completed|failed/),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
  }

  it("answers its liveness and readiness probes", async () => {
    expect((await fetch(`${opsUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${opsUrl}/readyz`)).json()).toEqual({ status: "ready" });
  });

  it("times each stage of a job, and counts attempts by outcome and error code", async () => {
    const photo = await noisyPhoto(1600, 1200);
    await process(photo);
    await process(photo.subarray(0, photo.byteLength / 2));

    const text = await (await fetch(`${opsUrl}/metrics`)).text();
    for (const stage of ["download", "decode", "resize_large", "resize_medium", "resize_thumb", "store"])
      expect(
        metricSample(text, "darkroom_job_stage_duration_seconds_count", `stage="${stage}"`),
      ).toBeGreaterThanOrEqual(1);
    expect(metricSample(text, "darkroom_jobs_total", 'outcome="completed",code=""')).toBe(1);
    expect(metricSample(text, "darkroom_jobs_total", 'outcome="failed",code="IMAGE_CORRUPT"')).toBe(1);
    expect(metricSample(text, "darkroom_job_duration_seconds_count", 'outcome="completed"')).toBe(1);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });
});

describe("a worker that cannot reach Redis", () => {
  it("answers that it is alive but not ready, so that it is neither restarted nor counted on", async () => {
    const worker = await startWorkerProcess(
      { ...isolatedEnv(), REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
      "probes",
    );
    try {
      const opsUrl = worker.ready[1]!;
      expect((await fetch(`${opsUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${opsUrl}/readyz`)).status).toBe(503);
    } finally {
      await worker.stop();
    }
  });
});
