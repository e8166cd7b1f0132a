import type { UploadSnapshot } from "@darkroom/contracts";
import { describe, expect, it } from "vitest";
import { startTally, tallyWhileAway, titleWhileAway } from "../../src/uploads/done-while-away";
import type { UploadItem } from "../../src/uploads/uploads-reducer";

const snapshot = (status: UploadSnapshot["status"]): UploadSnapshot => ({
  id: "5f1c7c4e-9a1b-4c58-8d6e-2f2a6b9f0c11",
  mode: "queued",
  status,
  stage: status === "active" ? "decoding" : status,
  progress: status === "completed" ? 100 : 0,
  variants: [],
});
const processing = (key: string, status: UploadSnapshot["status"]): UploadItem => ({
  key,
  fileName: `${key}.jpg`,
  phase: "processing",
  snapshot: snapshot(status),
});
const sending = (key: string): UploadItem => ({
  key,
  fileName: `${key}.jpg`,
  phase: "uploading",
  mode: "queued",
  sentPercent: 40,
});

describe("uploads finishing while the tab is hidden", () => {
  it("awaits the unfinished uploads, not the gallery's finished ones, and counts each as it ends", () => {
    const hidden = startTally([sending("a"), processing("b", "queued"), processing("old", "completed")]);
    expect([...hidden.pending]).toEqual(["a", "b"]);

    const one = tallyWhileAway(hidden, [processing("a", "active"), processing("b", "completed")]);
    expect(one).toMatchObject({ done: 1, failed: 0 });
    expect([...one.pending]).toEqual(["a"]);

    const both = tallyWhileAway(one, [processing("a", "failed"), processing("b", "completed")]);
    expect(both).toMatchObject({ done: 2, failed: 1 });
    expect(both.pending.size).toBe(0);
  });

  it("returns the same tally when nothing finished, and forgets an upload deleted meanwhile", () => {
    const hidden = startTally([processing("a", "active"), processing("b", "queued")]);
    expect(tallyWhileAway(hidden, [processing("a", "active"), processing("b", "queued")])).toBe(hidden);

    const deleted = tallyWhileAway(hidden, [processing("a", "active")]);
    expect(deleted).toMatchObject({ done: 0 });
    expect([...deleted.pending]).toEqual(["a"]);
  });

  it("says in the title how many are done, and nothing before the first", () => {
    expect(titleWhileAway(0, "Darkroom · Upload photos")).toBe("Darkroom · Upload photos");
    expect(titleWhileAway(3, "Darkroom · Upload photos")).toBe("(3 done) Darkroom · Upload photos");
  });
});
