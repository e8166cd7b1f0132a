import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { metricSample } from "@darkroom/devstack/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { acceptedUpload, postUpload } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

/** Behind a proxy it trusts (loopback, here), the API tells clients apart by `X-Forwarded-For`. */
const ATTACKER = "203.0.113.7";
const SOMEONE_ELSE = "198.51.100.20";

interface SlowUpload {
  socket: Socket;
  /** Whether an answer has begun to arrive. */
  answered(): boolean;
  /** The status of the answer, if one came before the connection closed. */
  status: Promise<number | undefined>;
  closedAt: Promise<number>;
}

/** An upload whose body comes one byte every `everyMs`: slowloris. */
async function trickle(url: string, headers: Record<string, string>, everyMs: number): Promise<SlowUpload> {
  const socket = connect(Number(new URL(url).port), "127.0.0.1");
  await once(socket, "connect");
  const boundary = "slow";
  socket.write(
    `POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("") +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000\r\n\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.jpg"\r\n` +
      "Content-Type: image/jpeg\r\n\r\n",
  );
  const drip = setInterval(() => socket.writable && socket.write("\xff"), everyMs);
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  socket.on("error", () => undefined);
  const closedAt = once(socket, "close").then(() => {
    clearInterval(drip);
    return performance.now();
  });
  const status = closedAt.then(() => Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1]) || undefined);
  return { socket, answered: () => received.length > 0, status, closedAt };
}

describe("slow clients cannot hold the uploads of others", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("64 connections trickling a byte every 5 s: another client is answered in under 5 s, and each is closed", async () => {
    const { concurrency, concurrencyPerClient, idleTimeoutMs } = api.config.uploads;
    expect(64).toBeGreaterThan(concurrency);
    const startedAt = performance.now();
    const slow = await Promise.all(
      Array.from({ length: 64 }, () =>
        trickle(api.url, { ...api.headers, "X-Forwarded-For": ATTACKER }, 5_000),
      ),
    );

    // Every one of them is in hand before the other client comes: answered, being read, or waiting for a turn.
    await vi.waitFor(
      async () => {
        const metrics = await (await fetch(`${api.url}/metrics`)).text();
        const held =
          metricSample(metrics, "darkroom_upload_receives_in_flight") +
          metricSample(metrics, "darkroom_upload_receives_waiting");
        expect(slow.filter((upload) => upload.answered()).length + held).toBe(64);
      },
      { timeout: 5_000, interval: 50 },
    );

    const sentAt = performance.now();
    const answer = await postUpload(api, await noisyPhoto(1200, 800), "meanwhile.jpg", undefined, {
      "X-Forwarded-For": SOMEONE_ELSE,
    });
    const answeredInMs = performance.now() - sentAt;
    await acceptedUpload(answer);
    expect(answeredInMs).toBeLessThan(5_000);

    const closedAt = await Promise.all(slow.map((upload) => upload.closedAt));
    const statuses = await Promise.all(slow.map((upload) => upload.status));
    // Beyond the cap, refused at once; the few let in, cut off once their body stalls.
    expect(statuses.filter((status) => status === 429)).toHaveLength(64 - concurrencyPerClient);
    const lastClosedMs = Math.max(...closedAt) - startedAt;
    console.log(
      `slow clients | another client answered in ${Math.round(answeredInMs)} ms; ` +
        `all 64 trickling connections closed within ${Math.round(lastClosedMs)} ms (idle timeout ${idleTimeoutMs} ms)`,
    );
    expect(lastClosedMs).toBeLessThan(idleTimeoutMs + 2_000);
    expect(await api.spooledFiles()).toEqual([]);
  }, 60_000);
});
