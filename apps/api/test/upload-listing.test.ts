import { recentUploadsSchema, type RecentUploads, type UploadSnapshot } from "@darkroom/contracts";
import { noisyPhoto, solidImage } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptedUpload,
  call,
  errorBody,
  getSnapshot,
  newCaller,
  postUpload,
  type Caller,
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

  it("answers 400 VALIDATION_FAILED to a limit out of range, with or without a cursor", async () => {
    const { nextCursor } = await page(await ownerOfUploads(2), "?limit=1");
    for (const query of ["?limit=0", "?limit=101", "?limit=many", `?limit=0&cursor=${nextCursor}`]) {
      const response = await call(api, `/api/uploads${query}`);
      expect(response.status).toBe(400);
      expect((await errorBody(response)).error.code).toBe("VALIDATION_FAILED");
    }
  });

  /** A new owner, with `count` uploads listed one after another; their ids, newest first. */
  async function ownerOfUploads(count: number): Promise<Caller & { ids: string[] }> {
    const owner = await newCaller(api.url);
    const photo = await solidImage(64, 48);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.unshift((await acceptedUpload(await postUpload(owner, photo))).id);
    return { ...owner, ids };
  }

  async function page(caller: Caller, query: string): Promise<RecentUploads> {
    const response = await call(caller, `/api/uploads${query}`);
    expect(response.status).toBe(200);
    return recentUploadsSchema.parse(await response.json());
  }

  const idsOf = (listing: RecentUploads) => listing.uploads.map((upload) => upload.id);

  it("pages through every upload newest first, each once, though new ones arrive between pages", async () => {
    const owner = await ownerOfUploads(5);

    const first = await page(owner, "?limit=2");
    const arrived = await acceptedUpload(await postUpload(owner, await solidImage(64, 48), "new.jpg"));
    const second = await page(owner, `?limit=2&cursor=${first.nextCursor}`);
    const third = await page(owner, `?limit=2&cursor=${second.nextCursor}`);

    expect([idsOf(first), idsOf(second), idsOf(third)]).toEqual([
      owner.ids.slice(0, 2),
      owner.ids.slice(2, 4),
      owner.ids.slice(4),
    ]);
    expect(third.nextCursor).toBeUndefined();
    // The first page, asked again, starts with what arrived.
    expect(idsOf(await page(owner, "?limit=2"))).toEqual([arrived.id, owner.ids[0]]);
  });

  it("goes on after an upload deleted since its page was listed", async () => {
    const owner = await ownerOfUploads(4);
    const first = await page(owner, "?limit=2");

    expect((await call(owner, `/api/uploads/${owner.ids[1]}`, { method: "DELETE" })).status).toBe(204);

    expect(idsOf(await page(owner, `?limit=2&cursor=${first.nextCursor}`))).toEqual(owner.ids.slice(2));
  });

  it("gives the last page no cursor, and a listing of exactly `limit` uploads one page", async () => {
    const owner = await ownerOfUploads(3);

    const whole = await page(owner, "?limit=3");
    expect(idsOf(whole)).toEqual(owner.ids);
    expect(whole.nextCursor).toBeUndefined();
    expect(idsOf(await page(owner, "?limit=100"))).toEqual(owner.ids);
    expect(await page(await newCaller(api.url), "")).toEqual({ uploads: [] });
  });

  it("answers 400 INVALID_CURSOR to a cursor it did not give", async () => {
    const made = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const cursor of ["", "page-2", "%00", made([Date.now(), "../../other"]), made({ after: 1 })]) {
      const response = await call(api, `/api/uploads?cursor=${encodeURIComponent(cursor)}`);
      expect({ cursor, status: response.status }).toEqual({ cursor, status: 400 });
      expect((await errorBody(response)).error.code).toBe("INVALID_CURSOR");
    }
  });
});
