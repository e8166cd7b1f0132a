import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import {
  freePort,
  startApiProcess,
  startDevstack,
  startProcess,
  startWorkerProcess,
  type StartedProcess,
} from "@darkroom/devstack";

const ROOT = resolve(import.meta.dirname, "..");
const WEB_DIR = join(ROOT, "apps/web");
const VITE_BIN = join(
  dirname(createRequire(join(WEB_DIR, "package.json")).resolve("vite/package.json")),
  "bin/vite.js",
);

/** tsx compiling on a busy two-core machine is slow to start. */
const START_TIMEOUT_MS = 60_000;

let stopRunning: (() => Promise<void>) | undefined;

/**
 * Starts Redis, S3, the API, the worker and the web app, each on a free port,
 * as `pnpm dev` runs them, and returns the web app's URL.
 */
export async function startStack(): Promise<string> {
  const devstack = await startDevstack();
  const [apiPort, webPort] = await Promise.all([freePort(), freePort()]);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const processes = await Promise.allSettled([
    startApiProcess({ ...devstack.env, PORT: String(apiPort) }),
    startWorkerProcess(devstack.env),
    startProcess(
      process.execPath,
      [VITE_BIN, WEB_DIR, "--port", String(webPort), "--strictPort", "--host", "127.0.0.1"],
      {
        readyWhen: /Local:\s+(http:\/\/\S+?)\/?$/,
        timeoutMs: START_TIMEOUT_MS,
        env: { ...process.env, API_URL: apiUrl, NO_COLOR: "1", FORCE_COLOR: "0" },
      },
    ),
  ]);

  const started = processes.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  let stopping: Promise<void> | undefined;
  stopRunning = () => {
    stopping ??= Promise.all(started.map((child) => child.stop())).then(() => devstack.stop());
    return stopping;
  };
  // `kill -INT` reaches only this process, not the servers: stop them here too.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopStack());

  const failure = processes.find((result) => result.status === "rejected");
  if (failure) {
    await stopStack();
    throw failure.reason;
  }
  const [, , web] = started as [StartedProcess, StartedProcess, StartedProcess];
  return web.ready[1]!;
}

/** Stops everything `startStack` started. Safe to call twice, or when nothing started. */
export function stopStack(): Promise<void> {
  return stopRunning?.() ?? Promise.resolve();
}
