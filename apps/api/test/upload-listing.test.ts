import { recentUploadsSchema, type UploadSnapshot } from "@darkroom/contracts";
import { noisyPhoto, solidImage } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptedUpload,
  call,
  errorBody,
  getSnapshot,
  postUpload,
  SYNC_ENDPOINT,
  waitUntilFinished,
} from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

describe("the gallery's listing, and what a snapshot tells of an upload", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  async function listed(query = ""): Promise<UploadSnapshot[]> {
    const response = await call(api, `/api/uploads${query}`);
    expect(response.status).toBe(200);
    return recentUploadsSchema.parse(await response.json()).uploads;
  }

  it("tells a waiting upload its place in the queue, from 1 for the next", async () => {
    const ids: string[] = [];
    for (const name of ["first.jpg", "second.jpg", "third.jpg"])
      ids.push((await acceptedUpload(await postUpload(api, await solidImage(300, 200), name))).id);

    const snapshots = await Promise.all(ids.map((id) => getSnapshot(api, id)));

    expect(snapshots.map((snapshot) => [snapshot.status, snapshot.queuePosition])).toEqual([
      ["queued", 1],
      ["queued", 2],
      ["queued", 3],
    ]);
    expect(snapshots[1]).toMatchObject({
      original: { filename: "second.jpg", bytes: expect.any(Number) as number },
      timings: { uploadedAt: expect.any(String) as string, receiveMs: expect.any(Number) as number },
    });
  });

  it("lists the newest uploads first, from either endpoint, as they are now", async () => {
    await api.startWorker();
    const queued = await acceptedUpload(await postUpload(api, await noisyPhoto(1200, 800), "queued.jpg"));
    const sync = await postUpload(api, await noisyPhoto(1200, 800), "sync.jpg", SYNC_ENDPOINT);
    expect(sync.status).toBe(201);
    const done = await waitUntilFinished(api, queued.id);

    const [newest, second] = await listed();

    expect(newest).toMatchObject({ mode: "sync", status: "completed", original: { filename: "sync.jpg" } });
    expect(second).toEqual(done);
    expect(await listed("?limit=1")).toHaveLength(1);
    // Every step of the queued one is timed, in order.
    const { uploadedAt, startedAt, finishedAt, receiveMs } = done.timings!;
    expect(receiveMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(uploadedAt)).toBeLessThanOrEqual(Date.parse(startedAt!));
    expect(Date.parse(startedAt!)).toBeLessThanOrEqual(Date.parse(finishedAt!));
  });

  it("answers 400 VALIDATION_FAILED to a limit out of range", async () => {
    for (const query of ["?limit=0", "?limit=101", "?limit=many"]) {
      const response = await call(api, `/api/uploads${query}`);
      expect(response.status).toBe(400);
      expect((await errorBody(response)).error.code).toBe("VALIDATION_FAILED");
    }
  });
});
