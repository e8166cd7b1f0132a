import { createRequire } from "node:module";
import { join } from "node:path";
import { startProcess, typeScriptEntry, type StartedProcess } from "./child-process";

/**
 * How an app runs: from its TypeScript source through tsx, as `pnpm dev` and
 * the tests run it, or from the bundle `pnpm build` writes, as its container
 * runs it (`node dist/main.mjs`).
 */
export type AppBuild = "source" | "built";

/**
 * An app's command line, from its entry that its package.json exports as
 * `./main` (source) or `./built` (bundle), resolved by package name from the
 * package that starts it: the working directory's, as pnpm, Turborepo,
 * Vitest and Playwright set it. That package lists the app among its
 * devDependencies (an app finds itself by its own name). devstack cannot
 * depend on the apps: they devDepend on it.
 */
function appCommand(app: "api" | "worker", from: AppBuild): string[] {
  const specifier = `@darkroom/${app}/${from === "source" ? "main" : "built"}`;
  const here = process.cwd();
  let entry: string;
  try {
    entry = createRequire(join(here, "package.json")).resolve(specifier);
  } catch (error) {
    throw new Error(
      `cannot find ${specifier} from ${here}: the package that starts the ${app} lists ` +
        `"@darkroom/${app}": "workspace:*" among its devDependencies` +
        (from === "built" ? "; its bundle exists once `pnpm build` has run" : ""),
      { cause: error },
    );
  }
  return from === "source" ? typeScriptEntry(entry) : [entry];
}

/** tsx compiling on a busy two-core machine can take a while. */
const START_TIMEOUT_MS = 60_000;

/**
 * The API, from source as `pnpm dev` runs it unless `from` says (see
 * `appCommand`), with `env` on top of this process's environment. Resolves
 * once it listens. It logs at `info` at
 * least, which is how its readiness is seen.
 */
export function startApiProcess(
  env: Record<string, string | undefined>,
  from: AppBuild = "source",
): Promise<StartedProcess> {
  return startProcess(process.execPath, appCommand("api", from), {
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
 * A worker, like `startApiProcess`. `ready[1]` is where it serves
 * its metrics and probes, on a free port unless `env` says, so that several
 * run side by side; once it takes jobs, `ready[2]` is how many it runs at once.
 */
export function startWorkerProcess(
  env: Record<string, string | undefined>,
  until: keyof typeof WORKER_STARTED = "ready",
  from: AppBuild = "source",
): Promise<StartedProcess> {
  return startProcess(process.execPath, appCommand("worker", from), {
    readyWhen: WORKER_STARTED[until],
    timeoutMs: START_TIMEOUT_MS,
    env: { ...process.env, WORKER_OPS_PORT: "0", ...env, LOG_LEVEL: "info" },
  });
}
