import type { WorkerPace } from "@darkroom/queue";
import { describe, expect, it, vi } from "vitest";
import { createEta } from "../../src/uploads/eta";

describe("an upload's ETA, from the workers' pace", () => {
  const paced = (pace: WorkerPace | undefined) => vi.fn(() => Promise.resolve(pace));

  it("counts the jobs ahead ending as many at a time as run, then the upload's own run", async () => {
    const eta = createEta({ pace: paced({ takingJobs: true, slots: 4, medianRunMs: 1_000 }) });

    expect(await eta.whileWaiting(1)).toBe(1_250);
    expect(await eta.whileWaiting(40)).toBe(11_000);
  });

  it("gives a running upload what is left of a mean run, and never less than nothing", async () => {
    const eta = createEta({ pace: paced({ takingJobs: true, slots: 2, medianRunMs: 1_000 }) });

    expect(await eta.whileRunning(300)).toBe(700);
    expect(await eta.whileRunning(5_000)).toBe(0);
  });

  it("says nothing before any job has completed, or of a waiting upload while no worker takes jobs", async () => {
    expect(await createEta({ pace: paced(undefined) }).whileWaiting(1)).toBeUndefined();
    expect(await createEta({ pace: paced(undefined) }).whileRunning(0)).toBeUndefined();
    expect(
      await createEta({ pace: paced({ takingJobs: false, slots: 4, medianRunMs: 900 }) }).whileWaiting(1),
    ).toBeUndefined();
  });

  it("reads the pace once a second, however many snapshots ask", async () => {
    let now = 0;
    const pace = paced({ takingJobs: true, slots: 1, medianRunMs: 100 });
    const eta = createEta({ pace }, () => now);

    await Promise.all([eta.whileWaiting(1), eta.whileWaiting(2), eta.whileRunning(0)]);
    now = 999;
    await eta.whileWaiting(3);
    expect(pace).toHaveBeenCalledTimes(1);
    now = 1_001;
    await eta.whileWaiting(3);
    expect(pace).toHaveBeenCalledTimes(2);
  });

  it("asks again after a failed read, rather than keeping the failure for a second", async () => {
    const pace = vi
      .fn<() => Promise<WorkerPace | undefined>>()
      .mockRejectedValueOnce(new Error("Connection is closed."))
      .mockResolvedValue({ takingJobs: true, slots: 1, medianRunMs: 100 });
    const eta = createEta({ pace }, () => 0);

    await expect(eta.whileWaiting(1)).rejects.toThrow("Connection is closed.");
    expect(await eta.whileWaiting(1)).toBe(200);
  });
});
