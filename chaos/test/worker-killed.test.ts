import { noisyPhoto } from "@darkroom/imaging/testing";
import { readManifest } from "@darkroom/storage";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startChaosStack, type ChaosStack } from "./support/chaos-stack";
import { midJob } from "./support/queue-watch";
import { report, UploadLedger } from "./support/upload-ledger";

describe("a worker killed in the middle of a job (SIGKILL)", () => {
  let stack: ChaosStack;
  let photo: Buffer;
  beforeAll(async () => {
    stack = await startChaosStack({ workers: 0 });
    photo = await noisyPhoto(2400, 1600);
  });
  beforeEach(async () => {
    await stack.stopWorkers();
    await stack.inspector.obliterate();
  });
  afterAll(() => stack?.stop());

  it("loses nothing: another worker takes its jobs back and completes them", async () => {
    const ledger = new UploadLedger(stack.token);
    await ledger.uploadMany(stack.apiUrls, photo, 12);
    const doomed = await stack.startWorker();

    await midJob(stack.inspector);
    doomed.child.kill("SIGKILL");
    await stack.startWorker();
    const settled = await ledger.settle(stack.apiUrls[0]!, stack);
    await report("worker SIGKILLed mid-job", settled);

    expect(settled).toMatchObject({ accepted: 12, completed: 12, failed: {}, lost: [], completedTwice: [] });
    expect(settled.stalled).toBeGreaterThan(0);
  });

  it("fails a photo that kills its worker twice with JOB_STALLED, and records it in S3", async () => {
    const ledger = new UploadLedger(stack.token);
    await ledger.upload(stack.apiUrls[0]!, photo);
    const [id] = ledger.accepted as [string];

    for (const stalled of [0, 1]) {
      const worker = await stack.startWorker();
      await midJob(stack.inspector, { id, stalled });
      worker.child.kill("SIGKILL");
    }
    // This worker finds the job stalled a second time, and its reconciler records the failure.
    await stack.startWorker({ RECONCILE_EVERY_S: "1", RECONCILE_GRACE_S: "0" });
    const settled = await ledger.settle(stack.apiUrls[0]!, stack);
    await report("worker SIGKILLed twice on one job", settled);

    expect(settled).toMatchObject({ accepted: 1, completed: 0, failed: { JOB_STALLED: 1 }, lost: [] });
    await vi.waitFor(
      async () =>
        expect(await readManifest(stack.storage, id)).toMatchObject({
          status: "failed",
          error: { code: "JOB_STALLED" },
        }),
      { timeout: 15_000, interval: 250 },
    );
  });
});
