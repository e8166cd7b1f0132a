import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import ipaddr from "ipaddr.js";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  addressAllowed,
  checkDestination,
  deliver,
  DestinationRefused,
  newWebhookSecret,
  parseNotifyUrl,
  signWebhook,
  type DestinationPolicy,
} from "../../src";

const publicOnly: DestinationPolicy = { allowed: [] };
const loopbackToo: DestinationPolicy = { allowed: [ipaddr.parseCIDR("127.0.0.0/8")] };

describe("which addresses a webhook may go to", () => {
  it.each([
    "127.0.0.1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00::1",
    "ff02::1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
    "64:ff9b::a00:1",
    "2002:a00:1::",
  ])("refuses %s, which is not public", (address) => {
    expect(addressAllowed(address, publicOnly)).toBe(false);
  });

  it.each(["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:1.1.1.1"])(
    "allows the public address %s",
    (address) => expect(addressAllowed(address, publicOnly)).toBe(true),
  );

  it("allows loopback only where the deployment says so", () => {
    expect(addressAllowed("127.0.0.1", loopbackToo)).toBe(true);
    expect(addressAllowed("::ffff:127.0.0.1", loopbackToo)).toBe(true);
    expect(addressAllowed("10.0.0.1", loopbackToo)).toBe(false);
    expect(addressAllowed("169.254.169.254", loopbackToo)).toBe(false);
  });

  it.each([
    ["ftp://example.com/", /http and https/],
    ["file:///etc/passwd", /http and https/],
    ["https://user:pass@example.com/", /credentials/],
    ["/relative", /absolute/],
    [`https://example.com/${"a".repeat(2048)}`, /longer/],
  ])("refuses the URL %s", (raw, reason) => {
    expect(() => parseNotifyUrl(raw)).toThrow(reason);
  });

  it("refuses a name when any of its addresses is private, and one that does not resolve", async () => {
    const url = new URL("https://hooks.example/");
    const resolveTo =
      (...addresses: string[]) =>
      () =>
        Promise.resolve(addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));
    await expect(checkDestination(url, publicOnly, resolveTo("1.1.1.1", "10.0.0.1"))).rejects.toThrow(
      DestinationRefused,
    );
    await expect(checkDestination(url, publicOnly, resolveTo())).rejects.toThrow(/does not resolve/);
    await expect(
      checkDestination(url, publicOnly, () => Promise.reject(new Error("ENOTFOUND"))),
    ).rejects.toThrow(/does not resolve/);
    expect(await checkDestination(url, publicOnly, resolveTo("1.1.1.1"))).toMatchObject({
      address: "1.1.1.1",
      family: 4,
    });
    await expect(checkDestination(new URL("http://[::1]/"), publicOnly)).rejects.toThrow(DestinationRefused);
  });
});

describe("a delivery", () => {
  it("connects to the address checked, never resolving the name again, and reads no more than an excerpt", async () => {
    let host: string | undefined;
    const server = createServer((req, res) => {
      host = req.headers.host;
      res.writeHead(410).end("x".repeat(100_000));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // No DNS knows this name: only the pinned address can reach the server.
      const destination = await checkDestination(
        new URL(`http://hooks.invalid:${port}/in`),
        loopbackToo,
        () => Promise.resolve([{ address: "127.0.0.1", family: 4 }]),
      );
      const answer = await deliver(destination, "{}", {}, { timeoutMs: 2_000, maxResponseBytes: 64 });
      expect(answer.status).toBe(410);
      expect(answer.body.length).toBeLessThanOrEqual(64);
      expect(host).toBe(`hooks.invalid:${port}`);
    } finally {
      server.close();
    }
  });

  it("gives up on a receiver that does not answer in time", async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const destination = await checkDestination(new URL(`http://127.0.0.1:${port}/`), loopbackToo);
      await expect(deliver(destination, "{}", {}, { timeoutMs: 200 })).rejects.toThrow();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("signatures", () => {
  it("verify with the reference implementation, with either secret during a rotation", () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ type: "upload.completed" });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signWebhook([current, previous], "msg_1", timestamp, body),
    };
    expect(new Webhook(current).verify(body, headers)).toEqual({ type: "upload.completed" });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ type: "upload.completed" });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });
});
