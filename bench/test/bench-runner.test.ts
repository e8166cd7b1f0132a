import {
  BENCH_SOCKET_PATH,
  benchModeSchema,
  benchRunListSchema,
  benchRunSchema,
  errorBodySchema,
  rateLimitNote,
  type BenchClientToServerEvents,
  type BenchRun,
  type BenchServerToClientEvents,
} from "@darkroom/contracts";
import {
  freePort,
  startAppStack,
  startLocalSignIn,
  type AppStack,
  type LocalSignIn,
} from "@darkroom/devstack";
import { signedInCookie } from "@darkroom/devstack/testing";
import { createLogger } from "@darkroom/runtime";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRunnerConfig, type RunnerConfig } from "../src/runner/env";
import { startBenchRunner, type BenchRunner } from "../src/runner/server";

/**
 * What the API's rate limit lets one client send here: the first run's
 * uploads (two per mode), fewer than both runs make.
 */
const MODES = benchModeSchema.options.length;
const RATE_LIMIT = 2 * MODES;
/** Small photos and few of them: these tests check the runner, not the machine. */
const SMALL = { width: 400, height: 300, concurrency: 1 };

const errorCode = async (response: Response) => errorBodySchema.parse(await response.json()).error.code;

const post = (url: string, body: unknown, credentials: Record<string, string> = { authorization: ADMIN }) =>
  fetch(`${url}/api/bench/runs`, {
    method: "POST",
    headers: { "content-type": "application/json", ...credentials },
    body: JSON.stringify(body),
  });

const listRuns = async (url: string) =>
  benchRunListSchema.parse(await (await fetch(`${url}/api/bench/runs`)).json()).runs;

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const ADMIN = basic("admin", "bench-runner-test-admin");
/** The development provider's account that is an admin. */
const OIDC_ADMIN = "ada";

describe("the benchmark runner, against a real API and worker", () => {
  let stack: AppStack;
  let signIn: LocalSignIn;
  let config: RunnerConfig;
  let runner: BenchRunner;
  let socket: Socket<BenchServerToClientEvents, BenchClientToServerEvents>;
  const logger = createLogger("bench-runner", "warn");

  beforeAll(async () => {
    // The runner is reached on its own port, as the compare page's proxy reaches it; the
    // session cookie of a browser signed in to the API goes along (cookies ignore ports).
    const apiPort = await freePort();
    signIn = await startLocalSignIn({
      redirectUri: `http://127.0.0.1:${apiPort}/api/auth/callback`,
      admins: [OIDC_ADMIN],
    });
    stack = await startAppStack(1, {
      PORT: String(apiPort),
      UPLOAD_RATE_LIMIT: String(RATE_LIMIT),
      UPLOAD_RATE_WINDOW_S: "600",
      ...signIn.env,
    });
    config = loadRunnerConfig({
      ...stack.env,
      API_URL: stack.apiUrl,
      BENCH_RUNNER_PORT: "0",
      LOG_LEVEL: "warn",
      ADMIN_USER: "admin",
      ADMIN_PASSWORD: "bench-runner-test-admin",
    });
    runner = await startBenchRunner(config, logger);
    socket = io(runner.url, { path: BENCH_SOCKET_PATH, transports: ["websocket"] });
  }, 120_000);
  afterAll(async () => {
    socket?.close();
    await runner?.close();
    await stack?.stop();
    await signIn?.close();
  });

  it("is not part of the API: there /api/bench/runs answers 404 NOT_FOUND, as in a deployment", async () => {
    const listed = await fetch(`${stack.apiUrl}/api/bench/runs`);
    const started = await post(stack.apiUrl, { preset: "smoke" });

    expect(listed.status).toBe(404);
    expect(await errorCode(listed)).toBe("NOT_FOUND");
    expect(started.status).toBe(404);
    expect(await errorCode(started)).toBe("NOT_FOUND");
  });

  it("starts a run for the admin only: anyone else gets 401 ADMIN_REQUIRED, and nothing runs", async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: basic("admin", "wrong") },
      { cookie: await signedInCookie(stack.apiUrl, "grace") },
      { cookie: "darkroom_session=forged" },
    ];
    for (const credentials of refused) {
      const response = await post(runner.url, { preset: "smoke" }, credentials);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic/);
      expect(await errorCode(response)).toBe("ADMIN_REQUIRED");
    }
    expect(await listRuns(runner.url)).toEqual([]);
  });

  it("refuses a request that is not a known preset, from the admin or an admin account", async () => {
    const admins: Record<string, string>[] = [
      { authorization: ADMIN },
      { cookie: await signedInCookie(stack.apiUrl, OIDC_ADMIN) },
    ];
    for (const credentials of admins) {
      const response = await post(runner.url, { preset: "everything", count: -1 }, credentials);
      expect(response.status).toBe(400);
      expect(await errorCode(response)).toBe("VALIDATION_FAILED");
    }
  });

  it("runs one benchmark at a time, streams its events and keeps its report", async () => {
    expect(await socket.emitWithAck("bench:watch")).toBeNull();
    const events: string[] = [];
    socket.on("bench:event", (_runId, event) => events.push(event.type));
    const finished = new Promise<BenchRun>((resolve) => socket.once("bench:finished", resolve));

    const response = await post(runner.url, { preset: "smoke", count: 2, ...SMALL });
    expect(response.status).toBe(202);
    const run = benchRunSchema.parse(await response.json());
    expect(run).toMatchObject({ status: "running", workload: { count: 2, concurrency: 1 } });
    const second = await post(runner.url, { preset: "smoke" });
    expect(second.status).toBe(409);
    expect(await errorCode(second)).toBe("BENCH_RUN_IN_PROGRESS");
    expect((await listRuns(runner.url))[0]).toMatchObject({ id: run.id, status: "running" });

    const done = await finished;

    expect(done).toMatchObject({ id: run.id, status: "completed" });
    expect(done.report?.modes.queued.accepted).toBe(2);
    expect(done.report?.modes.sync.accepted).toBe(2);
    expect(done.report?.modes.direct?.accepted).toBe(2);
    expect(done.report?.modes.resumable?.accepted).toBe(2);
    expect(events).toEqual(expect.arrayContaining(["phase", "response", "result", "depth"]));
    // Kept in S3: a runner started afresh on the same storage lists it.
    const fresh = await startBenchRunner(config, logger);
    try {
      expect((await listRuns(fresh.url))[0]).toMatchObject({ id: run.id, status: "completed" });
    } finally {
      await fresh.close();
    }
  }, 240_000);

  it("gets no exemption from the API's rate limit: the uploads it refused are counted in the report", async () => {
    const count = 3;
    const finished = new Promise<BenchRun>((resolve) => socket.once("bench:finished", resolve));
    expect((await post(runner.url, { preset: "smoke", count, ...SMALL })).status).toBe(202);

    const done = await finished;

    expect(done.status).toBe("completed");
    const modes = Object.values(done.report!.modes);
    const refused = modes.reduce((sum, mode) => sum + (mode.failures.byStatus["429"] ?? 0), 0);
    const accepted = modes.reduce((sum, mode) => sum + mode.accepted, 0);
    expect(refused).toBeGreaterThanOrEqual(MODES * count - RATE_LIMIT);
    expect(accepted + refused).toBe(MODES * count);
    expect(rateLimitNote(done.report!)).toContain(`refused ${refused} of ${MODES * count} uploads`);
  }, 240_000);
});
