import { untilApiReady } from "./api-ready";
import { startApiProcess, startWorkerProcess, type AppBuild } from "./app-processes";
import type { StartedProcess } from "./child-process";
import { startDevstack } from "./devstack";
import { freePort } from "./free-port";

export interface AppStack {
  apiUrl: string;
  /** The Redis and S3 variables the apps were given. */
  env: Record<string, string>;
  /** Jobs the workers run at once, as they reported when ready. */
  workerParallelism: number;
  /** Stops the apps, then Redis and S3. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Redis, S3, the API and `workers` worker processes on free ports, as `pnpm
 * dev` runs them, or from their bundles (`from`); the API on `apiEnv.PORT` if
 * it is given. Resolves once the API is ready for uploads.
 */
export async function startAppStack(
  workers = 1,
  apiEnv: Record<string, string> = {},
  from: AppBuild = "source",
): Promise<AppStack> {
  const devstack = await startDevstack();
  const port = apiEnv.PORT ?? String(await freePort());
  const results = await Promise.allSettled([
    startApiProcess({ ...devstack.env, ...apiEnv, PORT: port }, from),
    ...Array.from({ length: workers }, () => startWorkerProcess(devstack.env, "ready", from)),
  ]);
  const started = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= Promise.all(started.map((child) => child.stop())).then(() => devstack.stop());
    return stopping;
  };

  const failure = results.find((result) => result.status === "rejected");
  if (failure) {
    await stop();
    throw failure.reason;
  }
  const apiUrl = `http://127.0.0.1:${port}`;
  try {
    await untilApiReady(apiUrl);
  } catch (error) {
    await stop();
    throw error;
  }
  const [, ...workerProcesses] = started as [StartedProcess, ...StartedProcess[]];
  return {
    apiUrl,
    env: devstack.env,
    workerParallelism: workerProcesses.reduce((sum, worker) => sum + Number(worker.ready[2]), 0),
    stop,
  };
}
