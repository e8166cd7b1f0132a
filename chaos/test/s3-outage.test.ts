import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChaosStack, type ChaosStack } from "./support/chaos-stack";
import { midJob } from "./support/queue-watch";
import { report, UploadLedger } from "./support/upload-ledger";

/** Longer than the first retry delay (1 s at most), shorter than all five tries take (7.5 s at least). */
const OUTAGE_MS = 3_000;

describe("the S3 server stopped for longer than a retry delay", () => {
  let stack: ChaosStack;
  let photo: Buffer;
  beforeAll(async () => {
    stack = await startChaosStack({ workers: 1 });
    photo = await noisyPhoto(2400, 1600);
  });
  afterAll(() => stack?.stop());

  it("turns uploads away meanwhile, and the jobs it interrupted retry and complete", async () => {
    const ledger = new UploadLedger(stack.token);
    await ledger.uploadMany(stack.apiUrls, photo, 10);
    await midJob(stack.inspector);

    await stack.s3.stop();
    await ledger.uploadMany(stack.apiUrls, photo, 3);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await stack.s3.start();
    const settled = await ledger.settle(stack.apiUrls[0]!, stack);
    await report("S3 stopped for 3 s", settled);

    expect(settled).toMatchObject({
      accepted: 10,
      completed: 10,
      failed: {},
      lost: [],
      refused: { "503 STORAGE_UNAVAILABLE": 3 },
      completedTwice: [],
    });
    expect(settled.retried).toBeGreaterThan(0);
  });
});
