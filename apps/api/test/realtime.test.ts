import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SubscribeReply,
  UploadSnapshot,
} from "@darkroom/contracts";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { acceptedUpload, postUpload, tokenOf, type Caller } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";
import { createLogger } from "@darkroom/runtime";
import { loadConfig } from "../src/env";
import { startApiServer, type RunningApi } from "../src/server";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Received {
  event: keyof ServerToClientEvents;
  snapshot: UploadSnapshot;
}

/** A socket of `caller`'s owner, which may follow only that owner's uploads. */
function connectTo(caller: Caller, clients: Client[]): Client {
  const client: Client = io(caller.url, {
    transports: ["websocket"],
    reconnection: false,
    auth: { token: tokenOf(caller) },
  });
  clients.push(client);
  return client;
}

function subscribe(client: Client, id: string): Promise<SubscribeReply> {
  return client.emitWithAck("subscribe", id);
}

function record(client: Client): { received: Received[]; finished: Promise<void> } {
  const received: Received[] = [];
  const finished = new Promise<void>((resolve) => {
    for (const event of ["upload:progress", "upload:completed", "upload:failed"] as const) {
      client.on(event, (snapshot) => {
        received.push({ event, snapshot });
        if (event !== "upload:progress") resolve();
      });
    }
  });
  return { received, finished };
}

describe("live progress over socket.io", () => {
  let api: TestApi;
  const clients: Client[] = [];
  beforeAll(async () => {
    api = await startTestApi();
    await api.startWorker();
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => api?.close());

  function connect(): Client {
    return connectTo(api, clients);
  }

  /**
   * Uploads with the queue paused, subscribes, then resumes: every event of
   * the job is sent after the subscription, however fast the worker is.
   */
  async function uploadAndFollow(photo: Buffer) {
    await api.queue.pause();
    const { id } = await acceptedUpload(await postUpload(api, photo));
    const client = connect();
    const recording = record(client);
    const reply = await subscribe(client, id);
    await api.queue.resume();
    return { id, client, reply, ...recording };
  }

  it("sends a subscriber every stage in order, then the completed upload with its variants", async () => {
    const { id, reply, received, finished } = await uploadAndFollow(await noisyPhoto(2400, 1600));
    expect(reply).toMatchObject({ ok: true, snapshot: { id, status: "queued", stage: "queued" } });
    await finished;

    const progress = received.filter((r) => r.event === "upload:progress").map((r) => r.snapshot);
    const stages = progress.map((s) => [s.stage, s.variant].filter(Boolean).join(":"));
    expect(stages.filter((stage, i) => stage !== stages[i - 1])).toEqual([
      "downloading",
      "decoding",
      "resizing:large",
      "resizing:medium",
      "resizing:thumb",
      "storing",
    ]);
    const percents = progress.map((s) => s.progress);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(progress.every((s) => s.id === id && s.status === "active")).toBe(true);
    // Each report says which try it belongs to; the "active" event before the first cannot.
    expect(progress.slice(1).every((s) => s.attempt === 1)).toBe(true);

    const last = received.at(-1)!;
    expect(last.event).toBe("upload:completed");
    expect(last.snapshot).toMatchObject({ id, status: "completed", progress: 100 });
    expect(last.snapshot.variants).toHaveLength(6);
    expect(last.snapshot.thumbhash).toEqual(expect.any(String));
    expect(progress.every((s) => s.thumbhash === undefined)).toBe(true);
  });

  it("gives a subscriber who comes after the end the finished snapshot at once", async () => {
    const { id, finished } = await uploadAndFollow(await noisyPhoto(640, 480));
    await finished;

    const late = connect();
    const reply = await subscribe(late, id);

    expect(reply).toMatchObject({ ok: true, snapshot: { id, status: "completed", progress: 100 } });
    expect(reply.ok && reply.snapshot.variants).toHaveLength(6);
  });

  it("sends upload:failed with the reason when the worker rejects the image", async () => {
    const whole = await noisyPhoto(800, 600);
    const { id, received, finished } = await uploadAndFollow(whole.subarray(0, whole.byteLength / 2));
    await finished;

    expect(received.at(-1)).toMatchObject({
      event: "upload:failed",
      snapshot: { id, status: "failed", error: { code: "IMAGE_CORRUPT" } },
    });
  });

  it("answers NOT_FOUND to a subscription for an unknown upload", async () => {
    const client = connect();

    expect(await subscribe(client, crypto.randomUUID())).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await subscribe(client, "../../etc")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

describe("two API instances and two workers, as behind a load balancer", () => {
  let api: TestApi;
  let second: RunningApi;
  const clients: Client[] = [];
  beforeAll(async () => {
    api = await startTestApi();
    second = await startApiServer(loadConfig(api.env), createLogger("api-test-2", "warn"));
    await Promise.all([api.startWorker(), api.startWorker()]);
  });
  afterAll(async () => {
    clients.splice(0).forEach((client) => client.close());
    await second?.close();
    await api?.close();
  });

  it("sends a client on either instance every event of an upload, exactly once", async () => {
    await api.queue.pause();
    const { id } = await acceptedUpload(await postUpload(api, await noisyPhoto(1600, 1200)));
    // The same owner, on either instance.
    const followers = [api, { url: second.url, headers: api.headers }].map((caller) => {
      const client = connectTo(caller, clients);
      return { client, ...record(client) };
    });
    for (const { client } of followers) expect(await subscribe(client, id)).toMatchObject({ ok: true });
    await api.queue.resume();
    await Promise.all(followers.map(({ finished }) => finished));

    for (const { received } of followers) {
      const events = received.map(({ event, snapshot }) =>
        [event, snapshot.stage, snapshot.variant, snapshot.progress].filter(Boolean).join(":"),
      );
      expect(events.filter((event) => event.startsWith("upload:completed:"))).toHaveLength(1);
      expect(events.filter((event) => event.startsWith("upload:progress:storing:"))).toHaveLength(1);
      expect(new Set(events).size).toBe(events.length);
    }
    expect(followers[0]!.received.map((r) => r.event)).toEqual(followers[1]!.received.map((r) => r.event));
  });
});
