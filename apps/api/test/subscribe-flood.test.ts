import type { ClientToServerEvents, ServerToClientEvents, SubscribeReply } from "@darkroom/contracts";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { Redis } from "ioredis";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedUpload, postUpload, tokenOf } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

/** What `realtime.ts` lets one owner subscribe per second. */
const SUBSCRIBES_PER_SECOND = 200;
const FLOOD = 10_000;

async function commandsProcessed(redis: Redis): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await redis.info("stats"))?.[1]);
}

describe("a socket that floods subscribe", () => {
  let api: TestApi;
  let redis: Redis;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  beforeAll(async () => {
    api = await startTestApi();
    redis = new Redis(api.env.REDIS_URL!);
    socket = io(api.url, { transports: ["websocket"], reconnection: false, auth: { token: tokenOf(api) } });
  });
  afterAll(async () => {
    socket?.close();
    redis?.disconnect();
    await api?.close();
  });

  it("is refused beyond its share, so the Redis work it causes stays bounded", async () => {
    const { id } = await acceptedUpload(await postUpload(api, await noisyPhoto(400, 300)));
    const commandsBefore = await commandsProcessed(redis);
    const startedAt = performance.now();

    const replies: SubscribeReply[] = await Promise.all(
      Array.from({ length: FLOOD }, () => socket.emitWithAck("subscribe", id)),
    );

    const seconds = (performance.now() - startedAt) / 1000;
    const commands = (await commandsProcessed(redis)) - commandsBefore;
    const answered = replies.filter((reply) => reply.ok).length;
    const refused = replies.filter((reply) => !reply.ok && reply.error.code === "TOO_MANY_SUBSCRIPTIONS");
    console.log(
      `subscribe flood | ${FLOOD} subscribes in ${seconds.toFixed(1)} s: ${answered} answered, ` +
        `${refused.length} refused; Redis ran ${commands} commands meanwhile (${(commands / FLOOD).toFixed(2)} per subscribe)`,
    );
    expect(answered + refused.length).toBe(FLOOD);
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThanOrEqual(SUBSCRIBES_PER_SECOND * Math.ceil(seconds + 1));
    // Reading a waiting upload's state takes about a dozen commands, twice per subscribe (before and
    // after joining its room): the subscribes answered cost that, the ones refused nothing.
    expect(commands).toBeLessThan(answered * 30 + 500);
  }, 60_000);
});
