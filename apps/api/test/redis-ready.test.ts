import { isolatedEnv } from "@darkroom/devstack/testing";
import { createProducerConnection, redisAvailable } from "@darkroom/queue";
import { describe, expect, it } from "vitest";

describe("the producer connection's availability", () => {
  it("is gone as soon as its socket breaks, before its status says so", async () => {
    const redis = createProducerConnection(isolatedEnv().REDIS_URL!);
    try {
      await new Promise((resolve) => redis.once("ready", resolve));
      expect(redisAvailable(redis)).toBe(true);

      // As when Redis dies: the socket breaks, and the close event follows.
      redis.stream.destroy();

      expect(redis.status).toBe("ready");
      expect(redisAvailable(redis)).toBe(false);
      await expect(redis.ping()).rejects.toThrow(/enableOfflineQueue/);
    } finally {
      redis.disconnect();
    }
  });
});
