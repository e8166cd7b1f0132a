import { existsSync } from "node:fs";
import { connect } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { startDevstack, type Devstack } from "../src";

function redisPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      resolve(data.toString().trim());
      socket.end();
    });
    socket.once("error", reject);
  });
}

describe("devstack", () => {
  let stack: Devstack | undefined;
  afterAll(() => stack?.stop());

  it("starts Redis and S3 on free ports, and stops both, deleting their data", async () => {
    stack = await startDevstack({ bucket: "devstack-test" });

    expect(await redisPing(stack.redis.port)).toBe("+PONG");
    // Private, as at S3: a request without credentials is refused.
    const bucket = await fetch(`${stack.s3.endpoint}/devstack-test`);
    expect(bucket.status).toBe(403);
    expect(stack.env).toMatchObject({ REDIS_URL: stack.redis.url, S3_ENDPOINT: stack.s3.endpoint });
    // A browser may PUT a direct upload from the web app's origin.
    const preflight = await fetch(`${stack.s3.endpoint}/devstack-test/originals/x`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://127.0.0.1:5173",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toMatch(/^(\*|http:\/\/127\.0\.0\.1:5173)$/);

    await stack.stop();

    await expect(redisPing(stack.redis.port)).rejects.toThrow(/ECONNREFUSED/);
    await expect(fetch(stack.s3.endpoint)).rejects.toThrow();
    expect(existsSync(stack.dataDir)).toBe(false);
  });
});
