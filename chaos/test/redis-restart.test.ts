import { noisyPhoto } from "@darkroom/imaging/testing";
import { objectKeys } from "@darkroom/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChaosStack, type ChaosStack } from "./support/chaos-stack";
import { report, UploadLedger } from "./support/upload-ledger";

describe("Redis restarted while uploads arrive", () => {
  let stack: ChaosStack;
  let photo: Buffer;
  beforeAll(async () => {
    stack = await startChaosStack({ workers: 1 });
    photo = await noisyPhoto(1600, 1200);
  });
  afterAll(() => stack?.stop());

  it("never answers 202 without a job, and every accepted upload completes", async () => {
    const ledger = new UploadLedger(stack.token);
    let sending = true;
    const clients = Array.from({ length: 3 }, async () => {
      while (sending) await ledger.upload(stack.apiUrls[0]!, photo);
    });

    await until(() => ledger.accepted.length >= 5);
    await stack.redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await stack.redis.start();
    const acceptedBefore = ledger.accepted.length;
    await until(() => ledger.accepted.length >= acceptedBefore + 5);
    sending = false;
    await Promise.all(clients);

    const settled = await ledger.settle(stack.apiUrls[0]!, stack);
    await report("Redis restarted under uploads", settled);
    expect(settled).toMatchObject({ completed: settled.accepted, failed: {}, lost: [], completedTwice: [] });
    // The outage was seen, and answered with 503 only.
    expect(Object.keys(settled.refused)).toEqual(["503 QUEUE_UNAVAILABLE"]);
    // Nothing of a refused upload stayed in S3.
    expect((await stack.storage.listKeys(objectKeys.originals)).length).toBe(settled.accepted);
  });
});

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Not so after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
