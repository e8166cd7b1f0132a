import type { UploadSnapshot } from "@darkroom/contracts";
import { describe, expect, it } from "vitest";
import { newestSnapshot } from "../src/uploads/newest-snapshot";

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
});
