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
      { type: "listed", snapshots: [active], more: false },
      {
        type: "accepted",
        key: "local-0",
        snapshot: { ...active, status: "queued", stage: "queued", progress: 0 },
      },
    ].reduce((current, action) => uploadsReducer(current, action as UploadsAction), initialUploadsState);

    expect(state.order).toEqual(["local-0"]);
    expect(state.byKey["local-0"]).toMatchObject({ phase: "processing", snapshot: { status: "active" } });
  });

  it("appends each page of the gallery after the uploads added here, and knows whether more follow", () => {
    const older = { ...active, id: "0b6a4f3e-1d2c-4b5a-9e8f-7a6b5c4d3e2f", status: "completed" as const };
    const state = [
      { type: "added", key: "local-0", fileName: "new.jpg", mode: "queued" },
      { type: "listing" },
      { type: "listed", snapshots: [active], more: true },
      { type: "listing" },
      { type: "listed", snapshots: [older], more: false },
    ].reduce((current, action) => uploadsReducer(current, action as UploadsAction), initialUploadsState);

    expect(state.order).toEqual(["local-0", active.id, older.id]);
    expect(state.listing).toEqual({ loading: false, more: false });
  });

  it("keeps the listed pages when the next one fails, and says why", () => {
    const error = { code: "NETWORK" as const, message: "The connection to the server was lost." };
    const state = [
      { type: "listed", snapshots: [active], more: true },
      { type: "listing" },
      { type: "listingFailed", error },
    ].reduce((current, action) => uploadsReducer(current, action as UploadsAction), initialUploadsState);

    expect(state.order).toEqual([active.id]);
    expect(state.listing).toEqual({ loading: false, more: true, error });
  });

  it("takes a deleted upload off the page", () => {
    const state = [
      { type: "listed", snapshots: [active], more: false },
      { type: "removed", uploadId: active.id },
    ].reduce((current, action) => uploadsReducer(current, action as UploadsAction), initialUploadsState);

    expect(state.order).toEqual([]);
    expect(state.byKey).toEqual({});
  });
});
