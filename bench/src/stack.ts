import {
  freePort,
  startApiProcess,
  startDevstack,
  startWorkerProcess,
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
    const api = startApiProcess({ ...devstack.env, PORT: String(port) });
    const workerProcesses = Array.from({ length: workers }, () => startWorkerProcess(devstack.env));
    const results = await Promise.allSettled([api, ...workerProcesses]);
    for (const result of results) if (result.status === "fulfilled") started.push(result.value);
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
    // Each worker says how many jobs it runs at once when it is ready.
    const workerParallelism = started.slice(1).reduce((sum, worker) => sum + Number(worker.ready[1]), 0);
    return { apiUrl: `http://127.0.0.1:${port}`, env: devstack.env, workerParallelism, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
