import { once } from "node:events";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChaosStack, type ChaosStack } from "./support/chaos-stack";
import { midJob } from "./support/queue-watch";
import { report, UploadLedger } from "./support/upload-ledger";

describe("a worker stopped with SIGTERM under load", () => {
  let stack: ChaosStack;
  let photo: Buffer;
  beforeAll(async () => {
    stack = await startChaosStack({ workers: 0 });
    photo = await noisyPhoto(2400, 1600);
  });
  afterAll(() => stack?.stop());

  it("finishes the jobs in its hands and exits; no job stalls, and the next worker does the rest", async () => {
    const ledger = new UploadLedger(stack.token);
    await ledger.uploadMany(stack.apiUrls, photo, 12);
    const stopping = await stack.startWorker();
    await midJob(stack.inspector);

    const exited = once(stopping.child, "exit");
    stopping.child.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    const unfinished = await stack.queue.counts();
    await stack.startWorker();
    const settled = await ledger.settle(stack.apiUrls[0]!, stack);
    await report("worker SIGTERMed under load", settled);

    expect(code).toBe(0);
    // It left with nothing in hand, and work still to do: it did not drain the queue first.
    expect(unfinished).toMatchObject({ active: 0, waiting: expect.any(Number) as number });
    expect(unfinished.waiting).toBeGreaterThan(0);
    expect(settled).toMatchObject({
      accepted: 12,
      completed: 12,
      failed: {},
      lost: [],
      stalled: 0,
      completedTwice: [],
    });
  });
});
