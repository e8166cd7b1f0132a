import type { UploadSnapshot } from "@darkroom/contracts";
import { describe, expect, it } from "vitest";
import { newestSnapshot } from "../../src/uploads/newest-snapshot";

const snapshot = (overrides: Partial<UploadSnapshot>): UploadSnapshot => ({
  id: "5f1c7c4e-9a1b-4c58-8d6e-2f2a6b9f0c11",
  mode: "queued",
  status: "active",
  stage: "resizing",
  progress: 50,
  variants: [],
  ...overrides,
});

describe("newestSnapshot", () => {
  it("keeps the further progress when an older report arrives late", () => {
    const later = snapshot({ progress: 70 });
    expect(newestSnapshot(later, snapshot({ progress: 30 }))).toBe(later);
    expect(newestSnapshot(snapshot({ progress: 30 }), later)).toBe(later);
  });

  it("never lets a queued snapshot replace an active one", () => {
    const active = snapshot({ progress: 5 });
    expect(newestSnapshot(active, snapshot({ status: "queued", stage: "queued", progress: 0 }))).toBe(active);
  });

  it("lets an end win over any progress, and keeps it once reached", () => {
    const done = snapshot({ status: "completed", stage: "completed", progress: 100 });
    expect(newestSnapshot(snapshot({ progress: 90 }), done)).toBe(done);
    expect(newestSnapshot(done, snapshot({ progress: 95 }))).toBe(done);
  });

  it("lets a later try win, even with less progress, and ignores reports of the try before", () => {
    const firstTry = snapshot({ attempt: 1, progress: 80 });
    const secondTry = snapshot({ attempt: 2, stage: "downloading", progress: 5 });
    expect(newestSnapshot(firstTry, secondTry)).toBe(secondTry);
    expect(newestSnapshot(secondTry, firstTry)).toBe(secondTry);
  });

  it("takes the newest place in line while queued", () => {
    const third = snapshot({ status: "queued", stage: "queued", progress: 0, queuePosition: 3 });
    const next = snapshot({ status: "queued", stage: "queued", progress: 0, queuePosition: 1 });
    expect(newestSnapshot(third, next)).toBe(next);
  });

  it("keeps the file and timings a fuller snapshot gave when a progress event has none", () => {
    const full = snapshot({
      progress: 30,
      original: { filename: "a.jpg", bytes: 1000 },
      timings: { uploadedAt: "2026-11-28T02:00:00.000Z" },
    });
    const merged = newestSnapshot(full, snapshot({ progress: 60 }));
    expect(merged).toMatchObject({ progress: 60, original: full.original, timings: full.timings });
  });
});
