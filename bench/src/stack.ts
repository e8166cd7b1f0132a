import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  freePort,
  startDevstack,
  startProcess,
  typeScriptEntry,
  type StartedProcess,
} from "@darkroom/devstack";

export interface BenchStack {
  apiUrl: string;
  /** The S3 settings the API uses, for the storage baseline. */
  env: Record<string, string>;
  /** Jobs the workers run at once, as they reported. */
  workerParallelism: number;
  stop(): Promise<void>;
}

const appMain = (name: string) =>
  join(dirname(createRequire(import.meta.url).resolve(`@darkroom/${name}/package.json`)), "src/main.ts");

/** Redis, S3, the API and `workers` worker processes on free ports, as `pnpm dev` runs them. */
export async function startBenchStack(workers: number): Promise<BenchStack> {
  const devstack = await startDevstack();
  const started: StartedProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((child) => child.stop()));
    await devstack.stop();
  };
  try {
    const port = await freePort();
    const env = { ...process.env, ...devstack.env, LOG_LEVEL: "info" };
    const api = startProcess(process.execPath, typeScriptEntry(appMain("api")), {
      readyWhen: /"API listening"/,
      timeoutMs: 60_000,
      env: { ...env, PORT: String(port) },
    });
    const workerProcesses = Array.from({ length: workers }, () =>
      startProcess(process.execPath, typeScriptEntry(appMain("worker")), {
        readyWhen: /"concurrency":(\d+),"msg":"worker ready"/,
        timeoutMs: 60_000,
        env,
      }),
    );
    for (const result of await Promise.allSettled([api, ...workerProcesses])) {
      if (result.status === "fulfilled") started.push(result.value);
      else throw result.reason;
    }
    // Each worker says how many jobs it runs at once when it is ready.
    const workerParallelism = started.slice(1).reduce((sum, worker) => sum + Number(worker.ready[1]), 0);
    return { apiUrl: `http://127.0.0.1:${port}`, env: devstack.env, workerParallelism, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
