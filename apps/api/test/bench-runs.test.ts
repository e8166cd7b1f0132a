import type { BenchRun, ClientToServerEvents, ServerToClientEvents } from "@darkroom/contracts";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorBody } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

const startRun = (api: TestApi, body: unknown) =>
  fetch(`${api.url}/api/bench/runs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("benchmark runs started through the API", () => {
  let api: TestApi;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  beforeAll(async () => {
    api = await startTestApi();
    await api.startWorker();
    socket = io(api.url, { transports: ["websocket"] });
  });
  afterAll(async () => {
    socket?.close();
    await api?.close();
  });

  it("refuses a request that is not a known preset", async () => {
    const response = await startRun(api, { preset: "everything", count: -1 });

    expect(response.status).toBe(400);
    expect((await errorBody(response)).error.code).toBe("VALIDATION_FAILED");
  });

  it("runs one benchmark at a time, streams its events and keeps its report", async () => {
    expect(await socket.emitWithAck("bench:watch")).toBeNull();
    const events: string[] = [];
    socket.on("bench:event", (_runId, event) => events.push(event.type));
    const finished = new Promise<BenchRun>((resolve) => socket.once("bench:finished", resolve));

    const response = await startRun(api, {
      preset: "smoke",
      count: 2,
      concurrency: 1,
      width: 400,
      height: 300,
    });
    expect(response.status).toBe(202);
    const run = (await response.json()) as BenchRun;
    expect(run).toMatchObject({ status: "running", workload: { count: 2, concurrency: 1 } });
    const second = await startRun(api, { preset: "smoke" });
    expect(second.status).toBe(409);
    expect((await errorBody(second)).error.code).toBe("BENCH_RUN_IN_PROGRESS");

    const done = await finished;

    expect(done).toMatchObject({ id: run.id, status: "completed" });
    expect(done.report?.modes.queued.accepted).toBe(2);
    expect(done.report?.modes.sync.accepted).toBe(2);
    expect(events).toEqual(expect.arrayContaining(["phase", "response", "result", "depth"]));
    const listed = (await (await fetch(`${api.url}/api/bench/runs`)).json()) as {
      enabled: boolean;
      runs: BenchRun[];
    };
    expect(listed.enabled).toBe(true);
    expect(listed.runs[0]).toMatchObject({ id: run.id, status: "completed" });
  }, 120_000);
});

describe("when benchmark runs are switched off", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ BENCH_RUNS_ENABLED: "false" });
  });
  afterAll(() => api?.close());

  it("refuses to start one, and says so in the list", async () => {
    const response = await startRun(api, { preset: "smoke" });

    expect(response.status).toBe(403);
    expect((await errorBody(response)).error.code).toBe("BENCH_RUNS_DISABLED");
    expect(await (await fetch(`${api.url}/api/bench/runs`)).json()).toEqual({ enabled: false, runs: [] });
  });
});
