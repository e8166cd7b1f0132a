import { fileURLToPath } from "node:url";
import { startProcess, typeScriptEntry, type StartedProcess } from "./child-process";

const appMain = (app: "api" | "worker") =>
  fileURLToPath(new URL(`../../../apps/${app}/src/main.ts`, import.meta.url));

/** tsx compiling on a busy two-core machine can take a while. */
const START_TIMEOUT_MS = 60_000;

/**
 * The API from source, as `pnpm dev` runs it, with `env` on top of this
 * process's environment. Resolves once it listens. It logs at `info` at
 * least, which is how its readiness is seen.
 */
export function startApiProcess(env: Record<string, string | undefined>): Promise<StartedProcess> {
  return startProcess(process.execPath, typeScriptEntry(appMain("api")), {
    readyWhen: /"API listening"/,
    timeoutMs: START_TIMEOUT_MS,
    env: { ...process.env, ...env, LOG_LEVEL: "info" },
  });
}

/** What a worker has done when `startWorkerProcess` resolves: serve its probes, or take jobs too. */
const WORKER_STARTED = {
  probes: /"ops":"([^"]+)".*"msg":"probes served"/,
  ready: /"ops":"([^"]+)".*"concurrency":(\d+),"msg":"worker ready"/,
};

/**
 * A worker from source, like `startApiProcess`. `ready[1]` is where it serves
 * its metrics and probes, on a free port unless `env` says, so that several
 * run side by side; once it takes jobs, `ready[2]` is how many it runs at once.
 */
export function startWorkerProcess(
  env: Record<string, string | undefined>,
  until: keyof typeof WORKER_STARTED = "ready",
): Promise<StartedProcess> {
  return startProcess(process.execPath, typeScriptEntry(appMain("worker")), {
    readyWhen: WORKER_STARTED[until],
    timeoutMs: START_TIMEOUT_MS,
    env: { ...process.env, WORKER_OPS_PORT: "0", ...env, LOG_LEVEL: "info" },
  });
}
