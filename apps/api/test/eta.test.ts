import type { UploadSnapshot } from "@darkroom/contracts";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedUpload, getSnapshot, postUpload, waitUntilFinished } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

/**
 * The ETA through the real path: BullMQ's completed jobs in Redis give the
 * workers' pace, a real worker process runs the jobs. How close it comes is
 * measured by `pnpm bench`, not here.
 */
describe("ETA: about how long until an upload is done", () => {
  let api: TestApi;
  let photo: Buffer;
  const upload = async (name: string) => (await acceptedUpload(await postUpload(api, photo, name))).id;

  beforeAll(async () => {
    api = await startTestApi({ WORKER_CONCURRENCY: "2" });
    photo = await noisyPhoto(2400, 1800);
  });
  afterAll(() => api?.close());

  it("says nothing until the workers have completed a job, then says how long for each place in line", async () => {
    await api.queue.pause();
    const first = await upload("first.jpg");
    expect(await getSnapshot(api, first)).not.toHaveProperty("etaMs");

    await api.startWorker();
    await api.queue.resume();
    await waitUntilFinished(api, first, 30_000);

    await api.queue.pause();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await upload(`next-${i}.jpg`));
    await api.queue.resume();
    // Read while the workers run the first two and the rest wait: the pace is read at most once a second.
    const read = () => Promise.all([ids[0]!, ids[4]!, ids[7]!].map((id) => getSnapshot(api, id)));
    const withEta = (snapshots: UploadSnapshot[]) =>
      snapshots.map((snapshot) => [snapshot.status, snapshot.etaMs !== undefined]);
    await expect
      .poll(async () => withEta(await read()), { timeout: 20_000, interval: 50 })
      .toEqual([
        ["active", true],
        ["queued", true],
        ["queued", true],
      ]);
    const [, nearer, further] = (await read()) as [UploadSnapshot, UploadSnapshot, UploadSnapshot];

    expect(further.queuePosition!).toBeGreaterThan(nearer.queuePosition!);
    expect(further.etaMs!).toBeGreaterThan(nearer.etaMs!);
    for (const id of ids) expect((await waitUntilFinished(api, id, 60_000)).status).toBe("completed");
  });

  it("says nothing of a waiting upload while the queue is paused", async () => {
    await api.queue.pause();
    const waiting = await upload("paused.jpg");

    expect(await getSnapshot(api, waiting)).toMatchObject({ status: "queued", queuePosition: 1 });
    // The pace is read at most once a second.
    await expect.poll(() => getSnapshot(api, waiting), { timeout: 2_000 }).not.toHaveProperty("etaMs");
    await api.queue.resume();
    await waitUntilFinished(api, waiting, 30_000);
  });
});
