import { describe, expect, it } from "vitest";
import { paceOf } from "../../src/photo-queue";

const running = (count: number) => ({ running: count, takingJobs: true });

const run = (startedAt: number, finishedAt: number) => ({ startedAt, finishedAt });

describe("the workers' pace, from their recent jobs", () => {
  it("takes the median of how long the jobs ran, which one slow job does not move", () => {
    expect(paceOf(running(1), [run(0, 1_000), run(1_000, 4_000)])?.medianRunMs).toBe(2_000);
    expect(paceOf(running(1), [run(0, 900), run(0, 1_000), run(0, 1_100), run(0, 9_000)])?.medianRunMs).toBe(
      1_050,
    );
    expect(paceOf(running(1), [run(0, 900), run(0, 1_000), run(0, 9_000)])?.medianRunMs).toBe(1_000);
  });

  it("counts as many slots as jobs ran at one moment lately, while fewer run now", () => {
    const burst = [run(0, 1_000), run(100, 1_100), run(200, 1_200), run(1_000, 2_000)];

    expect(paceOf(running(1), burst)?.slots).toBe(3);
    expect(paceOf(running(5), burst)?.slots).toBe(5);
  });

  it("does not count a job that starts as another ends as running beside it", () => {
    expect(paceOf(running(0), [run(0, 1_000), run(1_000, 2_000), run(2_000, 3_000)])?.slots).toBe(1);
  });

  it("knows nothing before a job has completed", () => {
    expect(paceOf(running(2), [])).toBeUndefined();
    expect(paceOf(running(2), [{ startedAt: undefined, finishedAt: undefined }])).toBeUndefined();
  });
});
