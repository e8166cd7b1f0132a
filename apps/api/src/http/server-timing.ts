import type { Response } from "express";

/**
 * Runs one stage of a request and reports its duration in the answer's
 * `Server-Timing` header (see `app.ts`), so that a client, a browser's
 * network panel or the benchmark sees where the API's time went.
 */
export async function timed<T>(res: Response | undefined, stage: string, work: () => Promise<T>): Promise<T> {
  res?.startTime(stage, "");
  try {
    return await work();
  } finally {
    res?.endTime(stage);
  }
}
