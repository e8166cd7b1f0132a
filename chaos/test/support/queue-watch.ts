import type { QueueInspector } from "@darkroom/queue/testing";

export interface MidJobOptions {
  /** Only this job. */
  id?: string;
  /** Only a job taken back from dead workers this many times or more. @defaultValue 0 */
  stalled?: number;
  /** @defaultValue 60000 */
  timeoutMs?: number;
}

/**
 * Resolves with a job's id once a worker is part way through it: it is
 * active, and has reported progress. (A job taken back from a dead worker
 * keeps that worker's progress: it counts from when another worker takes it.)
 */
export async function midJob(
  queue: QueueInspector,
  { id, stalled = 0, timeoutMs = 60_000 }: MidJobOptions = {},
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const working = (await queue.active()).find(
      (job) => (id === undefined || job.data.id === id) && job.stalls >= stalled && job.progress,
    );
    if (working) return working.data.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`No job was being processed within ${timeoutMs} ms`);
}
