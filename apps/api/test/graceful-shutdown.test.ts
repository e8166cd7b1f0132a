import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startApiProcess, untilApiReady, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { newCaller, type Caller } from "./support/client";
import { rawUploadRequest, startRawUpload } from "./support/raw-upload";
import { startTestApi } from "./support/test-stack";

describe("SIGTERM on the API", () => {
  let photo: Buffer;
  let spoolDir: string;
  let api: StartedProcess;
  let caller: Caller;
  beforeAll(async () => {
    photo = await noisyPhoto(1600, 1200);
  });
  beforeEach(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), "darkroom-spool-"));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    api = await startApiProcess(isolatedEnv({ PORT: String(port), UPLOAD_SPOOL_DIR: spoolDir }));
    await untilApiReady(url);
    caller = await newCaller(url);
  });
  afterEach(async () => {
    await api.stop();
    await rm(spoolDir, { recursive: true, force: true });
  });

  async function uploadInFlight() {
    const upload = await startRawUpload(caller, photo, { sentBytes: photo.byteLength / 2 });
    // The first upload to a fresh process loads the code it runs: allow it time.
    await vi.waitFor(async () => expect(await readdir(spoolDir)).toHaveLength(1), { timeout: 5_000 });
    return upload;
  }

  it("stops taking connections, finishes the upload in flight, then exits 0", async () => {
    const upload = await uploadInFlight();
    const exited = once(api.child, "exit");

    api.child.kill("SIGTERM");

    await vi.waitFor(() => expect(fetch(`${caller.url}/api/healthz`)).rejects.toThrow(), { timeout: 10_000 });
    upload.finish();
    expect(await upload.status).toBe(202);
    expect(await exited).toEqual([0, null]);
  });

  it("exits at once, with 1, on a second signal", async () => {
    await uploadInFlight();
    const exited = once(api.child, "exit");

    api.child.kill("SIGTERM");
    await vi.waitFor(() => expect(fetch(`${caller.url}/api/healthz`)).rejects.toThrow(), { timeout: 10_000 });
    api.child.kill("SIGTERM");

    expect(await exited).toEqual([1, null]);
  });
});

describe("an API that is closing", () => {
  it("answers an upload sent on a connection still open with 503 SHUTTING_DOWN, and closes it", async () => {
    const api = await startTestApi();
    const photo = await noisyPhoto(800, 600);
    const inFlight = await startRawUpload(api, photo, { sentBytes: photo.byteLength / 2 });
    await vi.waitFor(async () => expect(await api.spooledFiles()).toHaveLength(1));

    const closed = api.close();
    // The first upload ends, and a second follows on the same kept-alive connection.
    inFlight.finish();
    inFlight.socket.write(rawUploadRequest(photo, { headers: api.headers }).bytes);

    const received = await inFlight.received;
    expect(received).toMatch(/^HTTP\/1\.1 202 /);
    expect(received).toMatch(/HTTP\/1\.1 503 [^]*Connection: close[^]*"code":"SHUTTING_DOWN"/);
    await closed;
    expect(await api.storage.listKeys("originals/")).toHaveLength(1);
  });
});
