import type { UploadSnapshot } from "@darkroom/contracts";
import { describe, expect, it } from "vitest";
import { comparedWithOriginal, describeStage, formatDuration, formatEta } from "../../src/uploads/describe";

const queued = (queuePosition?: number, etaMs?: number): UploadSnapshot => ({
  id: "5f1c7c4e-9a1b-4c58-8d6e-2f2a6b9f0c11",
  mode: "queued",
  status: "queued",
  stage: "queued",
  progress: 0,
  variants: [],
  queuePosition,
  etaMs,
});

describe("words for a card", () => {
  it("says where a waiting upload stands in line", () => {
    expect(describeStage(queued(1))).toBe("Next in queue");
    expect(describeStage(queued(2))).toBe("Waiting in queue, 2nd in line");
    expect(describeStage(queued(23))).toBe("Waiting in queue, 23rd in line");
    expect(describeStage(queued(11))).toBe("Waiting in queue, 11th in line");
    expect(describeStage(queued())).toBe("Waiting in queue");
  });

  it("adds about how long it will be, when the API can tell", () => {
    expect(describeStage(queued(12, 38_200))).toBe("Waiting in queue, 12th in line, about 40 s");
    expect(describeStage(queued(1, 900))).toBe("Next in queue, about 5 s");
  });

  it("rounds an estimate to what it can be trusted to", () => {
    expect(formatEta(0)).toBe("about 5 s");
    expect(formatEta(41_000)).toBe("about 45 s");
    expect(formatEta(84_000)).toBe("about 85 s");
    expect(formatEta(89_000)).toBe("about 2 min");
    expect(formatEta(185_000)).toBe("about 3 min");
  });

  it("compares a variant with the original, never rounding a saving up to 100%", () => {
    expect(comparedWithOriginal(310, 1000)).toBe("69% smaller");
    expect(comparedWithOriginal(2_300, 781_000)).toBe("99.7% smaller");
    expect(comparedWithOriginal(1_200, 1000)).toBe("20% larger");
  });

  it("gives durations in the unit that reads best", () => {
    expect(formatDuration(36)).toBe("36 ms");
    expect(formatDuration(2_140)).toBe("2.1 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
  });
});
