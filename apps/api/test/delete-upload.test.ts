import { uploadSnapshotSchema } from "@darkroom/contracts";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { objectKeys } from "@darkroom/storage";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { acceptedUpload, call, getSnapshot, postUpload, waitUntilFinished } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";
import { headResumable, sendResumable, uploadIdOf } from "./support/tus-client";

describe("an owner deletes an upload, at any stage", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.startWorker();
  });
  afterAll(() => api?.close());

  const remove = (id: string) => call(api, `/api/uploads/${id}`, { method: "DELETE" });

  /** Every object of the upload still in the bucket: none once it is deleted. */
  async function objectsOf(id: string): Promise<string[]> {
    const keys = await Promise.all(
      ["originals/", "manifests/", "resumable/", objectKeys.variantsOf(id)].map((prefix) =>
        api.storage.listKeys(prefix),
      ),
    );
    return keys.flat().filter((key) => key.includes(id));
  }

  async function expectGone(id: string) {
    expect((await call(api, `/api/uploads/${id}`)).status).toBe(404);
    const listing = await (await call(api, "/api/uploads")).json();
    expect(JSON.stringify(listing)).not.toContain(id);
    expect(await objectsOf(id)).toEqual([]);
  }

  it("once processed: its original, variants and manifest go, and it is no longer listed", async () => {
    const { id } = await acceptedUpload(await postUpload(api, await noisyPhoto(1200, 800)));
    const done = await waitUntilFinished(api, id, 30_000);
    // No bigger than 1280 px: medium shares the large one's objects.
    expect(done.variants).toHaveLength(6);
    expect(await objectsOf(id)).toHaveLength(1 + 1 + 4);

    expect((await remove(id)).status).toBe(204);

    await expectGone(id);
    // Its URL is still signed, but for nothing.
    expect((await fetch(done.variants[0]!.url)).status).toBe(404);
    expect((await remove(id)).status).toBe(404);
  });

  it("while it waits in the queue: its job goes too, and no worker ever takes it", async () => {
    await api.queue.pause();
    try {
      const { id } = await acceptedUpload(await postUpload(api, await noisyPhoto(800, 600)));
      expect((await remove(id)).status).toBe(204);
      expect(await api.queue.find(id)).toBeUndefined();
      await expectGone(id);
    } finally {
      await api.queue.resume();
    }
  });

  it("while a worker processes it: it reads as gone at once, and the worker's work is thrown away", async () => {
    const { id } = await acceptedUpload(await postUpload(api, await noisyPhoto(4000, 3000)));
    await vi.waitFor(async () => expect((await getSnapshot(api, id)).status).toBe("active"), {
      timeout: 20_000,
      interval: 20,
    });

    expect((await remove(id)).status).toBe(204);
    expect((await call(api, `/api/uploads/${id}`)).status).toBe(404);

    await vi.waitFor(async () => expect((await api.queue.find(id))?.state).toBe("completed"), {
      timeout: 30_000,
      interval: 100,
    });
    await expectGone(id);
  });

  it("sent resumably: tus forgets it too, so resuming it finds nothing", async () => {
    const photo = await noisyPhoto(800, 600);
    const { answer, location } = await sendResumable(api, photo);
    expect(answer.status).toBe(204);
    const id = uploadIdOf(location!);
    uploadSnapshotSchema.parse(await waitUntilFinished(api, id, 30_000));

    expect((await remove(id)).status).toBe(204);

    await expectGone(id);
    expect((await headResumable(api, location!)).status).toBe(404);
  });
});
