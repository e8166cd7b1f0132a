import type { UploadSnapshot } from "@darkroom/contracts";
import { describe, expect, it } from "vitest";
import { comparedWithOriginal, describeStage, formatDuration } from "../../src/uploads/describe";

const queued = (queuePosition?: number): UploadSnapshot => ({
  id: "5f1c7c4e-9a1b-4c58-8d6e-2f2a6b9f0c11",
  mode: "queued",
  status: "queued",
  stage: "queued",
  progress: 0,
  variants: [],
  queuePosition,
});

describe("words for a card", () => {
  it("says where a waiting upload stands in line", () => {
    expect(describeStage(queued(1))).toBe("Next in queue");
    expect(describeStage(queued(2))).toBe("Waiting in queue, 2nd in line");
    expect(describeStage(queued(23))).toBe("Waiting in queue, 23rd in line");
    expect(describeStage(queued(11))).toBe("Waiting in queue, 11th in line");
    expect(describeStage(queued())).toBe("Waiting in queue");
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
