import type { ClientToServerEvents, ServerToClientEvents } from "@darkroom/contracts";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startChaosStack, type ChaosStack } from "./support/chaos-stack";
import { midJob } from "./support/queue-watch";
import { report, UploadLedger } from "./support/upload-ledger";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe("two API instances and two workers, one worker killed mid-job", () => {
  let stack: ChaosStack;
  let photo: Buffer;
  const clients: Client[] = [];
  beforeAll(async () => {
    stack = await startChaosStack({ apis: 2, workers: 0 });
    photo = await noisyPhoto(2400, 1600);
  });
  afterAll(async () => {
    clients.forEach((client) => client.close());
    await stack?.stop();
  });

  it("sends a client on either instance the end of every upload, once", async () => {
    const ledger = new UploadLedger(stack.token);
    await ledger.uploadMany(stack.apiUrls, photo, 12);
    // Every upload waits for the workers, so every event comes after the subscriptions.
    const followers = await Promise.all(stack.apiUrls.map((url) => follow(url, ledger.accepted)));
    const doomed = await stack.startWorker();
    await midJob(stack.inspector);
    await stack.startWorker();
    doomed.child.kill("SIGKILL");
    const settled = await ledger.settle(stack.apiUrls[0]!, stack);
    // The status can read completed a moment before the event is out.
    await vi.waitFor(() => followers.forEach(({ completions }) => expect(completions.size).toBe(12)));
    await report("two APIs and two workers, one worker SIGKILLed", settled);

    expect(settled).toMatchObject({ accepted: 12, completed: 12, failed: {}, lost: [], completedTwice: [] });
    expect(settled.stalled).toBeGreaterThan(0);
    for (const { completions, progressed } of followers) {
      expect([...completions.keys()].sort()).toEqual([...ledger.accepted].sort());
      expect([...completions.values()].every((count) => count === 1)).toBe(true);
      expect(progressed.size).toBe(ledger.accepted.length);
    }
  });

  /** A browser on `url`, subscribed to every upload in `ids`: counts the completions and which uploads made progress. */
  async function follow(url: string, ids: string[]) {
    const client: Client = io(url, { transports: ["websocket"], auth: { token: stack.token } });
    clients.push(client);
    const completions = new Map<string, number>();
    const progressed = new Set<string>();
    client.on("upload:completed", ({ id }) => completions.set(id, (completions.get(id) ?? 0) + 1));
    client.on("upload:progress", ({ id }) => progressed.add(id));
    for (const id of ids) expect(await client.emitWithAck("subscribe", id)).toMatchObject({ ok: true });
    return { completions, progressed };
  }
});
