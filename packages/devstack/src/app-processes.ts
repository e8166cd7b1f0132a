import { createRequire } from "node:module";
import { join } from "node:path";
import { startProcess, typeScriptEntry, type StartedProcess } from "./child-process";

/**
 * An app's source entry, which its package.json exports as `./main`, resolved
 * by package name from the package that starts it: the working directory's,
 * as pnpm, Turborepo, Vitest and Playwright set it. That package lists the app
 * among its devDependencies (an app finds itself by its own name). devstack
 * cannot depend on the apps: they devDepend on it.
 */
function appMain(app: "api" | "worker"): string {
  const specifier = `@darkroom/${app}/main`;
  const from = process.cwd();
  try {
    return createRequire(join(from, "package.json")).resolve(specifier);
  } catch (error) {
    throw new Error(
      `cannot find ${specifier} from ${from}: the package that starts the ${app} lists ` +
        `"@darkroom/${app}": "workspace:*" among its devDependencies`,
      { cause: error },
    );
  }
}

/** tsx compiling on a busy two-core machine can take a while. */
const START_TIMEOUT_MS = 60_000;

/**
 * The API from source, as `pnpm dev` runs it (see `appMain` for how it is found), with `env` on top of this
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
