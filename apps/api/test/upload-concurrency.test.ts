import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startRawUpload } from "./support/raw-upload";
import { startTestApi, type TestApi } from "./support/test-stack";
import { createdAt, createResumable, cutPatch, offsetOf, patchResumable } from "./support/tus-client";

describe("more uploads at once than UPLOAD_CONCURRENCY", () => {
  let api: TestApi;
  let photo: Buffer;
  beforeAll(async () => {
    api = await startTestApi({ UPLOAD_CONCURRENCY: "1" });
    photo = await noisyPhoto(1600, 1200);
  });
  afterAll(() => api?.close());

  async function receives() {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1]);
    return {
      inFlight: gauge("darkroom_upload_receives_in_flight"),
      waiting: gauge("darkroom_upload_receives_waiting"),
    };
  }

  it("receives one at a time: the others wait unread, then go through", async () => {
    const first = await startRawUpload(api, photo, { sentBytes: photo.byteLength / 2 });
    await vi.waitFor(async () => expect(await receives()).toEqual({ inFlight: 1, waiting: 0 }));

    const second = await startRawUpload(api, photo);
    await vi.waitFor(async () => expect(await receives()).toEqual({ inFlight: 1, waiting: 1 }));
    expect(await api.spooledFiles()).toHaveLength(1);

    first.finish();
    expect(await first.status).toBe(202);
    expect(await second.status).toBe(202);
    expect(await api.storage.listKeys("originals/")).toHaveLength(2);
    expect(await receives()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it("takes turns with resumable PATCHes: a PATCH waits unread while the slot is taken", async () => {
    const originalsBefore = (await api.storage.listKeys("originals/")).length;
    const first = await startRawUpload(api, photo, { sentBytes: photo.byteLength / 2 });
    await vi.waitFor(async () => expect(await receives()).toEqual({ inFlight: 1, waiting: 0 }));

    const location = createdAt(await createResumable(api, photo.byteLength));
    const patch = patchResumable(api, location, 0, photo);
    await vi.waitFor(async () => expect(await receives()).toEqual({ inFlight: 1, waiting: 1 }));
    expect(await offsetOf(api, location)).toBe(0);

    first.finish();
    expect(await first.status).toBe(202);
    expect((await patch).status).toBe(204);
    expect(await offsetOf(api, location)).toBe(photo.byteLength);
    expect(await api.storage.listKeys("originals/")).toHaveLength(originalsBefore + 2);
    expect(await receives()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it("gives the slot back when a PATCH's connection drops midway", async () => {
    const location = createdAt(await createResumable(api, photo.byteLength));
    await cutPatch(api, location, 0, photo, photo.byteLength / 2);
    await vi.waitFor(async () => expect(await receives()).toEqual({ inFlight: 0, waiting: 0 }), {
      timeout: 10_000,
    });
    const next = await startRawUpload(api, photo);
    expect(await next.status).toBe(202);
  });

  it("drops a waiting upload whose client hangs up, storing nothing of it", async () => {
    const originalsBefore = (await api.storage.listKeys("originals/")).length;
    const first = await startRawUpload(api, photo, { sentBytes: photo.byteLength / 2 });
    await vi.waitFor(async () => expect(await receives()).toEqual({ inFlight: 1, waiting: 0 }));
    const quitter = await startRawUpload(api, photo, { sentBytes: photo.byteLength / 2 });
    await vi.waitFor(async () => expect(await receives()).toEqual({ inFlight: 1, waiting: 1 }));

    quitter.hangUp();
    first.finish();

    expect(await first.status).toBe(202);
    await vi.waitFor(async () => expect(await receives()).toEqual({ inFlight: 0, waiting: 0 }));
    expect(await api.storage.listKeys("originals/")).toHaveLength(originalsBefore + 1);
    expect(await api.spooledFiles()).toEqual([]);
  });
});
