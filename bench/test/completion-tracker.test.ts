import type { ClientToServerEvents, ServerToClientEvents } from "@darkroom/contracts";
import { startAppStack, type AppStack } from "@darkroom/devstack";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompletionTracker } from "../src/completion-tracker";
import { sendUploads, startApiSession } from "../src/send-uploads";

/** The API's subscribes per second for one owner on one instance. */
const SUBSCRIBE_LIMIT = 200;

describe("the completion tracker, against a real API and worker", () => {
  let stack: AppStack;
  beforeAll(async () => {
    stack = await startAppStack(1);
  }, 120_000);
  afterAll(() => stack?.stop());

  it("follows an upload to its end even when its first subscribe is refused as one too many", async () => {
    const token = await startApiSession(stack.apiUrl);
    const [accepted] = await sendUploads("multipart", {
      url: `${stack.apiUrl}/api/uploads`,
      token,
      photos: [{ name: "tracked.jpg", data: await noisyPhoto(800, 600, 1) }],
      count: 1,
      concurrency: 1,
      timeoutMs: 30_000,
    });
    expect(accepted).toMatchObject({ kind: "ok", status: 202 });
    const { id } = (accepted as { body: { id: string } }).body;

    const tracker = new CompletionTracker(stack.apiUrl, token);
    // The same owner uses up this second's subscribes, as a burst of a thousand completions does.
    const burst: Socket<ServerToClientEvents, ClientToServerEvents> = io(stack.apiUrl, {
      transports: ["websocket"],
      auth: { token },
    });
    const replies = await Promise.all(
      Array.from({ length: SUBSCRIBE_LIMIT + 1 }, () => burst.emitWithAck("subscribe", crypto.randomUUID())),
    );
    burst.close();
    expect(replies.some((reply) => !reply.ok && reply.error.code === "TOO_MANY_SUBSCRIPTIONS")).toBe(true);

    try {
      await tracker.follow(id);
      expect(tracker.finished.get(id)?.status).toBe("completed");
    } finally {
      tracker.close();
    }
  }, 60_000);
});
