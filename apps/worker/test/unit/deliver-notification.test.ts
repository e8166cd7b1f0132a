import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { notifyJobFor, NotifyJobFailure } from "@darkroom/queue";
import { createLogger } from "@darkroom/runtime";
import {
  newWebhookSecret,
  notifyConfigFromEnv,
  notifyEnvSchema,
  type WebhookSecrets,
} from "@darkroom/webhooks";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotificationHandler } from "../../src/notifications/deliver-notification";
import { createDeliveryMetrics } from "../../src/notifications/delivery-metrics";

const secret = newWebhookSecret();
const secrets = (owned: string[]): WebhookSecrets => ({
  create: () => Promise.reject(new Error("not here")),
  describe: () => Promise.resolve(undefined),
  signingSecrets: () => Promise.resolve(owned),
  remove: () => Promise.resolve(false),
});

describe("delivering a notify job", () => {
  let port: number;
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(204).end();
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    ({ port } = server.address() as AddressInfo);
  });
  afterAll(() => void server.close());

  const job = () =>
    notifyJobFor(
      {
        id: "0b9c7a56-3d5e-4a43-9f3e-0d3c1a2b4c5d",
        owner: "owner-1",
        mode: "queued",
        filename: "a.jpg",
        notifyUrl: `http://hooks.example:${port}/in`,
      },
      { status: "completed" },
    );
  const handler = (owned: string[], resolvesTo: string) => {
    const registry = new Registry();
    return {
      registry,
      run: createNotificationHandler({
        secrets: secrets(owned),
        policy: notifyConfigFromEnv(notifyEnvSchema.parse({ NOTIFY_ALLOWED_CIDRS: "127.0.0.0/8" })).policy,
        timeoutMs: 2_000,
        metrics: createDeliveryMetrics(registry),
        logger: createLogger("test", "silent"),
        resolve: () => Promise.resolve([{ address: resolvesTo, family: 4 }]),
      }),
    };
  };

  it("delivers to the address the name resolves to now, and counts it", async () => {
    const { run, registry } = handler([secret], "127.0.0.1");
    await run({ data: job(), attemptsMade: 0, isLastAttempt: false });
    expect(hits).toBe(1);
    expect(await registry.getSingleMetricAsString("darkroom_webhook_attempts_total")).toContain(
      'outcome="delivered",result="2xx"} 1',
    );
  });

  it("fails for good, without connecting, when the name now resolves to a private address", async () => {
    const before = hits;
    const { run } = handler([secret], "10.0.0.7");
    await expect(run({ data: job(), attemptsMade: 2, isLastAttempt: false })).rejects.toThrow(
      NotifyJobFailure,
    );
    expect(hits).toBe(before);
  });

  it("fails for good when the owner deleted its secret", async () => {
    const { run } = handler([], "127.0.0.1");
    await expect(run({ data: job(), attemptsMade: 0, isLastAttempt: false })).rejects.toThrow(
      /no webhook secret/,
    );
  });
});
