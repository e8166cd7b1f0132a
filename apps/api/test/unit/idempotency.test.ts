import type { AddressInfo } from "node:net";
import { createLogger } from "@darkroom/runtime";
import express, { type ErrorRequestHandler } from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppError } from "../../src/http/app-error";
import { idempotency, type Answer, type AnswerStore } from "../../src/uploads/idempotency";

/** Keys in memory, as Redis keeps them, without expiry. */
function memoryAnswers() {
  const entries = new Map<string, string>();
  const store: AnswerStore & { entries: typeof entries; available: boolean; keepFails: boolean } = {
    entries,
    available: true,
    keepFails: false,
    isAvailable: () => store.available,
    claim: (key) => Promise.resolve(!entries.has(key) && Boolean(entries.set(key, ""))),
    answer: (key) => Promise.resolve(entries.get(key) || undefined),
    keep: (key, answer) =>
      store.keepFails
        ? Promise.reject(new Error("Redis went away"))
        : Promise.resolve(void entries.set(key, answer)),
    release: (key) => Promise.resolve(void entries.delete(key)),
  };
  return store;
}

describe("idempotency keys", () => {
  const store = memoryAnswers();
  /** What the work does next: answer, fail, or wait until released. */
  let work: () => Promise<Answer>;
  let runs = 0;
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    const app = express();
    const logger = createLogger("idempotency-test", "silent");
    const idempotent = idempotency(store);
    app.post("/uploads", async (req, res) => {
      req.log = logger;
      // As `identify` would, from a header of this test's own.
      req.owner = { id: req.get("x-test-owner") ?? "owner-a" };
      await idempotent(req, res, "queued", () => {
        runs++;
        return work();
      });
    });
    const answerError: ErrorRequestHandler = (error: AppError, _req, res, _next) =>
      void res.status(error.status ?? 500).json({ error: { code: error.code ?? "INTERNAL" } });
    app.use(answerError);
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/uploads`;
    close = () => server.close();
  });
  afterAll(() => close?.());
  beforeEach(() => {
    store.entries.clear();
    Object.assign(store, { available: true, keepFails: false });
    runs = 0;
    work = () => Promise.resolve({ status: 202, location: "/api/uploads/1", body: { id: "1", run: runs } });
  });

  const post = (key?: string, owner = "owner-a") =>
    fetch(url, {
      method: "POST",
      headers: { "x-test-owner": owner, ...(key !== undefined && { "Idempotency-Key": key }) },
    });
  const codeOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string } }).error.code;

  it("does the work every time without a key", async () => {
    await post();
    await post();

    expect(runs).toBe(2);
  });

  it("gives a repeat the first answer, marked replayed, without doing the work again", async () => {
    const first = await post("k1");
    const repeat = await post("k1");

    expect(runs).toBe(1);
    expect(repeat.status).toBe(202);
    expect(await repeat.json()).toEqual(await first.json());
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(repeat.headers.get("location")).toBe("/api/uploads/1");
  });

  it("keeps each owner's keys apart: the same key from another owner does the work again", async () => {
    const mine = await post("k6", "owner-a");
    const theirs = await post("k6", "owner-b");

    expect(runs).toBe(2);
    expect(await mine.json()).toMatchObject({ run: 1 });
    expect(await theirs.json()).toMatchObject({ run: 2 });
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(await (await post("k6", "owner-a")).json()).toMatchObject({ run: 1 });
    expect(await (await post("k6", "owner-b")).json()).toMatchObject({ run: 2 });
    expect(runs).toBe(2);
  });

  it("answers 409 IDEMPOTENCY_KEY_IN_USE to a repeat while the first is still running", async () => {
    let finish!: () => void;
    work = () =>
      new Promise((resolve) => (finish = () => resolve({ status: 202, location: "/x", body: {} })));
    const first = post("k2");
    await new Promise((resolve) => setTimeout(resolve, 20));

    const repeat = await post("k2");

    expect(repeat.status).toBe(409);
    expect(await codeOf(repeat)).toBe("IDEMPOTENCY_KEY_IN_USE");
    finish();
    expect((await first).status).toBe(202);
  });

  it("frees the key of a request that failed, so the client can try again", async () => {
    work = () => Promise.reject(new Error("S3 away"));
    expect((await post("k3")).status).toBe(500);

    work = () => Promise.resolve({ status: 202, location: "/y", body: { ok: true } });
    const retry = await post("k3");

    expect(retry.status).toBe(202);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(runs).toBe(2);
  });

  it("still answers when the answer cannot be kept for repeats", async () => {
    store.keepFails = true;

    expect((await post("k4")).status).toBe(202);
  });

  it("refuses a key that is not 1 to 255 visible ASCII characters, before any work", async () => {
    for (const key of ["", "with space", "x".repeat(256)]) {
      const response = await post(key);
      expect(response.status).toBe(400);
      expect(await codeOf(response)).toBe("VALIDATION_FAILED");
    }
    expect(runs).toBe(0);
  });

  it("answers 503 QUEUE_UNAVAILABLE to a keyed request while the store is away, before any work", async () => {
    store.available = false;

    const response = await post("k5");

    expect(response.status).toBe(503);
    expect(await codeOf(response)).toBe("QUEUE_UNAVAILABLE");
    expect(runs).toBe(0);
  });
});
