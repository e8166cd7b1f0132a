import { noisyPhoto } from "@darkroom/imaging/testing";
import { Redis } from "ioredis";
import pLimit from "p-limit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptedUpload,
  errorBody,
  getSnapshot,
  newCaller,
  postUpload,
  waitUntilFinished,
  type Caller,
} from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

const BULK = { "Upload-Priority": "bulk" };

/** Uploads `count` photos as `caller`, a few at a time as a client would; their ids, in the order they were accepted. */
async function uploadMany(caller: Caller, photo: Buffer, count: number, headers = {}): Promise<string[]> {
  const ids: string[] = [];
  const limit = pLimit(4);
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limit(async () => {
        const { id } = await acceptedUpload(
          await postUpload(caller, photo, `a-${i}.jpg`, undefined, headers),
        );
        ids.push(id);
      }),
    ),
  );
  return ids;
}

/**
 * The queue's order is fair between owners: one owner's 300 waiting photos
 * do not put another owner's first photo behind them all; and bulk uploads
 * wait for every interactive one.
 */
describe("fair order: owners take turns, bulk goes last", () => {
  let api: TestApi;
  let photo: Buffer;
  beforeAll(async () => {
    api = await startTestApi({ WORKER_CONCURRENCY: "2" });
    photo = await noisyPhoto(320, 240);
  });
  afterAll(() => api?.close());

  it("puts another owner's first upload second in line behind 300 of one owner's, and runs it before the tenth", async () => {
    const a = await newCaller(api.url);
    const b = await newCaller(api.url);
    await api.queue.pause();
    const aIds = await uploadMany(a, photo, 300);
    const { id: bId } = await acceptedUpload(await postUpload(b, photo, "b.jpg"));

    expect((await getSnapshot(b, bId)).queuePosition).toBeLessThanOrEqual(2);
    // Within one owner, the order they came in.
    const positions = await Promise.all(
      aIds.slice(0, 20).map(async (id) => (await getSnapshot(a, id)).queuePosition),
    );
    expect(positions).toEqual([...positions].sort((x, y) => x! - y!));

    await api.startWorker();
    await api.queue.resume();
    const bDone = await waitUntilFinished(b, bId, 60_000);
    const aTenth = await waitUntilFinished(a, aIds[9]!, 60_000);
    expect(bDone.status).toBe("completed");
    expect(Date.parse(bDone.timings!.finishedAt!)).toBeLessThan(Date.parse(aTenth.timings!.finishedAt!));
    await api.queue.pause();
  });

  it("runs a bulk upload after every interactive one, whoever sent it first", async () => {
    const importer = await newCaller(api.url);
    const person = await newCaller(api.url);
    const [bulkId] = await uploadMany(importer, photo, 1, BULK);
    const { id: interactiveId } = await acceptedUpload(await postUpload(person, photo, "now.jpg"));

    const bulk = await getSnapshot(importer, bulkId!);
    const interactive = await getSnapshot(person, interactiveId);
    expect(interactive.queuePosition).toBeLessThan(bulk.queuePosition!);
  });

  it("starts its tags again from 1 once the queue is idle, so that they stay within BullMQ's range", async () => {
    const fresh = await startTestApi();
    const redis = new Redis(fresh.env.REDIS_URL!);
    const priorityOf = async (id: string) =>
      Number(await redis.hget(`${fresh.config.queue.prefix}:${fresh.config.queue.name}:${id}`, "priority"));
    try {
      await fresh.queue.pause();
      const first = await uploadMany(fresh, photo, 3);
      expect((await Promise.all(first.map(priorityOf))).sort()).toEqual([1, 2, 3]);
      await fresh.startWorker();
      await fresh.queue.resume();
      for (const id of first) await waitUntilFinished(fresh, id, 30_000);

      const [next] = await uploadMany(fresh, photo, 1);
      expect(await priorityOf(next!)).toBe(1);
    } finally {
      redis.disconnect();
      await fresh.close();
    }
  });

  it("refuses an Upload-Priority it does not know before storing anything", async () => {
    const before = await api.storage.listKeys("originals/");
    const response = await postUpload(api, photo, "p.jpg", undefined, { "Upload-Priority": "urgent" });

    expect(response.status).toBe(400);
    expect((await errorBody(response)).error.code).toBe("VALIDATION_FAILED");
    expect(await api.storage.listKeys("originals/")).toEqual(before);
  });
});
