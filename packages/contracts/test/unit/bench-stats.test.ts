import { describe, expect, it } from "vitest";
import { distribution, percentile } from "../../src";

describe("benchmark statistics", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("take percentiles by nearest rank: a sample that was actually measured", () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 95)).toBe(30);
  });

  it("give the lowest sample for 0 and the highest for 100, never past either end", () => {
    expect(percentile([3, 7], 0)).toBe(3);
    expect(percentile([3, 7], 100)).toBe(7);
  });

  it("say NaN, not 0, for no samples: a run that measured nothing must not look fast", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(distribution([])).toMatchObject({ count: 0, p50: Number.NaN, max: Number.NaN });
  });

  it("sort the samples themselves, in arrival order as the benchmark records them", () => {
    const shuffled = [...hundred].reverse();

    expect(distribution(shuffled)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(shuffled[0]).toBe(100);
  });
});
