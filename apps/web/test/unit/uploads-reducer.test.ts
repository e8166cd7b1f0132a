import type { UploadSnapshot } from "@darkroom/contracts";
import { describe, expect, it } from "vitest";
import { initialUploadsState, uploadsReducer, type UploadsAction } from "../../src/uploads/uploads-reducer";

const id = "5f1c7c4e-9a1b-4c58-8d6e-2f2a6b9f0c11";
const active: UploadSnapshot = {
  id,
  mode: "queued",
  status: "active",
  stage: "decoding",
  progress: 15,
  variants: [],
};

describe("the uploads on the page", () => {
  it("keeps one card for an upload the gallery listed while its own answer was on the way", () => {
    const state = [
      { type: "added", key: "local-0", fileName: "a.jpg", mode: "queued" },
      { type: "listed", snapshots: [active] },
      {
        type: "accepted",
        key: "local-0",
        snapshot: { ...active, status: "queued", stage: "queued", progress: 0 },
      },
    ].reduce((current, action) => uploadsReducer(current, action as UploadsAction), initialUploadsState);

    expect(state.order).toEqual(["local-0"]);
    expect(state.byKey["local-0"]).toMatchObject({ phase: "processing", snapshot: { status: "active" } });
  });
});
